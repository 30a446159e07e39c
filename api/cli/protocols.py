"""trede protocol: validate, load, compare and show protocols, and write their reference."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated, Any

import typer
from sqlalchemy.engine import make_url

from adapters.protocol_files import BUNDLED, ProtocolFiles
from api.bootstrap import database_url, trials
from api.cli.common import OPTIONS, Actor, emit, handles_errors, principal_of
from api.problems import shown_problems
from engine.access import OPERATOR
from engine.errors import InputError, ProtocolError
from engine.protocol.diagram import mermaid, reference, svg
from engine.protocol.diff import diff_protocols
from engine.protocol.loader import load_protocol_file
from engine.protocol.model import Protocol
from engine.protocol.scenarios import ScenarioSyntaxError, parse_date
from engine.protocol.variants import Resolver
from engine.protocol.yamlsource import read_yaml
from engine.rebase import Rebase
from engine.usecases.proposals import Proposal
from engine.usecases.trials import AgendaRow, ScenarioResult

protocol_app = typer.Typer(help="Protocollen controleren, laden en bekijken.", no_args_is_help=True)

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
            results.append({"file": str(path), "ok": False, "problems": exc.fields["problems"], "errors": exc.problems})
    if OPTIONS.json:  # every problem the error holds
        typer.echo(json.dumps([{k: v for k, v in r.items() if k != "errors"} for r in results], ensure_ascii=False, indent=2))
    else:
        for r in results:
            if r["ok"]:
                typer.echo(f"{r['file']}: in orde ({r['id']} versie {r['version']})")
            else:
                for line in shown_problems(r["errors"]):
                    typer.echo(line, err=True)
    if failed:
        raise typer.Exit(ProtocolError.exit_code)


@protocol_app.command("test")
@handles_errors
def protocol_test(
    paths: Annotated[list[Path], typer.Argument(help="Protocolbestanden (YAML)")],
    agenda: Annotated[bool, typer.Option("--agenda", help="Toon per scenario wie wat moest doen en wanneer")] = False,
    until: Annotated[
        str | None, typer.Option("--tot", help="Laat de tijd doorlopen tot deze dag (JJJJ-MM-DD), voor de agenda")
    ] = None,
) -> None:
    """Draai de proefscenario's van protocolbestanden in een proefomgeving (niet in de database)."""
    try:
        end = parse_date(until) if until else None
    except ScenarioSyntaxError as exc:
        raise InputError("tot", str(exc)) from None
    runner = trials()
    failed = False
    payload: list[dict[str, Any]] = []
    for path in paths:
        try:
            protocol = load_protocol_file(path, _resolver(path, with_store=False))
            report = runner.run(protocol, _resolver(path, with_store=False), until=end)
        except ProtocolError as exc:
            failed = True
            payload.append({"file": str(path), "ok": False, "problems": exc.fields["problems"]})
            if not OPTIONS.json:
                for line in shown_problems(exc.problems):
                    typer.echo(line, err=True)
            continue
        failed = failed or not report.passed
        payload.append({"file": str(path), "ok": report.passed, "scenarios": [_result(r) for r in report.results]})
        if OPTIONS.json:
            continue
        typer.echo(report.text())
        if agenda:
            for result in report.results:
                typer.echo(f"\nAgenda van '{result.scenario.name}':")
                typer.echo(_agenda_table(result.agenda))
    if OPTIONS.json:
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2))
    if failed:
        raise typer.Exit(ProtocolError.exit_code)


def _result(result: ScenarioResult) -> dict[str, Any]:
    return {
        "naam": result.scenario.name,
        "geslaagd": result.passed,
        "fout": result.error,
        "controles": [{"regel": c.text, "geslaagd": c.passed, "toelichting": c.detail} for c in result.checks],
        "agenda": [r.__dict__ for r in result.agenda],
    }


