"""trede protocol: validate, load, compare and show protocols, and write their reference."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any

import typer

from adapters.protocol_files import BUNDLED, ProtocolFiles
from api.cli.common import OPTIONS, emit, handles_errors
from api.problems import shown_problems
from engine.access import OPERATOR
from engine.errors import InputError, ProtocolError
from engine.protocol.diagram import mermaid, reference, svg
from engine.protocol.diff import diff_protocols
from engine.protocol.loader import load_protocol_file
from engine.protocol.model import Protocol
from engine.protocol.variants import Resolver
from engine.rebase import Rebase

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
            lines.append(f"{head}: kan worden overgenomen op versie {r.new_version} (trede protocol rebase {r.variant.id})")
        else:
            lines.append(f"{head}: niet over te nemen op versie {r.new_version} zonder aanpassing:")
            lines += [f"  {line}" for line in shown_problems(r.problems)]
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
        "changes": [c.to_dict() for c in r.changes],
    }


@protocol_app.command("rebase")
@handles_errors
def protocol_rebase(
    variant: Annotated[str, typer.Argument(help="De id van de variant")],
    school: Annotated[str | None, typer.Option("--school", help="De school van de variant (als meer scholen die id hebben)")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Toon alleen wat er verandert en of het kan")] = False,
) -> None:
    """Neem een variant over op de nieuwste versie van het basisprotocol: de tekst van de
    variant, met alleen extends op de nieuwe versie, gecontroleerd en geladen."""
    protocols = OPTIONS.app().engine.protocols
    if dry_run:
        found = [r for r in protocols.rebases(OPERATOR, variant) if school is None or r.variant.scope == school]
        if not found:
            raise InputError("protocol", f"voor '{variant}' is er geen nieuwe basisversie om over te nemen")
        changes = [f"  {c}" for c in found[0].changes] or ["  geen verschillen"]
        emit(_rebase_dict(found[0]), "\n".join([f"wijzigingen in {found[0].base_id}:", *changes, *_rebase_lines(found)]))
        return
    stored, rebase = protocols.rebase(OPERATOR, variant, school=school)
    emit(
        {"id": stored.id, "version": stored.version, "hash": stored.content_hash, **_rebase_dict(rebase)},
        f"{stored.id} versie {stored.version} geladen op {rebase.base_id} versie {rebase.new_version} "
        f"(was versie {rebase.old_version}; {stored.content_hash[:12]})",
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

