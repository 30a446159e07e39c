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


def check_meaning(spec: ProtocolSpec, located: Located) -> list[Problem]:
    c = Context(spec, located)
    for check in _CHECKS:
        check(c)
    if not c.problems:  # the graph of a protocol with unknown steps says nothing
        check_graph(c)
    return c.problems
