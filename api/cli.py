"""The ``trede`` command line. Every command can answer in JSON (--json) and exits non-zero
on error with the engine error's own exit code; no traceback reaches the user."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import pyotp
import typer

from adapters.protocol_files import BUNDLED, ProtocolFiles
from adapters.signing import Ed25519Checker, Ed25519Signer, generate
from adapters.sql.database import init_database, make_engine
from api.bootstrap import App, bootstrap, database_url
from engine.access import OPERATOR, Membership, Principal
from engine.audit import ReplayStep, Verification
from engine.case import DeadlineStatus
from engine.checkpoints import Checkpoint
from engine.errors import InputError, ProtocolError, TredeError
from engine.inputs import check_identifier, parse_day
from engine.ports import SchoolRecord
from engine.protocol.diagram import mermaid, reference, svg
from engine.protocol.diff import diff_protocols
from engine.protocol.loader import load_protocol_file
from engine.protocol.model import Protocol
from engine.protocol.variants import Resolver
from engine.terms import AMSTERDAM
from engine.usecases import Engine
from engine.views import CaseView

app = typer.Typer(
    help="trede: protocollen voor sociale veiligheid, uitgevoerd en controleerbaar.", no_args_is_help=True
)
db_app = typer.Typer(help="De database aanmaken.", no_args_is_help=True)
protocol_app = typer.Typer(help="Protocollen controleren, laden en bekijken.", no_args_is_help=True)
case_app = typer.Typer(help="Zaken openen, verder zetten en bekijken.", no_args_is_help=True)
users_app = typer.Typer(help="Scholen, gebruikers en API-tokens beheren.", no_args_is_help=True)
timers_app = typer.Typer(help="Termijnen laten aflopen.", no_args_is_help=True)
audit_app = typer.Typer(help="De audittrail afspelen en controleren.", no_args_is_help=True)
pupil_app = typer.Typer(help="Gegevens over leerlingen die de bewaartermijn raken.", no_args_is_help=True)
app.add_typer(db_app, name="db")
app.add_typer(protocol_app, name="protocol")
app.add_typer(case_app, name="case")
app.add_typer(timers_app, name="timers")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.add_typer(pupil_app, name="pupil")
leerlingen_app = typer.Typer(help="Leerlingen en groepen uit de leerlingadministratie (EDEXML of CSV).", no_args_is_help=True)
app.add_typer(leerlingen_app, name="leerlingen")


@dataclass
class Options:
    db: str | None = None
    json: bool = False
    _app: App | None = None

    def app(self) -> App:
        if self._app is None:
            self._app = bootstrap(self.db)
        return self._app


OPTIONS = Options()
F = TypeVar("F", bound=Callable[..., Any])


@app.callback()
def _global(
    db: Annotated[
        str | None, typer.Option("--db", help="Database-URL (standaard: TREDE_DATABASE_URL of sqlite:///trede.db)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Antwoord als JSON")] = False,
) -> None:
    OPTIONS.db = db
    OPTIONS.json = as_json
    OPTIONS._app = None


def _emit(payload: Any, human: str) -> None:
    if OPTIONS.json:
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    else:
        typer.echo(human)


def handles_errors(func: F) -> F:
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TredeError as exc:
            if OPTIONS.json:
                typer.echo(json.dumps(exc.to_dict(), ensure_ascii=False, indent=2, default=str))
            else:
                typer.echo(f"fout: {exc.message}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except typer.Exit:
            raise
        except Exception as exc:  # a bug: say so plainly, keep the traceback for developers
            if os.environ.get("TREDE_DEBUG"):
                raise
            typer.echo(f"interne fout ({type(exc).__name__}); zet TREDE_DEBUG=1 voor details", err=True)
            raise typer.Exit(70) from None

    return wrapper  # type: ignore[return-value]


# --- parsing ------------------------------------------------------------------

Until = Annotated[str | None, typer.Option("--until", help="Simuleer tijd tot dit moment (alleen in een sandbox)")]


def _moment(value: str | None, field: str) -> date | datetime | None:
    if value is None:
        return None
    try:
        if "T" in value or " " in value:
            moment = datetime.fromisoformat(value)
            return moment if moment.tzinfo else moment.replace(tzinfo=AMSTERDAM)
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(field, f"'{value}' is geen datum (JJJJ-MM-DD) of tijdstip (JJJJ-MM-DDTUU:MM)") from None


def _until(value: str | None) -> datetime | None:
    moment = _moment(value, "until")
    if moment is None or isinstance(moment, datetime):
        return moment
    return datetime.combine(moment, time.min, tzinfo=AMSTERDAM)  # the start of that day


def _inputs(pairs: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InputError("input", f"'{pair}' is geen veld=waarde")
        values[name.strip()] = value
    return values


def _local(moment: datetime | None) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M") if moment else "-"


# --- db -------------------------------------------------------------------


@db_app.command("init")
@handles_errors
def db_init(
    sandbox: Annotated[
        bool, typer.Option("--sandbox", help="Gesimuleerde tijd toestaan (alleen voor oefenen en testen)")
    ] = False,
    app_role: Annotated[
        str | None,
        typer.Option("--app-role", help="PostgreSQL: geef daarna deze applicatierol haar rechten (zie db app-role)"),
    ] = None,
) -> None:
    """Maak de database aan (of werk het schema bij), als eigenaar van de tabellen."""
    url = database_url(OPTIONS.db)
    created = init_database(make_engine(url), sandbox=sandbox)
    if app_role is not None:
        from adapters.sql.database import grant_application_role

        grant_application_role(make_engine(url), app_role)
    shown = make_engine(url).url.render_as_string(hide_password=True)
    _emit(
        {"url": shown, "created": created, "sandbox": sandbox},
        f"database {'aangemaakt' if created else 'bijgewerkt'}: {shown}{' (sandbox)' if sandbox and created else ''}",
    )


@db_app.command("app-role")
@handles_errors
def db_app_role(
    role: Annotated[str, typer.Argument(help="Naam van de rol waarmee trede draait (bijvoorbeeld trede_app)")],
) -> None:
    """PostgreSQL: geef een rol precies de rechten om trede te draaien, zonder eigenaar van de
    tabellen te zijn: ze kan de bewaking (triggers) niet uitzetten, niet TRUNCATE-n en het schema
    niet wijzigen. Draai dit als eigenaar, na elke 'trede db init'."""
    from adapters.sql.database import grant_application_role

    url = database_url(OPTIONS.db)
    statements = grant_application_role(make_engine(url), role)
    _emit({"role": role, "statements": statements}, f"rol {role}: {len(statements)} opdrachten uitgevoerd")


@db_app.command("backup")
@handles_errors
def db_backup(target: Path) -> None:
    """Maak een consistente kopie van een SQLite-database terwijl trede draait (PostgreSQL: pg_dump)."""
    from adapters.sql.database import backup_sqlite

    url = database_url(OPTIONS.db)
    backup_sqlite(make_engine(url), target)
    _emit({"backup": str(target)}, f"kopie gemaakt: {target}")


# --- protocols ------------------------------------------------------------


def _resolver(path: Path, *, with_store: bool) -> Resolver:
    """A variant's base. Loading needs the base loaded first, so that a case replays against
    exactly the stored base; validating also looks next to the file and among the bundled ones."""
    if with_store:
        return OPTIONS.app().engine.services.stored_base
    return ProtocolFiles([path.parent, BUNDLED])


@protocol_app.command("validate")
@handles_errors
def protocol_validate(paths: Annotated[list[Path], typer.Argument(help="Protocolbestanden (YAML)")]) -> None:
    """Controleer protocolbestanden zonder ze te laden."""
    results: list[dict[str, Any]] = []
    failed = False
    for path in paths:
        try:
            protocol = load_protocol_file(path, _resolver(path, with_store=False))
            results.append(
                {
                    "file": str(path),
                    "ok": True,
                    "id": protocol.id,
                    "version": protocol.version,
                    "hash": protocol.content_hash,
                }
            )
        except ProtocolError as exc:
            failed = True
            results.append({"file": str(path), "ok": False, "problems": exc.fields["problems"]})
    if OPTIONS.json:
        typer.echo(json.dumps(results, ensure_ascii=False, indent=2))
    else:
        for r in results:
            if r["ok"]:
                typer.echo(f"{r['file']}: in orde ({r['id']} versie {r['version']})")
            else:
                for p in r["problems"]:
                    typer.echo(f"{p['file']}:{p['line']}:{p['column']}: {p['message']}", err=True)
    if failed:
        raise typer.Exit(ProtocolError.exit_code)


@protocol_app.command("load")
@handles_errors
def protocol_load(
    path: Path,
    school: Annotated[
        str | None, typer.Option("--school", help="Het eigen protocol van deze school (standaard: voor het hele bestuur)")
    ] = None,
) -> None:
    """Controleer en laad een protocol in de database."""
    protocol = load_protocol_file(path, _resolver(path, with_store=True))
    stored, created = OPTIONS.app().engine.protocols.load(OPERATOR, protocol, scope=school)
    _emit(
        {"id": stored.id, "version": stored.version, "hash": stored.content_hash, "created": created},
        f"{stored.id} versie {stored.version} {'geladen' if created else 'was al geladen'} ({stored.content_hash[:12]})",
    )


def _protocol_from(reference: str) -> Protocol:
    """A file path, or ID or ID@VERSION of a loaded protocol."""
    path = Path(reference)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return load_protocol_file(path, _resolver(path, with_store=False))
    protocol_id, _, version = reference.partition("@")
    if version and not version.isdigit():
        raise InputError("protocol", f"'{reference}' is geen bestand en geen ID@VERSIE")
    return OPTIONS.app().engine.protocols.get(protocol_id, int(version) if version else None).protocol


@protocol_app.command("diff")
@handles_errors
def protocol_diff(
    a: Annotated[str, typer.Argument(help="Bestand, ID of ID@VERSIE")],
    b: Annotated[str, typer.Argument(help="Bestand, ID of ID@VERSIE")],
) -> None:
    """Toon wat B verandert ten opzichte van A: stappen, termijnen, acties, rollen."""
    changes = diff_protocols(_protocol_from(a), _protocol_from(b))
    _emit([c.to_dict() for c in changes], "\n".join(str(c) for c in changes) or "geen verschillen")


@protocol_app.command("diagram")
@handles_errors
def protocol_diagram(
    reference: Annotated[str, typer.Argument(help="Bestand, ID of ID@VERSIE")],
    out: Annotated[Path | None, typer.Option("--out", help="Schrijf naar dit bestand (.mmd of .svg)")] = None,
    highlight: Annotated[str | None, typer.Option("--highlight", help="Markeer deze stap")] = None,
) -> None:
    """Het protocol als diagram: Mermaid-tekst, of SVG als --out op .svg eindigt."""
    protocol = _protocol_from(reference)
    text = svg(protocol, highlight) if out is not None and out.suffix == ".svg" else mermaid(protocol, highlight)
    if out is not None:
        out.write_text(text, encoding="utf-8")
    _emit({"diagram": text, "out": str(out) if out else None}, f"geschreven: {out}" if out else text.rstrip())


@protocol_app.command("docs")
@handles_errors
def protocol_docs(
    out: Annotated[Path, typer.Option("--out", help="Het naslagbestand")] = Path("docs/protocols.md"),
) -> None:
    """Schrijf de naslag van de meegeleverde protocollen (diagram en tabellen per protocol)."""
    out.write_text(protocols_page(), encoding="utf-8")
    _emit({"out": str(out)}, f"geschreven: {out}")


def protocols_page() -> str:
    sections = [reference(load_protocol_file(path)) for path in sorted(BUNDLED.glob("*.yaml"))]
    head = (
        "# De meegeleverde protocollen\n\n"
        "Gegenereerd met `trede protocol docs`; niet met de hand bewerken. Per protocol: het diagram, "
        "de stappen met hun bron, de rollen en de termijnen met regel, grondslag en wettelijke grens.\n\n"
    )
    return head + "\n".join(sections)


@protocol_app.command("list")
@handles_errors
def protocol_list() -> None:
    """Toon de geladen protocollen en hun versies."""
    stored = OPTIONS.app().engine.protocols.list()
    rows = [{"id": p.id, "version": p.version, "title": p.title, "hash": p.content_hash} for p in stored]
    human = "\n".join(f"{p.id:<32} v{p.version:<3} {p.content_hash[:12]}  {p.title}" for p in stored)
    _emit(rows, human or "geen protocollen geladen")


@protocol_app.command("show")
@handles_errors
def protocol_show(protocol_id: str, version: Annotated[int | None, typer.Option("--version")] = None) -> None:
    """Toon een protocol: stappen, acties en termijnen."""
    found = OPTIONS.app().engine.protocols.get(protocol_id, version)
    stored, protocol = found.stored, found.protocol
    spec = protocol.spec
    payload = {
        "id": spec.id,
        "version": spec.version,
        "hash": stored.content_hash,
        "spec": spec.model_dump(mode="json", by_alias=True),
    }
    lines = [f"{spec.title} ({spec.id} versie {spec.version}, {stored.content_hash[:12]})", f"bron: {spec.source}", ""]
    for step_id, step in spec.steps.items():
        lines.append(f"{step_id}: {step.label}{' [eindstap]' if step.final else ''}")
        for t in protocol.transitions_from(step_id):
            lines.append(f"    {t.trigger} -> {t.dest or '(blijft)'}  [{', '.join(sorted(t.roles))}]")
        for timer in step.timers:
            lines.append(f"    termijn {timer.id}: {timer.after} ({timer.rule}; {timer.basis})")
        for ob in step.obligations:
            lines.append(f"    verplichting {ob.id}: {ob.after} ({ob.rule}; {ob.basis})")
    _emit(payload, "\n".join(lines))


# --- cases ----------------------------------------------------------------

Actor = Annotated[str, typer.Option("--actor", help="Gebruikersnaam van wie dit doet (zie trede users add)")]
Role = Annotated[str | None, typer.Option("--role", help="De rol waarin; standaard de eerste die mag")]


def _principal(username: str) -> Principal:
    """The acting user, with the roles the accounts give them: the command line obeys the
    same access rules as the web application."""
    principal = OPTIONS.app().engine.users.principal(username.strip().lower())
    if principal is None:
        raise InputError("actor", f"gebruiker '{username}' bestaat niet of is niet actief; maak hem aan met 'trede users add'")
    return principal


@case_app.command("open")
@handles_errors
def case_open(
    protocol_id: str,
    school: Annotated[str, typer.Option("--school", help="School-id")],
    subject: Annotated[str, typer.Option("--subject", help="Pseudoniem van de leerling of melder")],
    actor: Actor,
    role: Role = None,
    group: Annotated[str | None, typer.Option("--group", help="Groep of klas")] = None,
    version: Annotated[int | None, typer.Option("--version", min=1)] = None,
    effective: Annotated[str | None, typer.Option("--effective", help="Datum van het voorval (JJJJ-MM-DD)")] = None,
    inputs: Annotated[
        list[str] | None, typer.Option("--input", help="veld=waarde: bij een melding het kanaal en wie zij betreft")
    ] = None,
) -> None:
    """Open een zaak volgens een protocol."""
    case = OPTIONS.app().engine.cases.open(
        _principal(actor),
        protocol_id,
        school=school,
        subject=subject,
        role=role,
        group=group,
        version=version,
        effective=_moment(effective, "effective"),
        inputs=_inputs(inputs or []),
    )
    _emit({"id": case.id, "step": case.step, "seq": case.seq}, f"zaak {case.id} geopend in stap '{case.step}'")


@case_app.command("fire")
@handles_errors
def case_fire(
    case_id: str,
    trigger: str,
    actor: Actor,
    role: Role = None,
    inputs: Annotated[list[str] | None, typer.Option("--input", help="veld=waarde, mag vaker")] = None,
    effective: Annotated[str | None, typer.Option("--effective", help="Datum waarop dit plaatsvond")] = None,
    expect_seq: Annotated[
        int | None, typer.Option("--expect-seq", min=1, help="Alleen als de zaak nog op deze gebeurtenis staat")
    ] = None,
) -> None:
    """Voer een actie uit in een zaak."""
    engine = OPTIONS.app().engine
    principal = _principal(actor)
    case = engine.cases.fire(
        principal,
        case_id,
        trigger,
        role=role,
        inputs=_inputs(inputs or []),
        effective=_moment(effective, "effective"),
        expected_seq=expect_seq,
    )
    view = engine.reads.case(principal, case_id, role=role, what="opdrachtregel")
    _emit(view.to_dict(), f"zaak {case.id}: nu in stap '{case.step}' (gebeurtenis {case.seq})")


@case_app.command("letter")
@handles_errors
def case_letter(
    case_id: str,
    name: str,
    actor: Actor,
    role: Role = None,
    inputs: Annotated[
        list[str] | None, typer.Option("--input", help="veld=waarde: wat de brief vraagt (ondertekenaar, verzending)")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", help="Schrijf de brief hierheen (.pdf of .html)")] = None,
) -> None:
    """Maak een brief uit de zaak; de brief wordt bij de zaak bewaard en de hash in de audittrail vastgelegd."""
    letter = OPTIONS.app().engine.cases.letter(
        _principal(actor), case_id, name, role=role, inputs=_inputs(inputs or [])
    )
    if out is not None:
        if out.suffix == ".html":
            out.write_text(letter.html, encoding="utf-8")
        else:
            out.write_bytes(letter.pdf)
    payload = {
        "case_id": letter.case_id,
        "seq": letter.seq,
        "letter": letter.name,
        "sha256_html": letter.sha256_html,
        "sha256_pdf": letter.sha256_pdf,
        "out": str(out) if out else None,
    }
    _emit(
        payload,
        f"brief '{letter.name}' gemaakt (gebeurtenis {letter.seq})" + (f", geschreven naar {out}" if out else ""),
    )


@case_app.command("anonymise")
@handles_errors
def case_anonymise(
    case_id: str,
    actor: Actor,
    reason: Annotated[str, typer.Option("--reason", help="Bijvoorbeeld: leerling heeft de school verlaten")],
) -> None:
    """Anonimiseer een afgesloten zaak nu (de privacyfunctionaris van de school)."""
    case = OPTIONS.app().engine.retention.anonymise(_principal(actor), case_id, reason=reason)
    _emit({"id": case.id, "anonymised": True}, f"zaak {case.id} geanonimiseerd")


@timers_app.command("retention")
@handles_errors
def timers_retention(
    until: Until = None,
) -> None:
    """Anonimiseer afgesloten zaken waarvan de bewaartermijn voorbij is."""
    engine = OPTIONS.app().engine
    moment = _until(until)
    if moment is not None:
        engine.timers.advance_clock(moment)
    done = engine.retention.apply()
    _emit({"anonymised": done}, f"{len(done)} zaken geanonimiseerd")


@pupil_app.command("left")
@handles_errors
def pupil_left(
    school: Annotated[str, typer.Option("--school")],
    subject: Annotated[str, typer.Option("--subject", help="Het pseudoniem van de leerling")],
    on: Annotated[str, typer.Option("--on", help="De dag van vertrek (dd-mm-jjjj of JJJJ-MM-DD)")],
    actor: Actor,
) -> None:
    """Leg vast dat een leerling de school verlaat (de directeur of de privacyfunctionaris);
    protocollen die dan anonimiseren doen dat bij de volgende bewaartermijn-ronde."""
    left_on = parse_day("on", on, "dag van vertrek")
    OPTIONS.app().engine.retention.record_departure(_principal(actor), school, subject, left_on)
    _emit({"school": school, "left_on": left_on.isoformat()}, f"vertrek vastgelegd op {left_on.isoformat()}")


@leerlingen_app.command("import")
@handles_errors
def pupils_import(
    file: Annotated[Path, typer.Argument(help="Een EDEXML-export (EDEX.xml) of een CSV-bestand")],
    school: Annotated[str, typer.Option("--school")],
    actor: Actor,
) -> None:
    """Lees leerlingen, groepen en leerkrachten in (de directeur). Opnieuw inlezen is veilig:
    wat niet veranderde, blijft; wie ontbreekt, wordt als vertrokken voorgesteld."""
    from adapters.imports import read_roster

    roster = read_roster(_read_bytes(file, "bestand"), file.name)
    report = OPTIONS.app().engine.pupils.import_roster(_principal(actor), school, roster)
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
    _emit(report.to_dict(), human)


@leerlingen_app.command("vertrek")
@handles_errors
def pupils_departure(
    school: Annotated[str, typer.Option("--school")],
    leerling: Annotated[str, typer.Option("--leerling", help="De naam zoals trede haar toont")],
    on: Annotated[str, typer.Option("--op", help="De dag van vertrek (dd-mm-jjjj)")],
    actor: Actor,
) -> None:
    """Bevestig het vertrek dat een import voorstelde; de bewaartermijn vanaf vertrek begint."""
    left = OPTIONS.app().engine.pupils.confirm_departure(_principal(actor), school, leerling, parse_day("op", on, "dag van vertrek"))
    _emit({"school": school, "leerling": left.name, "left_on": str(left.left_on)}, f"vertrek van {left.name} vastgelegd")


@case_app.command("migrate")
@handles_errors
def case_migrate(
    case_id: str,
    to_version: Annotated[int, typer.Option("--to-version", min=1, help="Versie van hetzelfde protocol")],
    actor: Actor,
    role: Role = None,
) -> None:
    """Zet een zaak over naar een andere versie van haar protocol (met een auditgebeurtenis)."""
    case = OPTIONS.app().engine.cases.migrate(_principal(actor), case_id, to_version, role=role)
    _emit({"id": case.id, "protocol_version": case.protocol_version}, f"zaak {case.id} volgt nu versie {case.protocol_version}")


@case_app.command("show")
@handles_errors
def case_show(case_id: str, actor: Actor, role: Role = None) -> None:
    """Toon een zaak: stap, termijnen, verplichtingen en wat deze rol nu kan doen."""
    view = OPTIONS.app().engine.reads.case(_principal(actor), case_id, role=role, what="opdrachtregel")
    _emit(view.to_dict(), _render_case(view))


def _render_case(view: CaseView) -> str:
    case, protocol = view.case, view.protocol
    step = protocol.step(case.step)
    lines = [
        f"zaak {case.id} — {protocol.spec.title} (versie {case.protocol_version})",
        f"school {case.school}, betreft {view.subject()}",
        f"stap: {step.label}{' (afgesloten)' if case.closed else ''}",
    ]
    if step.source:
        lines.append(f"bron: {step.source}")
    lines.append("termijnen en verplichtingen:")
    deadlines = sorted(
        case.deadlines.values(), key=lambda d: (d.due_at is None, d.due_at or datetime.max.replace(tzinfo=AMSTERDAM))
    )
    width = max((len(d.label) for d in deadlines), default=0)
    for d in deadlines:
        due = d.due_date or "wacht"
        when = "vanaf" if d.rule == "maatregel" else "na"  # a measure counts its first day
        lines.append(f"  {d.label:<{width}}  {due:<10}  {DeadlineStatus.shown(d.status):<17}  {d.duration} {when} {d.start_date or d.start}")
        lines.append(f"  {'':<{width}}  {d.rule}; {d.basis}")
        for ext in d.extensions:
            lines.append(f"      {ext}")
    if not deadlines:
        lines.append("  geen")
    lines.append("nu mogelijk:" if view.actions else "nu mogelijk: niets")
    for a in view.actions:
        needs = f" (vereist: {', '.join(a.requires)})" if a.requires else ""
        lines.append(f"  {a.trigger}: {a.label}{needs}")
    return "\n".join(lines)


# --- timers ---------------------------------------------------------------


@timers_app.command("run")
@handles_errors
def timers_run(
    until: Until = None,
) -> None:
    """Laat alle verstreken termijnen aflopen."""
    engine = OPTIONS.app().engine
    events = engine.timers.run(_until(until))
    rows = [
        {"case_id": e.case_id, "seq": e.seq, "type": e.type, "deadline": e.data.get("deadline"), "to_step": e.to_step}
        for e in events
    ]
    human = "\n".join(f"zaak {r['case_id']}: {r['deadline']} -> {r['type']}" for r in rows) or "niets verlopen"
    _emit({"now": engine.clock.now().isoformat(), "fired": rows}, human + f"\n(nu: {_local(engine.clock.now())})")


# --- audit ----------------------------------------------------------------


@audit_app.command("replay")
@handles_errors
def audit_replay(
    case_id: str, actor: Actor, upto: Annotated[int | None, typer.Option("--upto", min=1)] = None
) -> None:
    """Speel een zaak gebeurtenis voor gebeurtenis af, met de toestand ervoor en erna."""
    steps = OPTIONS.app().engine.reads.replay(_principal(actor), case_id).steps
    if upto is not None:
        steps = steps[:upto]
    payload = [{"event": s.event.to_dict(), "before": s.before, "after": s.after} for s in steps]
    _emit(payload, "\n".join(_render_step(s) for s in steps))


def _render_step(step: ReplayStep) -> str:
    e = step.event
    before = step.before["step"] if step.before else "-"
    line = (
        f"#{e.seq} {e.type:<20} {before} -> {step.after['step']}  door {e.actor} ({e.role}); "
        f"vastgelegd {_local(e.recorded_at)}, geldt vanaf {_local(e.effective_at)}"
    )
    if e.trigger:
        line += f"\n     actie: {e.trigger}"
    if e.type == "case_migrated":
        line += f"\n     overgezet van versie {e.data.get('from_version')} naar versie {e.data.get('to_version')}"
    if e.inputs:
        line += "\n     invoer: " + ", ".join(f"{k}={v}" for k, v in sorted(e.inputs.items()))
    for key, d in sorted(step.after["deadlines"].items()):
        if step.before is None or step.before["deadlines"].get(key) != d:
            line += f"\n     termijn {d['id']}: {d['due_date'] or '-'} {DeadlineStatus.shown(d['status'])}"
    return line


@audit_app.command("verify")
@handles_errors
def audit_verify(
    case_id: Annotated[str | None, typer.Argument()] = None,
    all_cases: Annotated[bool, typer.Option("--all", help="Alle zaken, protocolteksten en het toegangslog")] = False,
    checkpoint: Annotated[
        Path | None, typer.Option("--checkpoint", help="Controleer tegen dit controlepunt (bestand van de auditor)")
    ] = None,
    public_key: Annotated[
        Path | None, typer.Option("--public-key", help="De publieke sleutel waarmee het controlepunt is ondertekend")
    ] = None,
    actor: Annotated[
        str | None, typer.Option("--actor", help="Gebruikersnaam (standaard: de beheerder van deze server)")
    ] = None,
) -> None:
    """Herbereken de hashketens en vergelijk de zaken met hun gebeurtenissen; met --checkpoint
    ook of alles wat het controlepunt vastlegde er nog onveranderd en in dezelfde volgorde is."""
    engine = OPTIONS.app().engine
    principal = _principal(actor) if actor else OPERATOR
    if checkpoint is not None:
        _verify_checkpoint(engine, principal, checkpoint, public_key)
        return
    if all_cases == (case_id is not None):
        raise InputError("case_id", "geef een zaak-id, --all of --checkpoint")
    results: list[Verification] = (
        engine.reads.verify_all(principal) if all_cases else [engine.reads.verify(principal, case_id or "")]
    )
    store = engine.checkpoints.verify_store(principal) if all_cases else None
    bad = [r for r in results if not r.ok]
    human = "\n".join(
        f"zaak {r.case_id}: {'in orde' if r.ok else 'NIET IN ORDE'} ({r.events} gebeurtenissen)"
        + (f" — {r.problem}" if r.problem else "")
        for r in results
    )
    if store is not None:
        human += "\n" + ("opslag: in orde (protocolteksten, toegangslog, toegangslog van melders)" if store.ok else "\n".join(store.problems))
    report = {"ok": not bad and (store is None or store.ok), "cases": [r.to_dict() for r in results]}
    if store is not None:
        report["store"] = store.to_dict()
    _emit(report, human.strip() or "geen zaken")
    if not report["ok"]:
        raise typer.Exit(2)


def _verify_checkpoint(engine: Engine, principal: Principal, path: Path, public_key: Path | None) -> None:
    if public_key is None:
        raise InputError("public-key", "geef --public-key: de publieke sleutel die de auditor bewaart")
    checker = Ed25519Checker.from_pem(_read_bytes(public_key, "public-key"), str(public_key))
    try:
        loaded = Checkpoint.from_file(json.loads(_read_bytes(path, "checkpoint")))
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError("checkpoint", f"{path} is geen leesbaar controlepunt: {exc}") from None
    report = engine.checkpoints.verify(principal, loaded, checker)
    s = loaded.statement
    summary = f"controlepunt van {s.made_at}: {s.cases} zaken, {s.events} gebeurtenissen, {s.protocols} protocolversies, {s.access_log} regels toegangslog"
    if s.reporter_log is not None:
        summary += f", {s.reporter_log} regels toegangslog van melders"
    human = summary + "\n" + ("in orde: alles is er nog, onveranderd en in dezelfde volgorde" if report.ok else "NIET IN ORDE:\n" + "\n".join(report.problems))
    _emit({"checkpoint": s.__dict__, **report.to_dict()}, human)
    if not report.ok:
        raise typer.Exit(2)


def _read_bytes(path: Path, field: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(field, f"kan {path} niet lezen: {exc.strerror}") from None


@audit_app.command("keygen")
@handles_errors
def audit_keygen(
    out: Annotated[Path, typer.Option("--out", help="Map voor trede-audit.key (geheim) en trede-audit.pub")] = Path("."),
) -> None:
    """Maak een Ed25519-sleutelpaar voor controlepunten. De privésleutel hoort niet bij de database:
    bewaar hem apart (bestand of TREDE_AUDIT_KEY); geef de publieke sleutel aan de auditor."""
    private, public = generate()
    out.mkdir(parents=True, exist_ok=True)
    key_file, pub_file = out / "trede-audit.key", out / "trede-audit.pub"
    if key_file.exists():
        raise InputError("out", f"{key_file} bestaat al; kies een andere map (een sleutel wordt nooit overschreven)")
    key_file.touch(mode=0o600)
    key_file.write_bytes(private)
    pub_file.write_bytes(public)
    key_id = Ed25519Checker.from_pem(public).key_id
    _emit(
        {"private_key": str(key_file), "public_key": str(pub_file), "key_id": key_id},
        f"privésleutel: {key_file} (geheim, niet bij de database)\npublieke sleutel: {pub_file} (voor de auditor)\nsleutel-id: {key_id}",
    )


@audit_app.command("checkpoint")
@handles_errors
def audit_checkpoint(
    key: Annotated[Path | None, typer.Option("--key", help="Privésleutel (standaard TREDE_AUDIT_KEY_FILE)")] = None,
    out: Annotated[Path, typer.Option("--out", help="Map voor het controlepuntbestand")] = Path("."),
) -> None:
    """Leg de hele audittrail vast in een ondertekend controlepunt en schrijf het bestand dat
    de auditor bewaart (zaken, protocolversies, toegangslog)."""
    from api.worker import write_checkpoint

    engine = OPTIONS.app().engine
    file = write_checkpoint(engine, out, Ed25519Signer.configured(key))
    if file is None:
        raise InputError("checkpoint", "het controlepunt kon niet worden gemaakt")
    s = Checkpoint.from_file(json.loads(file.read_text(encoding="utf-8"))).statement
    _emit(
        {"file": str(file), **s.__dict__},
        f"controlepunt {file}: {s.cases} zaken, {s.events} gebeurtenissen, {s.protocols} protocolversies, "
        f"{s.access_log} regels toegangslog, {s.reporter_log or 0} regels toegangslog van melders; sleutel {s.key_id}",
    )


# --- schools, users and tokens -------------------------------------------------------


def _membership(text: str) -> Membership:
    """ROLE, ROLE@SCHOOL or ROLE@SCHOOL:GROUP,GROUP."""
    role, _, place = text.partition("@")
    school, _, groups = place.partition(":")
    if not role.strip():
        raise InputError("role", f"'{text[:60]}' is geen rol; schrijf ROL, ROL@SCHOOL of ROL@SCHOOL:GROEP,GROEP")
    return Membership(
        check_identifier("role", role, 100, "rol"),
        check_identifier("role", school, 100, "school") or None,
        frozenset(check_identifier("role", g, 50, "groep") for g in groups.split(",") if g.strip()),
    )


@users_app.command("school")
@handles_errors
def users_school(
    school_id: str,
    name: Annotated[str, typer.Option("--name")],
    board: Annotated[str, typer.Option("--board")],
    region: Annotated[str, typer.Option("--region", help="noord, midden of zuid")] = "midden",
    denominatie: Annotated[str | None, typer.Option("--denominatie", help="openbaar of bijzonder")] = None,
    sector: Annotated[str | None, typer.Option("--sector", help="po, vo of so")] = None,
    address: Annotated[str | None, typer.Option("--address", help="Adres van de school (voor brieven)")] = None,
    board_name: Annotated[str | None, typer.Option("--board-name", help="Naam van het bevoegd gezag")] = None,
    board_address: Annotated[str | None, typer.Option("--board-address", help="Adres van het bevoegd gezag")] = None,
) -> None:
    """Voeg een school toe aan het scholenregister, of werk haar gegevens bij."""
    record = SchoolRecord(
        check_identifier("school", school_id, 60, "school-id"),
        name, board, region, denominatie, sector, address, board_name, board_address,
    )
    OPTIONS.app().engine.schools.save(OPERATOR, record)
    _emit({"school": school_id, "denominatie": denominatie, "sector": sector}, f"school {school_id} vastgelegd")


@users_app.command("add")
@handles_errors
def users_add(
    username: str,
    name: Annotated[str, typer.Option("--name")],
    board: Annotated[str, typer.Option("--board")],
    roles: Annotated[list[str], typer.Option("--role", help="ROL, ROL@SCHOOL of ROL@SCHOOL:GROEP,GROEP; mag vaker")],
    password: Annotated[str, typer.Option("--password", prompt=True, hide_input=True, confirmation_prompt=True)],
    totp: Annotated[bool, typer.Option("--totp", help="Tweede factor aanzetten (toont het geheim)")] = False,
    email: Annotated[str | None, typer.Option("--email", help="Voor herinneringen, en om in te loggen via de identiteitsaanbieder")] = None,
) -> None:
    """Voeg een gebruiker toe met een of meer rollen."""
    if len(password) < 12:
        raise InputError("password", "kies een wachtwoord van minstens 12 tekens")
    secret = pyotp.random_base32() if totp else None
    address = _email(email) if email else None
    username = check_identifier("username", username, 100, "gebruikersnaam").lower()
    if not username:
        raise InputError("username", "geef een gebruikersnaam")
    name = check_identifier("name", name, 200, "naam")
    board = check_identifier("board", board, 100, "bestuur")
    OPTIONS.app().engine.users.add(username, name, board, password, [_membership(r) for r in roles], secret, address)
    human = f"gebruiker {username} toegevoegd"
    if secret:
        human += f"\nTOTP-geheim (zet dit in de authenticator-app): {secret}"
    _emit({"username": username, "totp_secret": secret}, human)


def _email(value: str) -> str:
    address = check_identifier("email", value, 254, "e-mailadres").lower()
    if "@" not in address or len(address) > 254 or " " in address:
        raise InputError("email", f"'{value[:60]}' is geen e-mailadres")
    return address


@users_app.command("email")
@handles_errors
def users_email(username: str, address: str) -> None:
    """Geef een gebruiker een e-mailadres: voor herinneringen, en om hem bij de eerste keer
    inloggen via de identiteitsaanbieder (OpenID Connect) aan die identiteit te koppelen."""
    _principal(username)
    OPTIONS.app().engine.users.set_email(username.lower(), _email(address))
    _emit({"username": username, "email": _email(address)}, f"{username} heeft nu e-mailadres {_email(address)}")


@users_app.command("link")
@handles_errors
def users_link(username: str, subject: Annotated[str, typer.Option("--subject", help="De 'sub' van de persoon bij de aanbieder")]) -> None:
    """Koppel een gebruiker rechtstreeks aan een identiteit bij de ingestelde aanbieder."""
    trede = OPTIONS.app()
    if trede.oidc is None:
        raise InputError("subject", "er is geen identiteitsaanbieder ingesteld (TREDE_OIDC_ISSUER)")
    _principal(username)
    trede.engine.identities.link(username.lower(), trede.oidc.settings.issuer, subject.strip(), by="beheer")
    _emit({"username": username, "subject": subject}, f"{username} is gekoppeld aan {subject}")


@users_app.command("token")
@handles_errors
def users_token(
    username: str,
    label: Annotated[str, typer.Option("--label")] = "integratie",
    days: Annotated[int, typer.Option("--days", min=1, max=365, help="Geldig voor zoveel dagen")] = 90,
) -> None:
    """Maak een API-token voor een gebruiker (het token wordt eenmaal getoond)."""
    tokens = OPTIONS.app().engine.tokens
    _principal(username)
    token = tokens.create(username, label, timedelta(days=days))
    _emit({"username": username, "token": token, "days": days}, f"API-token voor {username} ({days} dagen): {token}")


@users_app.command("tokens")
@handles_errors
def users_tokens(username: str) -> None:
    """Toon de API-tokens van een gebruiker (kenmerk, omschrijving, verloopdatum, status)."""
    tokens = OPTIONS.app().engine.tokens
    now = OPTIONS.app().engine.clock.now()
    rows = [
        {
            "id": t.id,
            "label": t.label,
            "created_at": t.created_at.isoformat(),
            "expires_at": t.expires_at.isoformat() if t.expires_at else None,
            "status": "ingetrokken" if t.revoked else "actief" if t.active(now) else "verlopen",
        }
        for t in tokens.list(username)
    ]
    human = "\n".join(f"{r['id']}  {r['status']:<11}  tot {r['expires_at'] or '-'}  {r['label']}" for r in rows)
    _emit(rows, human or "geen tokens")


@users_app.command("revoke-token")
@handles_errors
def users_revoke_token(username: str, token_id: Annotated[str, typer.Argument(help="Het kenmerk uit 'trede users tokens'")]) -> None:
    """Trek een API-token in."""
    if not OPTIONS.app().engine.tokens.revoke(username, token_id):
        raise InputError("token_id", f"gebruiker '{username}' heeft geen token met kenmerk '{token_id}'")
    _emit({"revoked": token_id}, f"token {token_id} ingetrokken")


# --- serving ------------------------------------------------------------------


@app.command("demo")
@handles_errors
def demo() -> None:
    """Maak de database aan en vul haar met de protocollen en voorbeeldzaken."""
    url = database_url(OPTIONS.db)
    init_database(make_engine(url))
    engine = OPTIONS.app().engine
    from api.demo import DEMO_PASSWORD, load_bundled, seed_accounts, seed_cases, seed_pupils

    protocols = load_bundled(engine)
    users = seed_accounts(engine)
    pupils = seed_pupils(engine)  # through the EDEXML import, as a directeur would
    cases = seed_cases(engine)
    human = f"protocollen: {', '.join(protocols)}; nieuwe voorbeeldzaken: {len(cases)}\n" + "\n".join(pupils)
    if users:
        logins = "\n".join(f"  {username:<14} {DEMO_PASSWORD}   {name}" for username, name in users)
        human += f"\ninloggen op http://127.0.0.1:8000/ als (gebruikersnaam, wachtwoord):\n{logins}"
    _emit({"protocols": protocols, "cases": cases, "users": [u for u, _ in users]}, human)


START_TIMEOUT = 120  # seconds: importing trede takes about 2 s of CPU, many times that on a loaded machine


@app.command("serve")
@handles_errors
def serve(
    host: Annotated[str, typer.Option("--host")] = "127.0.0.1",
    port: Annotated[int, typer.Option("--port")] = 8000,
    worker: Annotated[bool, typer.Option("--worker/--no-worker", help="Ook termijnen laten aflopen")] = True,
    timer_interval: Annotated[float, typer.Option("--timer-interval", help="Seconden tussen twee rondes")] = 30,
    processes: Annotated[
        int | None,
        typer.Option(
            "--processes",
            min=1,
            max=64,
            help="Serverprocessen (standaard: 1 bij SQLite, één per processorkern bij PostgreSQL)",
        ),
    ] = None,
    start_timeout: Annotated[
        int,
        typer.Option(
            "--start-timeout",
            min=5,
            max=3600,
            help="Seconden die een serverproces krijgt om te starten en op een controle te antwoorden",
        ),
    ] = START_TIMEOUT,
) -> None:
    """Start de webapplicatie en de API (en standaard ook de termijnenwerker)."""
    import threading

    import uvicorn

    from api.web import create_app
    from api.worker import configure_logging, run_worker

    trede = OPTIONS.app()
    configure_logging()
    count = processes or server_processes(trede.db.dialect.name)
    stop = threading.Event()
    if worker:  # one timer worker, in this process, however many server processes there are
        threading.Thread(
            target=run_worker,
            args=(trede.engine,),
            kwargs={"interval": timer_interval, "stop": stop},
            name="trede-worker",
            daemon=True,
        ).start()
    processes_text = "1 serverproces" if count == 1 else f"{count} serverprocessen"
    typer.echo(f"trede draait op http://{host}:{port}/  ({processes_text}; stoppen: Ctrl+C)")
    # no access log: the meldpunt promises reporters that no address is kept
    options: dict[str, Any] = {"host": host, "port": port, "log_level": "warning", "access_log": False}
    try:
        if count == 1:
            uvicorn.run(create_app(trede), proxy_headers=True, **options)
        else:  # each process wires its own application from the same database
            os.environ["TREDE_DATABASE_URL"] = trede.db.url.render_as_string(hide_password=False)
            # uvicorn replaces a process that does not answer its health check within
            # timeout_worker_healthcheck (default 5 s). A new process imports trede first
            # (seconds of CPU): on a busy machine 5 s is too short, and the replacement is
            # replaced in turn, so the server never comes up (issue 24).
            uvicorn.run(
                "api.web.asgi:application",
                factory=True,
                workers=count,
                proxy_headers=True,
                timeout_worker_healthcheck=start_timeout,
                **options,
            )
    finally:
        stop.set()


def server_processes(dialect: str) -> int:
    """SQLite has one writer at a time: one process whose group commit gathers every write
    serves it best. PostgreSQL takes writers in parallel: one process per core."""
    return 1 if dialect == "sqlite" else max(1, os.cpu_count() or 1)


@app.command("worker")
@handles_errors
def worker_command(
    batch: Annotated[int, typer.Option("--batch", help="Termijnen per transactie")] = 200,
    interval: Annotated[float, typer.Option("--interval", help="Seconden wachten als er niets te doen is")] = 5,
    once: Annotated[bool, typer.Option("--once", help="Stoppen zodra er niets meer te doen is")] = False,
) -> None:
    """Laat verstreken termijnen aflopen; op PostgreSQL kunnen er meerdere naast elkaar draaien."""
    from api.worker import configure_logging, run_worker

    configure_logging()
    trede = OPTIONS.app()
    total = run_worker(trede.engine, batch=batch, interval=interval, once=once, )
    _emit({"fired": total}, f"{total} termijnen afgehandeld")


def main() -> None:
    app(prog_name="trede")


if __name__ == "__main__":  # pragma: no cover
    main()
