"""Pages for auditors: replay a case step by step, verify its chain, export its dossier, and
verify the whole trail against a signed checkpoint the auditor keeps."""

from __future__ import annotations

import hashlib
import io
import json
import zipfile
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, Response

from adapters.dossier_pdf import dossier_to_pdf
from adapters.signing import Ed25519Checker
from api.web.render import page
from api.web.security import Visitor, check_csrf, engine_of, visitor
from engine.checkpoints import Checkpoint
from engine.errors import InputError
from engine.views import Dossier, timeline

router = APIRouter(prefix="/audit")
Me = Annotated[Visitor, Depends(visitor)]


@router.get("/zaken/{case_id}", response_class=HTMLResponse)
def replay(request: Request, me: Me, case_id: str) -> Response:
    audit = engine_of(request).reads.replay(me.principal, case_id)
    context = {
        "view": audit.view,
        "subject": audit.view.subject(),
        "steps": audit.steps,
        "timeline": timeline(s.event for s in audit.steps),
        "result": None,
    }
    return page(request, "audit.html", context, visitor=me, title=f"Audit zaak {case_id}")


@router.post("/zaken/{case_id}/controle", response_class=HTMLResponse)
def verify(request: Request, me: Me, case_id: str, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    check_csrf(me, csrf)
    audit = engine_of(request).reads.replay(me.principal, case_id, verify=True)
    context = {
        "view": audit.view,
        "subject": audit.view.subject(),
        "steps": audit.steps,
        "timeline": timeline(s.event for s in audit.steps),
        "result": audit.verification,
    }
    return page(request, "audit.html", context, visitor=me, title=f"Audit zaak {case_id}")


@router.get("/zaken/{case_id}/dossier.json")
def dossier_json(request: Request, me: Me, case_id: str) -> Response:
    dossier = engine_of(request).reads.dossier(me.principal, case_id)
    headers = {"Content-Disposition": f'attachment; filename="dossier-{dossier.view.case.id}.json"'}
    body = json.dumps(dossier.to_dict(), ensure_ascii=False, indent=2)
    return Response(body, media_type="application/json", headers=headers)


def dossier_pdf_of(request: Request, dossier: Dossier) -> bytes:
    """The dossier's PDF (adapters/dossier_pdf.py), with schools and people by name."""
    engine = engine_of(request)
    return dossier_to_pdf(dossier, engine.users.names(), engine.clock.now())


@router.get("/zaken/{case_id}/dossier.zip")
def dossier_zip(request: Request, me: Me, case_id: str) -> Response:
    """The dossier with its attachments, for the Inspectie or a court: the PDF, the JSON
    (with the hash chain), every file this viewer may open, and their SHA-256 sums."""
    engine = engine_of(request)
    dossier = engine.reads.dossier(me.principal, case_id, files=True)
    case_no = dossier.view.case.id
    parts = {
        f"dossier-{case_no}.pdf": dossier_pdf_of(request, dossier),
        f"dossier-{case_no}.json": json.dumps(dossier.to_dict(), ensure_ascii=False, indent=2).encode("utf-8"),
    }
    for f in dossier.files:
        parts[f"bijlagen/{f.seq:03d}-{_safe(f.download_name)}"] = f.content
    for letter in dossier.letters:
        parts[f"brieven/{letter.seq:03d}-{_safe(letter.name)}.pdf"] = letter.pdf
    sums = "".join(f"{hashlib.sha256(content).hexdigest()}  {name}\n" for name, content in parts.items())
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("LEESMIJ.txt", README.format(case=case_no, files=len(dossier.files)))
        for name, content in parts.items():
            archive.writestr(name, content)
        archive.writestr("SHA256SUMS", sums)
    headers = {"Content-Disposition": f'attachment; filename="dossier-{case_no}.zip"'}
    return Response(buffer.getvalue(), media_type="application/zip", headers=headers)


README = """Dossier van zaak {case}, gemaakt met trede.

dossier-{case}.pdf   het verloop van de zaak, leesbaar en afdrukbaar
dossier-{case}.json  dezelfde gegevens met de hashketen, voor controle
bijlagen/            de {files} bijlage(n) die u mag openen
brieven/             de laatste versie van elke brief (als PDF)
SHA256SUMS           de SHA-256 van elk bestand (controleren: sha256sum -c SHA256SUMS)

De SHA-256 van elke bijlage staat ook in de gebeurtenis die haar toevoegde (zie de PDF
en de JSON); zo is te zien dat het bestand sindsdien niet is veranderd.
"""


def _safe(name: str) -> str:
    """A name that every unzip program accepts: no folders, no characters Windows refuses."""
    return "".join("_" if c in '<>:"/\\|?*' else c for c in name)[:120]


@router.get("/zaken/{case_id}/dossier.pdf")
def dossier_pdf(request: Request, me: Me, case_id: str) -> Response:
    dossier = engine_of(request).reads.dossier(me.principal, case_id)
    headers = {"Content-Disposition": f'attachment; filename="dossier-{dossier.view.case.id}.pdf"'}
    return Response(dossier_pdf_of(request, dossier), media_type="application/pdf", headers=headers)


CHECKPOINT_LIMIT = 50_000_000  # a checkpoint of 100,000 cases is about 9 MB


@router.get("/controlepunt", response_class=HTMLResponse)
def checkpoint_form(request: Request, me: Me) -> Response:
    engine_of(request).checkpoints.verify_store(me.principal)  # board-wide auditors only
    return page(request, "checkpoint.html", {"report": None}, visitor=me, title="Controlepunt")


@router.post("/controlepunt", response_class=HTMLResponse)
async def checkpoint_verify(
    request: Request,
    me: Me,
    controlepunt: Annotated[UploadFile, File()],
    sleutel: Annotated[UploadFile, File()],
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """The auditor brings the checkpoint file and the public key they keep; trede says
    whether everything the checkpoint covered is still there, unchanged, in order."""
    check_csrf(me, csrf)
    raw = await controlepunt.read(CHECKPOINT_LIMIT + 1)
    if len(raw) > CHECKPOINT_LIMIT:
        raise InputError("controlepunt", "het bestand is te groot voor een controlepunt")
    checker = Ed25519Checker.from_pem(await sleutel.read(10_000), "sleutel")
    try:
        loaded = Checkpoint.from_file(json.loads(raw))
    except (ValueError, KeyError, TypeError) as exc:
        raise InputError("controlepunt", f"het bestand is geen leesbaar controlepunt ({exc})") from None
    report = engine_of(request).checkpoints.verify(me.principal, loaded, checker)
    context = {"report": report, "statement": loaded.statement}
    return page(request, "checkpoint.html", context, visitor=me, title="Controlepunt")
