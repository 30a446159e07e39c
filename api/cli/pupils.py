"""trede pupil: read pupils from the school's administration and record that one left.

``trede leerlingen import|vertrek`` were the Dutch names of the same acts; they stay as hidden
aliases so that existing scripts keep working, and say on stderr what the command is now called."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer

from api.cli.common import OPTIONS, Actor, emit, handles_errors, principal_of, read_bytes
from engine.inputs import parse_day

pupil_app = typer.Typer(
    help="Leerlingen inlezen uit de leerlingadministratie (EDEXML of CSV) en hun vertrek vastleggen.",
    no_args_is_help=True,
)
legacy_app = typer.Typer(help="Oude naam van 'trede pupil'.", no_args_is_help=True)

RosterFile = Annotated[Path, typer.Argument(help="Een EDEXML-export (EDEX.xml) of een CSV-bestand")]
School = Annotated[str, typer.Option("--school")]


@pupil_app.command("import")
@handles_errors
def pupil_import(file: RosterFile, school: School, actor: Actor) -> None:
    """Lees leerlingen, groepen en leerkrachten in (de directeur). Opnieuw inlezen is veilig:
    wat niet veranderde, blijft; wie ontbreekt, wordt als vertrokken voorgesteld."""
    import_roster(file, school, actor)


def import_roster(file: Path, school: str, actor: str) -> None:
    from adapters.imports import read_roster

    roster = read_roster(read_bytes(file, "bestand"), file.name)
    report = OPTIONS.app().engine.pupils.import_roster(principal_of(actor), school, roster)
    human = (
        f"{report.source} voor {school}: {report.pupils} leerlingen in {report.groups} groepen; "
        f"{report.added} nieuw, {report.changed} gewijzigd, {report.unchanged} ongewijzigd"
    )
    if report.proposed_departures:
        human += f"\nvoorgesteld als vertrokken ({len(report.proposed_departures)}): {', '.join(report.proposed_departures)}"
    if report.teachers_linked:
        human += "\nleerkrachten gekoppeld: " + "; ".join(f"{u} ({', '.join(g)})" for u, g in report.teachers_linked.items())
    if report.teachers_unmatched:
        human += f"\nzonder leerkrachtaccount op deze school: {', '.join(report.teachers_unmatched)}"
    emit(report.to_dict(), human)


@pupil_app.command("left")
@handles_errors
def pupil_left(
    school: School,
    subject: Annotated[str, typer.Option("--subject", help="Het pseudoniem van de leerling: de naam zoals trede haar toont")],
    on: Annotated[str, typer.Option("--on", help="De dag van vertrek (dd-mm-jjjj of JJJJ-MM-DD)")],
    actor: Actor,
) -> None:
    """Leg vast dat een leerling de school verlaat (de directeur of de privacyfunctionaris).
    Een vertrek dat een import voorstelde, wordt daarmee bevestigd. Protocollen die bij vertrek
    anonimiseren, doen dat bij de volgende bewaartermijn-ronde."""
    payload = record_departure(school, subject, parse_day("on", on, "dag van vertrek"), actor)
    emit(payload, f"vertrek van {subject} vastgelegd op {payload['left_on']}")


def record_departure(school: str, subject: str, left_on: date, actor: str) -> dict[str, Any]:
    """One act, whether or not the pupil came from an import: a departure the import proposed
    is confirmed (the pupil list shows them as left), any other pseudonym is recorded as is."""
    engine = OPTIONS.app().engine
    principal = principal_of(actor)
    proposed = subject in {p.name for p in engine.pupils.proposed_departures(principal, school)}
    if proposed:
        engine.pupils.confirm_departure(principal, school, subject, left_on)
    else:
        engine.retention.record_departure(principal, school, subject, left_on)
    return {"school": school, "subject": subject, "left_on": left_on.isoformat(), "proposed": proposed}


# --- the old Dutch names --------------------------------------------------------


def renamed(old: str, new: str, options: str = "") -> None:
    """On stderr, so that a script reading the JSON answer reads the same as before."""
    typer.echo(f"let op: 'trede {old}' heet nu 'trede {new}'{options}; de oude naam verdwijnt in een latere versie", err=True)


@legacy_app.command("import")
@handles_errors
def legacy_import(file: RosterFile, school: School, actor: Actor) -> None:
    """Oude naam van 'trede pupil import'."""
    renamed("leerlingen import", "pupil import")
    import_roster(file, school, actor)


@legacy_app.command("vertrek")
@handles_errors
def legacy_departure(
    school: School,
    leerling: Annotated[str, typer.Option("--leerling", help="De naam zoals trede haar toont")],
    on: Annotated[str, typer.Option("--op", help="De dag van vertrek (dd-mm-jjjj)")],
    actor: Actor,
) -> None:
    """Oude naam van 'trede pupil left' (--leerling is --subject, --op is --on)."""
    renamed("leerlingen vertrek", "pupil left", " (--leerling heet daar --subject, --op heet --on)")
    payload = record_departure(school, leerling, parse_day("op", on, "dag van vertrek"), actor)
    emit({**payload, "leerling": leerling}, f"vertrek van {leerling} vastgelegd")
