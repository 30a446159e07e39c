"""A checked protocol spec compiled into a Protocol: its transitions, and its content hash."""

from __future__ import annotations

import hashlib
import json

from engine.case import CLOSE_MOTIVATION
from engine.protocol.model import MOTIVATION, Protocol, Transition
from engine.protocol.schema import ProtocolSpec


def content_hash(spec: ProtocolSpec) -> str:
    """SHA-256 over the protocol's meaning: layout and comments do not change it."""
    canonical = json.dumps(
        spec.model_dump(mode="json", by_alias=True), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def compile_protocol(spec: ProtocolSpec, text: str, file: str) -> Protocol:
    all_steps = tuple(s for s, step in spec.steps.items() if not step.final)
    # With remedies, every action that closes the case may record why it closes while one runs.
    closing = (CLOSE_MOTIVATION,) if spec.remedies else ()
    declared = [
        Transition(
            trigger=t.trigger,
            label=t.label,
            sources=all_steps if t.from_ == "*" else tuple(t.from_),
            dest=t.to,
            roles=frozenset(t.roles),
            requires=tuple(t.requires),
            accepts=tuple(name for name in t.accepts if name not in t.requires)
            + (closing if t.to is not None and spec.steps[t.to].final else ()),
            guard=t.when,
            fulfils=tuple(t.fulfils),
            source=t.source,
            advice=tuple(t.advice or ()),
            opens=t.opens,
            obligations=tuple(t.obligations or ()),
            given=t.given,
            clears=tuple(t.clears or ()),
            counts_as=tuple(t.counts_as or ()),
        )
        for t in spec.transitions
    ]
    transitions: list[Transition] = []  # decision answers first: they are what a decision step is for
    for step_id, step in spec.steps.items():
        if step.decision is None:
            continue
        for answer_id, answer in step.decision.answers.items():
            transitions.append(
                Transition(
                    trigger=answer_trigger(step_id, answer_id),
                    label=answer.label,
                    sources=(step_id,),
                    dest=answer.to,
                    roles=frozenset(step.decision.roles),
                    requires=(MOTIVATION,),
                    guard=None,
                    answer_of=step_id,
                    source=answer.source or step.decision.source,
                )
            )
    return Protocol(
        spec=spec, text=text, content_hash=content_hash(spec), file=file, transitions=tuple(transitions + declared)
    )


def answer_trigger(step_id: str, answer_id: str) -> str:
    return f"{step_id}:{answer_id}"
