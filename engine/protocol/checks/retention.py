"""Retention: what marks a case as holding a decision, which is kept longer."""

from __future__ import annotations

from engine.protocol.checks.context import Context


def check_retention(c: Context) -> None:
    retention = c.spec.retention
    if retention is None or retention.decisions is None:
        return
    for i, name in enumerate(retention.decisions.facts):
        if name not in c.inputs:
            c.err(("retention", "decisions", "facts", i), f"onbekend invoerveld '{name}'{c.known('inputs', c.inputs)}")
    triggers = {t.trigger for t in c.spec.transitions}
    for i, name in enumerate(retention.decisions.actions):
        if name not in triggers:
            c.err(("retention", "decisions", "actions", i), f"onbekende actie '{name}'{c.known('triggers', triggers)}")
    if not retention.decisions.facts and not retention.decisions.actions:
        c.err(("retention", "decisions"), "noem bij 'facts' of 'actions' waaraan een besluit te herkennen is")
