"""trede audit: replay and verify the audit trail, sign checkpoints and check against them."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from adapters.signing import Ed25519Checker, Ed25519Signer, generate
from api.cli.common import OPTIONS, Actor, emit, handles_errors, local_time, principal_of, read_bytes
from engine.access import OPERATOR, Principal
from engine.audit import ReplayStep, Verification
from engine.case import DeadlineStatus
from engine.checkpoints import Checkpoint
from engine.errors import InputError
from engine.usecases import Engine

audit_app = typer.Typer(help="De audittrail afspelen en controleren.", no_args_is_help=True)


@audit_app.command("replay")
@handles_errors
def audit_replay(
    case_id: str, actor: Actor, upto: Annotated[int | None, typer.Option("--upto", min=1)] = None
) -> None:
    """Speel een zaak gebeurtenis voor gebeurtenis af, met de toestand ervoor en erna."""
    steps = OPTIONS.app().engine.reads.replay(principal_of(actor), case_id).steps
    if upto is not None:
        steps = steps[:upto]
    payload = [{"event": s.event.to_dict(), "before": s.before, "after": s.after} for s in steps]
    emit(payload, "\n".join(_render_step(s) for s in steps))


def _render_step(step: ReplayStep) -> str:
    e = step.event
    before = step.before["step"] if step.before else "-"
    line = (
        f"#{e.seq} {e.type:<20} {before} -> {step.after['step']}  door {e.actor} ({e.role}); "
        f"vastgelegd {local_time(e.recorded_at)}, geldt vanaf {local_time(e.effective_at)}"
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
    principal = principal_of(actor) if actor else OPERATOR
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
        human += "\n" + ("opslag: in orde (protocolteksten, toegangslog, toegangslog van melders, incidentenlog)" if store.ok else "\n".join(store.problems))
    report = {"ok": not bad and (store is None or store.ok), "cases": [r.to_dict() for r in results]}
    if store is not None:
        report["store"] = store.to_dict()
    emit(report, human.strip() or "geen zaken")
    if not report["ok"]:
        raise typer.Exit(2)


def _verify_checkpoint(engine: Engine, principal: Principal, path: Path, public_key: Path | None) -> None:
    if public_key is None:
        raise InputError("public-key", "geef --public-key: de publieke sleutel die de auditor bewaart")
    checker = Ed25519Checker.from_pem(read_bytes(public_key, "public-key"), str(public_key))
    try:
        loaded = Checkpoint.from_file(json.loads(read_bytes(path, "checkpoint")))
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError("checkpoint", f"{path} is geen leesbaar controlepunt: {exc}") from None
    report = engine.checkpoints.verify(principal, loaded, checker)
    s = loaded.statement
    summary = f"controlepunt van {s.made_at}: {s.cases} zaken, {s.events} gebeurtenissen, {s.protocols} protocolversies, {s.access_log} regels toegangslog"
    if s.reporter_log is not None:
        summary += f", {s.reporter_log} regels toegangslog van melders"
    human = summary + "\n" + ("in orde: alles is er nog, onveranderd en in dezelfde volgorde" if report.ok else "NIET IN ORDE:\n" + "\n".join(report.problems))
    emit({"checkpoint": s.__dict__, **report.to_dict()}, human)
    if not report.ok:
        raise typer.Exit(2)



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
    emit(
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
    emit(
        {"file": str(file), **s.__dict__},
        f"controlepunt {file}: {s.cases} zaken, {s.events} gebeurtenissen, {s.protocols} protocolversies, "
        f"{s.access_log} regels toegangslog, {s.reporter_log or 0} regels toegangslog van melders; sleutel {s.key_id}",
    )

