"""trede incident / trede incidents: record incidents apart from any case, list them, link
them to a case, load the incident categories as a new version, and switch the bill's duties
on for a board (issue 28)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import OPTIONS, Actor, emit, handles_errors, principal_of, read_bytes
from engine.incidents import Incident
from engine.inputs import parse_day
from engine.usecases.incidents import IncidentFilter

incident_app = typer.Typer(help="Incidenten vastleggen, opzoeken en aan een zaak koppelen.", no_args_is_help=True)
incidents_app = typer.Typer(help="Incidentcategorieën en de plichten uit het wetsvoorstel.", no_args_is_help=True)
categories_app = typer.Typer(help="De incidentcategorieën (versies met hun bron).", no_args_is_help=True)
incidents_app.add_typer(categories_app, name="categories")

School = Annotated[str, typer.Option("--school")]


def _line(i: Incident) -> str:
    report = f" meldzaak {i.report_case}" if i.report_case else (" (ernstig; geen meldzaak)" if i.serious else "")
    cases = f" zaken {', '.join(i.cases)}" if i.cases else ""
    return f"{i.id} {i.happened_at.date().isoformat()} {i.kind} {i.place} {i.seriousness}{report}{cases}"


@incident_app.command("record")
@handles_errors
def incident_record(
    school: School,
    kind: Annotated[str, typer.Option("--kind", help="Soort (een sleutel uit de incidentcategorieën)")],
    place: Annotated[str, typer.Option("--place", help="Plaats")],
    seriousness: Annotated[str, typer.Option("--seriousness", help="Ernst")],
    actor: Actor,
    on: Annotated[str | None, typer.Option("--on", help="De dag waarop het gebeurde (standaard vandaag; niet later, en hoogstens drie maanden terug)")] = None,
    person: Annotated[
        list[str] | None, typer.Option("--person", help="Een betrokkene als PSEUDONIEM=rol (slachtoffer, dader, getuige, medewerker)")
    ] = None,
    role: Annotated[str | None, typer.Option("--role")] = None,
) -> None:
    """Leg een incident vast, los van een zaak. Een ernstig incident opent zijn meldzaak."""
    involved = []
    for given in person or []:
        pseudonym, _, part = given.partition("=")
        involved.append((pseudonym, part))
    incident = OPTIONS.app().engine.incidents.record(
        principal_of(actor), school=school, kind=kind, place=place, seriousness=seriousness,
        happened=parse_day("on", on) if on else OPTIONS.app().engine.clock.now(), involved=involved, role=role,
    )
    emit(incident.as_dict(), f"vastgelegd: {_line(incident)}")


@incident_app.command("list")
@handles_errors
def incident_list(
    school: School,
    actor: Actor,
    kind: Annotated[str | None, typer.Option("--kind")] = None,
    since: Annotated[str | None, typer.Option("--since")] = None,
    until: Annotated[str | None, typer.Option("--until")] = None,
    serious: Annotated[bool, typer.Option("--serious", help="Alleen ernstige incidenten")] = False,
) -> None:
    """De incidenten van een school, nieuwste eerst."""
    filters = IncidentFilter(
        kind=kind, since=parse_day("since", since) if since else None, until=parse_day("until", until) if until else None,
        serious_only=serious,
    )
    found = OPTIONS.app().engine.incidents.at_school(principal_of(actor), school, filters)
    emit({"incidents": [i.as_dict() for i in found]}, "\n".join(_line(i) for i in found) or "geen incidenten")


@incident_app.command("link")
@handles_errors
def incident_link(
    incident: Annotated[str, typer.Argument()],
    case: Annotated[str, typer.Option("--case")],
    actor: Actor,
    role: Annotated[str | None, typer.Option("--role")] = None,
) -> None:
    """Koppel een incident aan een zaak van dezelfde school."""
    linked = OPTIONS.app().engine.incidents.link(principal_of(actor), incident, case, role)
    emit(linked.as_dict(), f"gekoppeld: {_line(linked)}")


@categories_app.command("load")
@handles_errors
def categories_load(
    file: Annotated[Path, typer.Argument(help="Een YAML-bestand met incidentcategorieën")], actor: Actor
) -> None:
    """Laad de incidentcategorieën als nieuwe versie (zonder codewijziging)."""
    text = read_bytes(file, "bestand").decode("utf-8")
    loaded, new = OPTIONS.app().engine.incidents.load_categories(principal_of(actor), text, file.name)
    emit(
        {"version": loaded.version, "content_hash": loaded.content_hash, "new": new},
        f"incidentcategorieën versie {loaded.version} ({loaded.content_hash[:12]}){'' if new else ': al geladen'}",
    )


@incidents_app.command("bill")
@handles_errors
def incidents_bill(
    board: Annotated[str, typer.Option("--board")],
    actor: Actor,
    on: Annotated[bool, typer.Option("--on/--off", help="Aan of uit (standaard uit tot de wet in werking is)")] = True,
) -> None:
    """Zet de meldplicht uit het wetsvoorstel Wet vrij en veilig onderwijs (Kamerstuk 36 777) aan of uit voor een bestuur."""
    OPTIONS.app().engine.incidents.switch_bill(principal_of(actor), board, on)
    emit({"board": board, "on": on}, f"plichten uit het wetsvoorstel voor {board}: {'aan' if on else 'uit'}")
