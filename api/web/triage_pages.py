"""The coordinator's triage of a meldpunt report (issue 29): correct its category, answer
with a standard answer edited before sending (the protocol's own ``bericht_sturen``), and
split it into linked cases. Every step goes through an engine use case; a refusal shows the
page again with what was typed and the engine's words."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web.forms import said
from api.web.render import page
from api.web.security import Visitor, check_csrf, engine_of, flash, take_flash, visitor
from engine.errors import TredeError
from engine.meldpunt import MESSAGE_TO_REPORTER
from engine.usecases.triage import Part

router = APIRouter()
Me = Annotated[Visitor, Depends(visitor)]
Short = Annotated[str, Form(max_length=200)]
Long = Annotated[str, Form(max_length=20_000)]
PARTS = 3  # rows on the split form; empty rows are left out
LABELS = {
    "categorie": "Categorie",
    MESSAGE_TO_REPORTER: "Bericht aan de melder",
    "delen": "Splitsen",
    **{f"leerling_{n}": f"Leerling (deel {n})" for n in range(1, PARTS + 1)},
    **{f"beschrijving_{n}": f"Wat er speelt (deel {n})" for n in range(1, PARTS + 1)},
    **{f"protocol_{n}": f"Protocol (deel {n})" for n in range(1, PARTS + 1)},
}


def _here(case_id: str, role: str) -> str:
    return f"/zaken/{quote(case_id)}/triage" + (f"?rol={quote(role)}" if role else "")


def _show(
    request: Request, me: Visitor, case_id: str, role: str, *, answer: str = "", error: str | None = None,
    typed: dict[str, str] | None = None, status: int = 200,
) -> Response:
    view = engine_of(request).triage.view(me.principal, case_id, role or None)
    chosen = next((a for a in view.answers if a.key == answer), None)
    message = take_flash(request)
    context = {
        "t": view,
        "chosen": chosen,
        "answer_text": (typed or {}).get(MESSAGE_TO_REPORTER) or (chosen.text if chosen else ""),
        "error": error or (message.get("message") if message.get("kind") == "error" else None),
        "notice": message.get("message") if message.get("kind") == "notice" else None,
        "typed": typed or {},
        "parts": range(1, PARTS + 1),
    }
    return page(request, "triage.html", context, visitor=me, title="Melding indelen", status_code=status)


@router.get("/zaken/{case_id}/triage", response_class=HTMLResponse)
def triage_page(
    request: Request, me: Me, case_id: str, rol: Annotated[str, Query(max_length=100)] = "",
    antwoord: Annotated[str, Query(max_length=100)] = "",
) -> Response:
    return _show(request, me, case_id, rol, answer=antwoord)


@router.post("/zaken/{case_id}/triage/categorie")
def correct(request: Request, me: Me, case_id: str, categorie: Short = "", rol: Short = "", csrf: Short = "") -> Response:
    check_csrf(me, csrf)
    try:
        engine_of(request).triage.correct_category(me.principal, case_id, categorie, rol or None)
    except TredeError as exc:
        if exc.http_status == 404:
            raise
        return _show(request, me, case_id, rol, error=said(exc, LABELS), status=exc.http_status)
    flash(request, "Categorie gecorrigeerd; de melding is opnieuw doorgestuurd.", kind="notice")
    return RedirectResponse(_here(case_id, rol), status_code=303)


@router.post("/zaken/{case_id}/triage/antwoord")
def send_answer(
    request: Request, me: Me, case_id: str, bericht_aan_melder: Long = "", rol: Short = "", csrf: Short = ""
) -> Response:
    check_csrf(me, csrf)
    try:  # the protocol's own action: the reporter reads it on the follow page
        engine_of(request).cases.fire(
            me.principal, case_id, "bericht_sturen", role=rol or None, inputs={MESSAGE_TO_REPORTER: bericht_aan_melder}
        )
    except TredeError as exc:
        if exc.http_status == 404:
            raise
        typed = {MESSAGE_TO_REPORTER: bericht_aan_melder}
        return _show(request, me, case_id, rol, error=said(exc, LABELS), typed=typed, status=exc.http_status)
    flash(request, "Bericht aan de melder verstuurd.", kind="notice")
    return RedirectResponse(_here(case_id, rol), status_code=303)


@router.post("/zaken/{case_id}/triage/splitsen")
async def split(request: Request, me: Me, case_id: str) -> Response:
    form = await request.form()
    given = {k: str(v)[:5_000] for k, v in form.items() if isinstance(v, str)}
    check_csrf(me, given.get("csrf", ""))
    role = given.get("rol", "")[:100]
    parts = [
        Part(given.get(f"leerling_{n}", ""), given.get(f"beschrijving_{n}", ""), given.get(f"protocol_{n}", ""))
        for n in range(1, PARTS + 1)
    ]
    try:
        opened = engine_of(request).triage.split(me.principal, case_id, parts, role or None)
    except TredeError as exc:
        if exc.http_status == 404:
            raise
        return _show(request, me, case_id, role, error=said(exc, LABELS), typed=given, status=exc.http_status)
    flash(request, f"Melding gesplitst in {len(opened)} zaken: {', '.join(opened)}.", kind="notice")
    return RedirectResponse(_here(case_id, role), status_code=303)
