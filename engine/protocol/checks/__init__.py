"""The protocol's meaning: names that resolve, steps that can be reached and left.

One module per part of the protocol; ``check_meaning`` runs them in a fixed order, which is
the order problems are reported in.
"""

from __future__ import annotations

from engine.errors import Problem
from engine.protocol.checks.access import check_identity, check_need_to_know
from engine.protocol.checks.context import Context
from engine.protocol.checks.graph import check_graph
from engine.protocol.checks.inputs import check_inputs, check_recordable, check_roles_and_initial
from engine.protocol.checks.letters import check_letters
from engine.protocol.checks.remedies import check_remedies
from engine.protocol.checks.retention import check_retention
from engine.protocol.checks.scenarios import check_scenarios
from engine.protocol.checks.steps import check_steps
from engine.protocol.checks.transitions import check_transitions
from engine.protocol.schema import ProtocolSpec
from engine.protocol.yamlsource import Located

_CHECKS = (
    check_roles_and_initial,
    check_inputs,
    check_identity,
    check_transitions,
    check_steps,
    check_letters,
    check_retention,
    check_remedies,
    check_recordable,
    check_need_to_know,
    check_scenarios,
)


# Ways from one step to another (an action from each step it names; from "*" from every live
# step) a protocol may have. The bundled ones have at most some 120; the state machine, the
# graph check and the duplicate check all grow with this number, so it bounds their work.
MAX_MOVES = 20_000


def check_meaning(spec: ProtocolSpec, located: Located) -> list[Problem]:
    c = Context(spec, located)
    moves = sum(len(c.live_steps()) if t.from_ == "*" else len(t.from_) for t in spec.transitions)
    if moves > MAX_MOVES:  # the checks below would each take as long as the machine itself
        c.err(
            ("transitions",),
            f"het protocol heeft te veel mogelijke stappen ({moves}: elke actie telt één keer voor elke stap "
            f"waaruit ze kan, 'from: \"*\"' voor elke stap); hoogstens {MAX_MOVES}. Maak het protocol eenvoudiger",
            at_key=True,
        )
        return c.problems
    for check in _CHECKS:
        check(c)
    if not c.problems:  # the graph of a protocol with unknown steps says nothing
        check_graph(c)
    return c.problems
