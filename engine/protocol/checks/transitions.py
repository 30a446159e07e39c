"""Actions (transitions): the steps, roles, inputs, guards and obligations they name, and
no action twice from one step without a condition that tells them apart."""

from __future__ import annotations

from engine.protocol.checks.context import Context
from engine.protocol.checks.guards import check_guard
from engine.protocol.schema import TransitionSpec
from engine.protocol.yamlsource import Path_

# Names the state machine keeps for itself: a trigger called so could never fire.
RESERVED_TRIGGERS = frozenset({"state"})

# Per action, (trigger, source step) -> whether an earlier action from there had no condition.
_Seen = dict[tuple[str, str], bool]


def check_transitions(c: Context) -> None:
    seen: _Seen = {}
    for i, t in enumerate(c.spec.transitions):
        path: Path_ = ("transitions", i)
        if t.trigger in RESERVED_TRIGGERS:
            c.err(path + ("trigger",), f"'{t.trigger}' is gereserveerd; kies een andere naam voor deze actie")
        _check_steps(c, path, t)
        c.check_roles(path + ("roles",), t.roles)
        _check_inputs(c, path, t)
        _check_guards(c, path, t)
        _check_opens(c, path, t)
        _check_fulfils(c, path, t)
        _check_clears(c, path, t)
        for j, name in enumerate(t.counts_as or ()):
            if name == t.trigger or name not in c.triggers:
                c.err(path + ("counts_as", j), f"'{name}' is geen andere actie{c.known('actions', c.triggers)}")
        _check_duplicates(c, path, t, seen)


def _check_steps(c: Context, path: Path_, t: TransitionSpec) -> None:
    if t.from_ != "*":
        for j, source in enumerate(t.from_):
            if source not in c.steps:
                c.err(
                    path + ("from", j) if len(t.from_) > 1 else path + ("from",),
                    f"onbekende stap '{source}'{c.known('steps', c.steps)}",
                )
            elif c.spec.steps[source].final:
                c.err(path + ("from",), f"stap '{source}' is een eindstap; daaruit kan niets meer")
    if t.to is not None and t.to not in c.steps:
        c.err(path + ("to",), f"onbekende stap '{t.to}'{c.known('steps', c.steps)}")


def _check_inputs(c: Context, path: Path_, t: TransitionSpec) -> None:
    for listed in ("requires", "accepts"):
        for j, name in enumerate(getattr(t, listed)):
            if name not in c.inputs:
                c.err(path + (listed, j), f"onbekend invoerveld '{name}'{c.known('inputs', c.inputs)}")


def _check_guards(c: Context, path: Path_, t: TransitionSpec) -> None:
    if t.when is not None:
        check_guard(c, path + ("when",), t.when)
    if t.given is not None:
        check_guard(c, path + ("given",), t.given)
    for j, advice in enumerate(t.advice or ()):
        check_guard(c, path + ("advice", j, "when"), advice.when)


def _check_opens(c: Context, path: Path_, t: TransitionSpec) -> None:
    """A linked case is about the pupil named in a tekst input the action requires, in the
    group named by a tekst or keuze input it requires."""
    if t.opens is not None and t.opens.group_from is not None:
        group = c.inputs.get(t.opens.group_from)
        if group is None or group.type not in ("tekst", "keuze") or t.opens.group_from not in t.requires:
            c.err(
                path + ("opens", "group_from"),
                f"'{t.opens.group_from}' moet een invoerveld van type tekst of keuze zijn dat in 'requires' staat",
            )
    if t.opens is None or t.opens.subject_from is None:
        return
    named = c.inputs.get(t.opens.subject_from)
    if named is None or named.type != "tekst" or t.opens.subject_from not in t.requires:
        c.err(
            path + ("opens", "subject_from"),
            f"'{t.opens.subject_from}' moet een invoerveld van type tekst zijn dat in 'requires' staat",
        )


def _check_fulfils(c: Context, path: Path_, t: TransitionSpec) -> None:
    for j, name in enumerate(t.fulfils):
        if name not in c.obligation_ids:
            c.err(path + ("fulfils", j), f"'{name}' is geen verplichting{c.known('obligations', c.obligation_ids)}")


def _check_clears(c: Context, path: Path_, t: TransitionSpec) -> None:
    """An action clears recorded inputs, not what fixes who sees the case or who consented."""
    fixed = set(c.spec.need_to_know.opening_facts()) if c.spec.need_to_know else set()
    if c.spec.identity is not None and c.spec.identity.consent:
        fixed.add(c.spec.identity.consent)
    for j, name in enumerate(t.clears or ()):
        if name not in c.spec.inputs:
            c.err(path + ("clears", j), f"onbekend invoerveld '{name}'{c.known('own inputs', c.spec.inputs)}")
        elif name in fixed:
            c.err(path + ("clears", j), f"'{name}' ligt vast (wie de zaak ziet, of de instemming van de melder) en kan niet worden gewist")
        elif name in t.requires or name in t.accepts:
            c.err(path + ("clears", j), f"'{name}' staat ook bij requires of accepts van deze actie; wissen of vastleggen, niet allebei")


def _check_duplicates(c: Context, path: Path_, t: TransitionSpec, seen: _Seen) -> None:
    """Two actions with one trigger from one step need conditions to choose between them."""
    for source in c.live_steps() if t.from_ == "*" else t.from_:
        key = (t.trigger, source)
        unconditional = t.when is None and t.given is None
        if key in seen and (unconditional or seen[key]):
            c.err(
                path + ("trigger",),
                f"actie '{t.trigger}' vanuit '{source}' staat er dubbel zonder onderscheidende voorwaarde",
            )
        seen[key] = seen.get(key, False) or unconditional
