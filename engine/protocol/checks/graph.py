"""The step graph: every step reachable from the initial one, every step but a final one left."""

from __future__ import annotations

from collections import deque

from engine.protocol.checks.context import Context
from engine.protocol.compiler import compile_protocol


def check_graph(c: Context) -> None:
    protocol = compile_protocol(c.spec, "", "")
    edges: dict[str, set[str]] = {s: set() for s in c.steps}
    for t in protocol.transitions:
        for source in t.sources:
            if t.dest is not None:
                edges[source].add(t.dest)
    reached = {c.spec.initial}
    queue = deque([c.spec.initial])
    while queue:
        for nxt in edges[queue.popleft()]:
            if nxt not in reached:
                reached.add(nxt)
                queue.append(nxt)
    for step_id, step in c.spec.steps.items():
        if step_id not in reached:
            c.err(("steps", step_id), f"stap '{step_id}' is vanaf '{c.spec.initial}' niet te bereiken", at_key=True)
        if not step.final and not (edges[step_id] - {step_id}):
            c.err(("steps", step_id), f"stap '{step_id}' is geen eindstap maar heeft geen uitgang", at_key=True)