def _agenda_table(rows: list[AgendaRow]) -> str:
    table = [("datum", "rol", "wat", "uiterlijk", "stand")] + [(r.day, r.role, r.what, r.deadline, r.status) for r in rows]
    widths = [max(len(row[i]) for row in table) for i in range(5)]
    return "\n".join("  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)).rstrip() for row in table)


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
    protocols = OPTIONS.app().engine.protocols
    stored, created = protocols.load(OPERATOR, protocol, scope=school)
    lines = [f"{stored.id} versie {stored.version} {'geladen' if created else 'was al geladen'} ({stored.content_hash[:12]})"]
    if school is not None:
        kept = [p for p in protocols.versions(stored.id) if p.scope is None]
        where = f"alleen voor school {school}"
        lines.append(f"{where}; de andere scholen houden versie {kept[-1].version}" if kept else where)
    affected = [r for r in protocols.rebases(OPERATOR) if r.base_id == stored.id]
    lines += _rebase_lines(affected)
    emit(
        {
            "id": stored.id,
            "version": stored.version,
            "hash": stored.content_hash,
            "created": created,
            "variants": [_rebase_dict(r) for r in affected],
        },
        "\n".join(lines),
    )


def _rebase_lines(affected: list[Rebase]) -> list[str]:
    """Per variant on an earlier base version: where it stands and how to carry it over."""
    lines = []
    for r in affected:
        school = f" (school {r.variant.scope})" if r.variant.scope else ""
        head = f"variant {r.variant.id}{school} volgt nog versie {r.old_version} van {r.base_id}"
        if r.ok:
            lines.append(f"{head}: kan worden overgenomen op versie {r.new_version} (trede protocol rebase {r.variant.id} --actor ...)")
        else:
            lines.append(f"{head}: niet over te nemen op versie {r.new_version} zonder aanpassing:")
            lines += [f"  {line}" for line in shown_problems(r.problems)]
        lines += [f"  let op: {w}" for w in r.warnings]
    return lines


def _rebase_dict(r: Rebase) -> dict[str, Any]:
    return {
        "variant": r.variant.id,
        "school": r.variant.scope,
        "base": r.base_id,
        "from_version": r.old_version,
        "to_version": r.new_version,
        "ok": r.ok,
        "problems": [str(p) for p in r.problems],
        "warnings": r.warnings,
        "changes": [c.to_dict() for c in r.changes],
    }


@protocol_app.command("rebase")
@handles_errors
def protocol_rebase(
    variant: Annotated[str, typer.Argument(help="De id van de variant")],
    actor: Annotated[
        str | None, typer.Option("--actor", help="Gebruikersnaam van de protocolbeheerder die de overname voorstelt")
    ] = None,
    school: Annotated[str | None, typer.Option("--school", help="De school van de variant (als meer scholen die id hebben)")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Toon alleen wat er verandert en of het kan")] = False,
) -> None:
    """Stel een variant voor op de nieuwste versie van het basisprotocol: de tekst van de
    variant, met alleen extends op de nieuwe versie, gecontroleerd en met haar proefscenario's
    gedraaid. Een tweede persoon keurt het voorstel goed (trede protocol approve)."""
    engine = OPTIONS.app().engine
    if dry_run:
        found = [r for r in engine.protocols.rebases(OPERATOR, variant) if school is None or r.variant.scope == school]
        if not found:
            raise InputError("protocol", f"voor '{variant}' is er geen nieuwe basisversie om over te nemen")
        changes = [f"  {c}" for c in found[0].changes] or ["  geen verschillen"]
        emit(_rebase_dict(found[0]), "\n".join([f"wijzigingen in {found[0].base_id}:", *changes, *_rebase_lines(found)]))
        return
    if not actor:
        raise InputError("actor", "geef met --actor de protocolbeheerder die de overname voorstelt")
    proposal, rebase = engine.proposals.carry_over(principal_of(actor), variant, school=school)
    emit(
        {**_proposal_payload(proposal), **_rebase_dict(rebase)},
        f"Voorstel {proposal.id}: {rebase.variant.id} op {rebase.base_id} versie {rebase.new_version} "
        f"(was versie {rebase.old_version}); het geldt pas na goedkeuring door een tweede persoon "
        f"(trede protocol approve {proposal.id} --actor ...).",
    )


def _protocol_from(reference: str) -> Protocol:
    """A file path, or ID or ID@VERSION of a loaded protocol; without a database (no --db,
    no TREDE_DATABASE_URL and no ./trede.db) ID and ID@VERSION name a bundled protocol."""
    path = Path(reference)
    if path.suffix in (".yaml", ".yml") or path.exists():
        return load_protocol_file(path, _resolver(path, with_store=False))
    protocol_id, _, version = reference.partition("@")
    if version and not version.isdigit():
        raise InputError("protocol", f"'{reference}' is geen bestand en geen ID@VERSIE")
    if not _has_database():
        return _bundled(protocol_id, int(version) if version else None)
    return OPTIONS.app().engine.protocols.get(protocol_id, int(version) if version else None).protocol


def _has_database() -> bool:
    """Whether a database was named or is there: the default SQLite file is not made by reading."""
    if OPTIONS.db is not None or os.environ.get("TREDE_DATABASE_URL"):
        return True
    default = make_url(database_url())
    return default.get_backend_name() != "sqlite" or Path(str(default.database)).exists()


def _bundled(protocol_id: str, version: int | None) -> Protocol:
    """A bundled protocol by id (its newest version unless one is named)."""
    versions = []
    for path in sorted(BUNDLED.glob("*.yaml")):
        located, problems = read_yaml(path.read_text(encoding="utf-8"), str(path))
        data = located.data
        if not problems and isinstance(data, dict) and data.get("id") == protocol_id and isinstance(data.get("version"), int):
            versions.append((int(data["version"]), path))
    chosen = [p for v, p in sorted(versions) if version is None or v == version]
    if not chosen:
        what = protocol_id if version is None else f"{protocol_id} versie {version}"
        raise InputError(
            "protocol",
            f"'{what}' is geen bestand en geen meegeleverd protocol; er is geen database "
            f"(geef --db om een geladen protocol te vergelijken)",
        )
    return load_protocol_file(chosen[-1], _resolver(chosen[-1], with_store=False))


@protocol_app.command("diff")
@handles_errors
def protocol_diff(
    a: Annotated[str, typer.Argument(help="Bestand, ID of ID@VERSIE")],
    b: Annotated[str, typer.Argument(help="Bestand, ID of ID@VERSIE")],
) -> None:
    """Toon wat B verandert ten opzichte van A: stappen, termijnen, acties, rollen, rechtsmiddelen.

    Een wettelijk element krijgt het artikel dat het vereist: (wettelijk: WPO art. 40c lid 3).
    Zonder database (geen --db, geen TREDE_DATABASE_URL, geen ./trede.db) noemt een ID een
    meegeleverd protocol; er wordt geen database aangemaakt."""
    changes = diff_protocols(_protocol_from(a), _protocol_from(b))
    emit([c.to_dict() for c in changes], "\n".join(str(c) for c in changes) or "geen verschillen")


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
    emit({"diagram": text, "out": str(out) if out else None}, f"geschreven: {out}" if out else text.rstrip())


@protocol_app.command("docs")
@handles_errors
def protocol_docs(
    out: Annotated[Path, typer.Option("--out", help="Het naslagbestand")] = Path("docs/protocols.md"),
) -> None:
    """Schrijf de naslag van de meegeleverde protocollen (diagram en tabellen per protocol)."""
    out.write_text(protocols_page(), encoding="utf-8")
    emit({"out": str(out)}, f"geschreven: {out}")


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
    emit(rows, human or "geen protocollen geladen")


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
    emit(payload, "\n".join(lines))



# --- four eyes: propose, approve, reject, withdraw -----------------------------------


def _proposal_payload(p: Proposal) -> dict[str, Any]:
    return {
        "id": p.id,
        "protocol": p.protocol_id,
        "school": p.scope,
        "status": p.status,
        "voorgesteld_door": p.proposed_by,
        "voorgesteld_op": p.proposed_at.isoformat(),
        "beslist_door": p.decided_by,
        "ingangsdatum": p.effective_on.isoformat() if p.effective_on else None,
        "reden": p.reason or None,
        "versie": p.version,
        "basisversie": p.base_version,
        "stappen": [
            {"wat": s.kind, "door": s.actor, "rol": s.role, "op": s.at.isoformat(), "reden": s.reason or None}
            for s in p.steps
        ],
    }


def _proposal_line(p: Proposal) -> str:
    where = f" voor {p.scope}" if p.scope else ""
    line = f"{p.id}  {p.protocol_id}{where}: {p.status} (voorgesteld door {p.proposed_by})"
    if p.decided_by:
        line += f", {p.status} door {p.decided_by}" if p.status != "gepubliceerd" else f", goedgekeurd door {p.decided_by}"
    if p.effective_on:
        line += f", ingangsdatum {p.effective_on.isoformat()}"
    if p.version:
        line += f", versie {p.version}"
    if p.reason:
        line += f"; reden: {p.reason}"
    return line


@protocol_app.command("propose")
@handles_errors
def protocol_propose(
    path: Path,
    actor: Actor,
    school: Annotated[str | None, typer.Option("--school", help="Het eigen protocol van deze school (standaard: het bestuur)")] = None,
) -> None:
    """Stel een protocol(variant) voor; een tweede persoon keurt het goed voordat het geldt."""
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("bestand", f"kan {path} niet lezen: {exc}") from None
    engine = OPTIONS.app().engine
    principal = principal_of(actor)
    proposal = engine.proposals.propose(principal, text, str(path), scope=school)
    compared, changes = engine.proposals.diff(principal, proposal.id)
    payload = {**_proposal_payload(proposal), "vergeleken_met": compared, "changes": [c.to_dict() for c in changes]}
    human = "\n".join(
        [f"Voorstel {proposal.id} opgeslagen; het geldt pas na goedkeuring door een tweede persoon.",
         f"Wijzigingen ten opzichte van {compared}:", *(f"  {c}" for c in changes)]
    )
    emit(payload, human)


@protocol_app.command("proposals")
@handles_errors
def protocol_proposals(actor: Actor) -> None:
    """Toon de protocolvoorstellen die u mag zien of beoordelen."""
    found = OPTIONS.app().engine.proposals.list(principal_of(actor))
    emit([_proposal_payload(p) for p in found], "\n".join(_proposal_line(p) for p in found) or "geen voorstellen")


@protocol_app.command("approve")
@handles_errors
def protocol_approve(
    proposal_id: str,
    actor: Actor,
    effective: Annotated[
        str | None, typer.Option("--per", help="Ingangsdatum (JJJJ-MM-DD): vandaag (standaard) tot hooguit een jaar vooruit")
    ] = None,
) -> None:
    """Keur een voorstel goed (niet uw eigen): nieuwe zaken krijgen het vanaf de ingangsdatum."""
    try:
        day = parse_date(effective) if effective else None
    except ScenarioSyntaxError as exc:
        raise InputError("per", str(exc)) from None
    proposal = OPTIONS.app().engine.proposals.approve(principal_of(actor), proposal_id, effective_on=day)
    emit(_proposal_payload(proposal), _proposal_line(proposal))


@protocol_app.command("reject")
@handles_errors
def protocol_reject(
    proposal_id: str,
    actor: Actor,
    reason: Annotated[str, typer.Option("--reden", help="Waarom het voorstel wordt afgewezen")],
) -> None:
    """Wijs een voorstel af, met een reden."""
    proposal = OPTIONS.app().engine.proposals.reject(principal_of(actor), proposal_id, reason=reason)
    emit(_proposal_payload(proposal), _proposal_line(proposal))


@protocol_app.command("withdraw")
@handles_errors
def protocol_withdraw(
    proposal_id: str,
    actor: Actor,
    reason: Annotated[str, typer.Option("--reden", help="Waarom het voorstel wordt ingetrokken")],
) -> None:
    """Trek een voorstel in dat nog niet geldt, met een reden: een goedgekeurd voorstel (de indiener of wie
    het mag beoordelen) of uw eigen open voorstel. Het wordt dan niet gepubliceerd."""
    proposal = OPTIONS.app().engine.proposals.withdraw(principal_of(actor), proposal_id, reason=reason)
    emit(_proposal_payload(proposal), _proposal_line(proposal))
