"""trede timers: let due deadlines fire and apply retention, optionally in simulated time."""

from __future__ import annotations

import typer

from api.cli.common import OPTIONS, Until, emit, handles_errors, local_time, parse_until

timers_app = typer.Typer(help="Termijnen laten aflopen.", no_args_is_help=True)


@timers_app.command("retention")
@handles_errors
def timers_retention(
    until: Until = None,
) -> None:
    """Anonimiseer afgesloten zaken waarvan de bewaartermijn voorbij is."""
    engine = OPTIONS.app().engine
    moment = parse_until(until)
    if moment is not None:
        engine.timers.advance_clock(moment)
    done = engine.retention.apply()
    emit({"anonymised": done}, f"{len(done)} zaken geanonimiseerd")



@timers_app.command("run")
@handles_errors
def timers_run(
    until: Until = None,
) -> None:
    """Laat alle verstreken termijnen aflopen."""
    engine = OPTIONS.app().engine
    events = engine.timers.run(parse_until(until))
    rows = [
        {"case_id": e.case_id, "seq": e.seq, "type": e.type, "deadline": e.data.get("deadline"), "to_step": e.to_step}
        for e in events
    ]
    human = "\n".join(f"zaak {r['case_id']}: {r['deadline']} -> {r['type']}" for r in rows) or "niets verlopen"
    emit({"now": engine.clock.now().isoformat(), "fired": rows}, human + f"\n(nu: {local_time(engine.clock.now())})")

