"""Steps: the ids of their timers and obligations, what a timer does when it expires, who
owes an obligation, parallel tracks and decisions."""

from __future__ import annotations

from engine.protocol.checks.context import Context
from engine.protocol.checks.terms import check_recurrence, check_step_term
from engine.protocol.schema import ObligationSpec, StepSpec, TimerSpec
from engine.protocol.yamlsource import Path_


def check_steps(c: Context) -> None:
    ids: dict[str, Path_] = {}  # every timer and obligation id so far, across steps: where it was given
    triggers = {t.trigger for t in c.spec.transitions}
    for step_id, step in c.spec.steps.items():
        base: Path_ = ("steps", step_id)
        _check_terms(c, base, step, ids, triggers)
        _check_timers(c, base, step_id, step)
        _check_obligations(c, base, step_id, step)
        _check_tracks(c, base, step_id, step)
        _check_decision(c, base, step)
    for i, t in enumerate(c.spec.transitions):  # obligations an action starts
        for j, ob in enumerate(t.obligations or ()):
            path: Path_ = ("transitions", i, "obligations", j)
            _check_term_id(c, path, ob.id, ids, triggers)
            check_step_term(c, path, ob)
            c.check_roles(path + ("roles",), ob.roles)
            c.check_roles(path + ("escalate",), ob.escalate)
            if ob.track is not None:
                c.err(path + ("track",), "een verplichting die een actie start, hoort bij geen spoor; zet 'track' bij de actie")


def _check_terms(c: Context, base: Path_, step: StepSpec, ids: dict[str, Path_], triggers: set[str]) -> None:
    """Timers, then obligations: an id of their own, and a sound term."""
    items: list[tuple[Path_, TimerSpec | ObligationSpec]] = [
        (base + ("timers", i), timer) for i, timer in enumerate(step.timers)
    ]
    items += [(base + ("obligations", i), ob) for i, ob in enumerate(step.obligations)]
    for path, item in items:
        _check_term_id(c, path, item.id, ids, triggers)
        check_step_term(c, path, item)


def _check_term_id(c: Context, path: Path_, item_id: str, ids: dict[str, Path_], triggers: set[str]) -> None:
    if item_id in ids:
        c.err(path + ("id",), f"id '{item_id}' komt al voor (regel {c.at(ids[item_id], '').line})")
    ids[item_id] = path + ("id",)
    if item_id in triggers:
        c.err(path + ("id",), f"id '{item_id}' is ook de naam van een actie")
    if item_id in c.inputs or item_id in c.spec.steps:
        c.err(path + ("id",), f"id '{item_id}' is ook de naam van een invoerveld of stap")


def _check_timers(c: Context, base: Path_, step_id: str, step: StepSpec) -> None:
    """A timer recurs soundly; on expiry it fires an action possible from its step."""
    for i, timer in enumerate(step.timers):
        check_recurrence(c, base + ("timers", i), timer)
        path = base + ("timers", i, "on_expiry")
        if timer.on_expiry.fire is not None and step.final:
            c.err(
                path + ("fire",),
                "een eindstap heeft geen acties; een nazorgtermijn in een eindstap waarschuwt: "
                "schrijf on_expiry: {escalate: [rollen]}, of gebruik een verplichting",
            )
        elif timer.on_expiry.fire is not None:
            valid = c.triggers_from(step_id)
            if timer.on_expiry.fire not in valid:
                c.err(
                    path + ("fire",),
                    f"actie '{timer.on_expiry.fire}' kan niet vanuit stap '{step_id}'; mogelijk: {', '.join(valid) or 'geen'}",
                )
        if timer.on_expiry.escalate:
            c.check_roles(path + ("escalate",), timer.on_expiry.escalate)


def _check_obligations(c: Context, base: Path_, step_id: str, step: StepSpec) -> None:
    for i, ob in enumerate(step.obligations):
        c.check_roles(base + ("obligations", i, "roles"), ob.roles)
        c.check_roles(base + ("obligations", i, "escalate"), ob.escalate)
        if ob.track is not None and ob.track not in (step.tracks or {}):
            c.err(base + ("obligations", i, "track"), f"stap '{step_id}' heeft geen spoor '{ob.track}'")


def _check_tracks(c: Context, base: Path_, step_id: str, step: StepSpec) -> None:
    """A track is done by an action that stays in its step; tagged actions start there."""
    named = c.named_from.get(step_id, [])
    for name, track in (step.tracks or {}).items():
        doing = [t for _, t in named if t.trigger == track.done_by]
        if not doing or any(t.to is not None for t in doing):
            c.err(
                base + ("tracks", name, "done_by"),
                f"'{track.done_by}' moet een actie vanuit stap '{step_id}' zonder 'to' zijn (die rondt het spoor af)",
            )
    for i, t in named:
        if t.track is not None and t.track not in (step.tracks or {}):
            c.err(("transitions", i, "track"), f"stap '{step_id}' heeft geen spoor '{t.track}'")


def _check_decision(c: Context, base: Path_, step: StepSpec) -> None:
    if not step.decision:
        return
    c.check_roles(base + ("decision", "roles"), step.decision.roles)
    for answer_id, answer in step.decision.answers.items():
        if answer.to not in c.steps:
            c.err(base + ("decision", "answers", answer_id, "to"), f"onbekende stap '{answer.to}'{c.known('steps', c.steps)}")
    if step.final:
        c.err(base + ("decision",), "een eindstap kan geen beslissing hebben")
