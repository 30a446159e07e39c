"""Terms (timers, obligations, remedy terms): lengths within their legal limits, decided
durations, shifts, start facts and recurrence."""

from __future__ import annotations

from engine.durations import Duration, DurationSyntaxError, Unit
from engine.protocol.checks.context import Context
from engine.protocol.checks.guards import check_guard
from engine.protocol.schema import ENTERED, ObligationSpec, TimerSpec
from engine.protocol.statutory import CATALOGUE, StatutoryTerm, cited
from engine.protocol.yamlsource import Path_


def check_step_term(c: Context, path: Path_, term: TimerSpec | ObligationSpec) -> None:
    """A timer or obligation of a step, after its id."""
    check_limits(c, path, term)
    _check_decided_duration(c, path, term)
    _check_shift(c, path, term)
    if term.when is not None:
        check_guard(c, path + ("when",), term.when)
    if term.start != ENTERED:
        spec = c.inputs.get(term.start)
        action = term.start in {t.trigger for t in c.spec.transitions}
        if action and spec is not None:
            c.err(path + ("from",), f"'{term.start}' is zowel een invoerveld als een actie; geef het invoerveld een andere naam")
        elif not action and (spec is None or spec.type != "datum"):
            c.err(
                path + ("from",),
                f"'{term.start}' is geen invoerveld van type datum, geen actie (en niet '{ENTERED}')",
            )


def check_limits(c: Context, path: Path_, term: TimerSpec | ObligationSpec) -> None:
    length = Duration.parse(term.after)
    if length.unit is Unit.WEEK_END and not term.measure:
        c.err(path + ("after",), "'tot het einde van de week' kan alleen bij een maatregel (measure: true)")
    _check_statutory(c, path, term, length)
    if term.floor and length.shorter_than(Duration.parse(term.floor.after)):
        c.err(
            path + ("after",),
            f"{term.after} is korter dan de wettelijke ondergrens van {term.floor.after} ({term.floor.basis})",
        )
    if term.ceiling and Duration.parse(term.ceiling.after).shorter_than(length):
        c.err(
            path + ("after",),
            f"{term.after} is langer dan de wettelijke bovengrens van {term.ceiling.after} ({term.ceiling.basis})",
        )


def _check_statutory(c: Context, path: Path_, term: TimerSpec | ObligationSpec, length: Duration) -> None:
    """The catalogue's limits: of the term it names, and of every article its basis cites."""
    limits = cited(term.basis)
    named = _named_term(c, path, term)
    if named is not None:
        limits.append(named)
    explicit = {"floor": term.floor, "ceiling": term.ceiling}
    for limit in {t.key: t for t in limits}.values():
        own = explicit[limit.kind]
        if own is not None and Duration.parse(own.after) == Duration.parse(limit.limit):
            continue  # the protocol states this limit itself; it is checked by check_limits
        if limit.crossed_by(length):
            word = "korter" if limit.kind == "floor" else "langer"
            c.err(path + ("after",), f"{term.after} is {word} dan {limit.describe()}")


def _named_term(c: Context, path: Path_, term: TimerSpec | ObligationSpec) -> StatutoryTerm | None:
    """The catalogue's term the protocol names (``wettelijk``), counted by its rule."""
    if term.wettelijk is None:
        return None
    named = CATALOGUE.get(term.wettelijk)
    if named is None:
        c.err(path + ("wettelijk",), f"onbekende wettelijke termijn '{term.wettelijk}'{c.known('catalogue', CATALOGUE)}")
        return None
    if term.rule != named.rule:
        how = "de Algemene termijnenwet" if named.rule == "atw" else "kalenderdagen"
        c.err(path + ("rule",), f"de wettelijke termijn '{named.key}' rekent met {how}; zet rule: {named.rule}")
    return named


def _check_decided_duration(c: Context, path: Path_, term: TimerSpec | ObligationSpec) -> None:
    """A duration decided in the case comes from a choice of durations within the limit."""
    if term.duration_from is None:
        return
    spec = c.inputs.get(term.duration_from)
    if spec is None or spec.type != "keuze":
        c.err(path + ("duration_from",), f"'{term.duration_from}' is geen invoerveld van type keuze")
        return
    limit = Duration.parse(term.ceiling.after if term.ceiling else term.after)
    for option in spec.options or []:
        try:
            chosen = Duration.parse(option)
            too_long = limit.shorter_than(chosen)
        except DurationSyntaxError as exc:
            c.err(path + ("duration_from",), f"keuze '{option}' van '{term.duration_from}': {exc}")
            continue
        if chosen.unit is Unit.WEEK_END and not term.measure:
            c.err(path + ("duration_from",), f"keuze '{option}' kan alleen bij een maatregel (measure: true)")
        if too_long:
            c.err(path + ("duration_from",), f"keuze '{option}' is langer dan {limit}")


def _check_shift(c: Context, path: Path_, term: TimerSpec | ObligationSpec) -> None:
    if term.shift is None:
        return
    try:
        if Duration.parse(term.shift).unit.value != "dagen":
            c.err(path + ("shift",), "een verschuiving telt in dagen, bijvoorbeeld '7 dagen'")
    except DurationSyntaxError as exc:
        c.err(path + ("shift",), str(exc))


def check_recurrence(c: Context, path: Path_, timer: TimerSpec) -> None:
    if timer.every is None:
        for key in ("until", "times"):
            if getattr(timer, key) is not None:
                c.err(path + (key,), f"'{key}' hoort bij een terugkerende timer (every)")
        return
    every = Duration.parse(timer.every)
    if every.unit is Unit.WEEK_END or every.amount == 0:
        c.err(path + ("every",), "'every' is een interval zoals '1 week' of '5 schooldagen'")
    if timer.rule == "atw" or timer.measure:
        c.err(path + ("every",), "een terugkerende timer telt in de kalender; laat rule: atw en measure weg")
    if timer.until is not None:
        spec = c.inputs.get(timer.until)
        if spec is None or spec.type != "datum":
            c.err(path + ("until",), f"'{timer.until}' is geen invoerveld van type datum")

