"""One ``transitions`` state machine per protocol version, shared by all its cases.

Following the library maintainers' advice for many models, the machine has no model of
its own: each fire hands it a throwaway cursor holding the case's step, so a case costs
no machine memory and no machine construction.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from transitions import EventData, Machine, MachineError

from engine.protocol.model import Protocol, holds


class Cursor:
    __slots__ = ("state", "taken")

    def __init__(self, state: str) -> None:
        self.state = state
        self.taken: int | None = None


class ProtocolMachine:
    def __init__(self, protocol: Protocol) -> None:
        self.protocol = protocol
        specs = []
        for index, transition in enumerate(protocol.transitions):
            for source in transition.sources:
                spec: dict[str, Any] = {
                    "trigger": transition.trigger,
                    "source": source,
                    "dest": transition.dest,
                    "after": _marker(index),
                }
                conditions = []
                if transition.guard is not None:
                    guard = transition.guard
                    conditions.append(lambda ed, g=guard: holds(g, ed.kwargs["facts"]))
                if transition.given is not None:  # also sees the action's own inputs
                    given = transition.given
                    conditions.append(lambda ed, g=given: holds(g, {**ed.kwargs["facts"], **ed.kwargs["inputs"]}))
                if conditions:
                    spec["conditions"] = conditions
                specs.append(spec)
        self.machine = Machine(
            model=None,
            states=list(protocol.spec.steps),
            transitions=specs,
            initial=protocol.initial,
            auto_transitions=False,
            send_event=True,
            ignore_invalid_triggers=False,
        )

    def step(
        self, state: str, trigger: str, facts: Mapping[str, Any], inputs: Mapping[str, Any] | None = None
    ) -> Cursor | None:
        """The cursor after firing, or None when no guard held.

        Raises KeyError for an unknown trigger and MachineError for one that is not
        valid from ``state``.
        """
        event = self.machine.events[trigger]
        cursor = Cursor(state)
        if not event.trigger(cursor, facts=facts, inputs=dict(inputs or {})):
            return None
        return cursor


def _marker(index: int) -> Any:
    def mark(event_data: EventData) -> None:
        cursor = event_data.model
        assert isinstance(cursor, Cursor)
        cursor.taken = index

    return mark


_MACHINES: dict[str, ProtocolMachine] = {}


def machine_for(protocol: Protocol) -> ProtocolMachine:
    machine = _MACHINES.get(protocol.content_hash)
    if machine is None:
        machine = _MACHINES[protocol.content_hash] = ProtocolMachine(protocol)
    return machine


__all__ = ["Cursor", "MachineError", "ProtocolMachine", "machine_for"]
