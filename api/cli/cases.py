"""trede case: open a case, act in it, make its letters, migrate, anonymise and show it."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import OPTIONS, Actor, Role, emit, handles_errors, parse_inputs, parse_moment, principal_of
from engine.case import TRACK_PREFIX, DeadlineStatus
from engine.terms import AMSTERDAM
from engine.views import CaseLink, CaseView, term_text

case_app = typer.Typer(help="Zaken openen, verder zetten en bekijken.", no_args_is_help=True)


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
        principal_of(actor),
        protocol_id,
        school=school,
        subject=subject,
        role=role,
        group=group,
        version=version,
        effective=parse_moment(effective, "effective"),
        inputs=parse_inputs(inputs or []),
    )
    emit({"id": case.id, "step": case.step, "seq": case.seq}, f"zaak {case.id} geopend in stap '{case.step}'")


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
    principal = principal_of(actor)
    case = engine.cases.fire(
        principal,
        case_id,
        trigger,
        role=role,
        inputs=parse_inputs(inputs or []),
        effective=parse_moment(effective, "effective"),
        expected_seq=expect_seq,
    )
    view = engine.reads.case(principal, case_id, role=role, what="opdrachtregel")
    emit(view.to_dict(), f"zaak {case.id}: nu in stap '{case.step}' (gebeurtenis {case.seq})")


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
    preview: Annotated[
        bool, typer.Option("--preview", help="Alleen een voorbeeld: er wordt niets vastgelegd (zie --out)")
    ] = False,
    expect_sha256: Annotated[
        str | None,
        typer.Option("--expect-sha256", help="Leg de brief alleen vast als hij, en wat hij vastlegt, gelijk is aan dit voorbeeld (bevestiging uit --preview)"),
    ] = None,
) -> None:
    """Maak een brief uit de zaak; de brief wordt bij de zaak bewaard en de hash in de audittrail vastgelegd."""
    engine, principal, asked = OPTIONS.app().engine, principal_of(actor), parse_inputs(inputs or [])
    if preview:
        shown = engine.cases.preview_letter(principal, case_id, name, role=role, inputs=asked)
        if out is not None:
            if out.suffix == ".html":
                out.write_text(shown.html, encoding="utf-8")
            else:
                out.write_bytes(shown.pdf)
        payload: dict[str, object] = {"case_id": case_id, "letter": name, "sha256_html": shown.sha256_html, "confirmation": shown.confirmation, "out": str(out) if out else None}
        emit(payload, f"voorbeeld van brief '{name}' (niets vastgelegd); bevestig met --expect-sha256 {shown.confirmation}")
        return
    letter = engine.cases.letter(principal, case_id, name, role=role, inputs=asked, expected_sha256=expect_sha256)
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
    emit(
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
    case = OPTIONS.app().engine.retention.anonymise(principal_of(actor), case_id, reason=reason)
    emit({"id": case.id, "anonymised": True}, f"zaak {case.id} geanonimiseerd")



@case_app.command("migrate")
@handles_errors
def case_migrate(
    case_id: str,
    to_version: Annotated[int, typer.Option("--to-version", min=1, help="Versie van hetzelfde protocol")],
    actor: Actor,
    role: Role = None,
) -> None:
    """Zet een zaak over naar een andere versie van haar protocol (met een auditgebeurtenis)."""
    case = OPTIONS.app().engine.cases.migrate(principal_of(actor), case_id, to_version, role=role)
    emit({"id": case.id, "protocol_version": case.protocol_version}, f"zaak {case.id} volgt nu versie {case.protocol_version}")


@case_app.command("show")
@handles_errors
def case_show(case_id: str, actor: Actor, role: Role = None) -> None:
    """Toon een zaak: stap, sporen, termijnen, verplichtingen, gekoppelde zaken en wat deze rol nu kan doen."""
    detail = OPTIONS.app().engine.reads.detail(principal_of(actor), case_id, role=role, what="opdrachtregel")
    view = detail.view
    tracks = _tracks(view)
    links = [
        {"direction": link.direction, "case_id": link.case_id, "protocol": link.protocol, "seq": link.seq, "visible": link.visible}
        for link in detail.links
    ]
    emit(view.to_dict() | {"tracks": tracks, "links": links}, _render_case(view, tracks, detail.links))


def _tracks(view: CaseView) -> list[dict[str, object]]:
    """The parallel tracks of the current step and how far each is."""
    return [
        {"track": name, "label": track.label, "state": view.case.facts.get(f"{TRACK_PREFIX}{name}", "open"), "required": track.required}
        for name, track in view.protocol.tracks(view.case.step).items()
    ]


def _render_case(view: CaseView, tracks: list[dict[str, object]], links: list[CaseLink]) -> str:
    case, protocol = view.case, view.protocol
    step = protocol.step(case.step)
    lines = [
        f"zaak {case.id} — {protocol.spec.title} (versie {case.protocol_version})",
        f"school {case.school}, betreft {view.subject()}",
        f"stap: {step.label}{' (afgesloten)' if case.closed else ''}",
    ]
    if step.source:
        lines.append(f"bron: {step.source}")
    if tracks:
        lines.append("sporen in deze stap (de zaak gaat pas verder als alle verplichte sporen zijn afgerond):")
        for t in tracks:
            lines.append(f"  {t['label']}: {t['state']}{'' if t['required'] else ' (niet verplicht)'}")
    lines.append("termijnen en verplichtingen:")
    deadlines = sorted(
        case.deadlines.values(), key=lambda d: (d.due_at is None, d.due_at or datetime.max.replace(tzinfo=AMSTERDAM))
    )
    width = max((len(d.label) for d in deadlines), default=0)
    for d in deadlines:
        due = d.due_date or "wacht"
        lines.append(f"  {d.label:<{width}}  {due:<10}  {DeadlineStatus.shown(d.status):<17}  {term_text(d, protocol)}")
        lines.append(f"  {'':<{width}}  {d.basis}")
        for ext in d.extensions:
            lines.append(f"      {ext}")
    if not deadlines:
        lines.append("  geen")
    if links:
        lines.append("gekoppelde zaken:")
        for link in links:
            how = "deze zaak opende" if link.direction == "geopend" else "deze zaak is geopend vanuit"
            access = "" if link.visible else " (u hebt geen toegang)"
            lines.append(f"  {how} zaak {link.case_id} volgens {link.protocol}{access} (gebeurtenis {link.seq})")
    lines.append("nu mogelijk:" if view.actions else "nu mogelijk: niets")
    for a in view.actions:
        needs = f" (vereist: {', '.join(a.requires)})" if a.requires else ""
        lines.append(f"  {a.trigger}: {a.label}{needs}")
    return "\n".join(lines)

