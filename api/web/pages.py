"""The Dutch web pages for case handlers: log in, my cases, open a case, act on a case."""

from __future__ import annotations

import secrets
from datetime import date
from typing import Annotated, Any
from urllib.parse import quote

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web.render import page
from api.web.security import (
    SESSION_COOKIE,
    Forbidden,
    NotAllowed,
    Visitor,
    accounts_of,
    check_csrf,
    trede_of,
    visitor,
)
from engine.access import can_view, case_roles, opening_roles
from engine.case import DeadlineStatus
from engine.errors import InputError, TredeError
from engine.protocol.diagram import svg
from engine.scheduling import LATE, SOON, traffic_light
from engine.service import CaseView

router = APIRouter()
LOGIN_CSRF = "trede_login_csrf"
Me = Annotated[Visitor, Depends(visitor)]


def _cookie(response: Response, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(name, value, httponly=True, secure=True, samesite="strict", max_age=max_age, path="/")


# --- logging in ---------------------------------------------------------------------


@router.get("/inloggen", response_class=HTMLResponse)
def login_form(request: Request, next: str = "/", fout: str | None = None) -> Response:
    token = secrets.token_urlsafe(16)
    response = page(request, "login.html", {"next": next, "error": fout, "login_csrf": token}, title="Inloggen")
    _cookie(response, LOGIN_CSRF, token, max_age=900)
    return response


@router.post("/inloggen")
def login(
    request: Request,
    gebruikersnaam: Annotated[str, Form()],
    wachtwoord: Annotated[str, Form()],
    csrf: Annotated[str, Form()] = "",
    next: Annotated[str, Form()] = "/",
) -> Response:
    accounts = accounts_of(request)
    if not csrf or csrf != request.cookies.get(LOGIN_CSRF):
        return _back_to_login(next, "Het formulier is verlopen; probeer het opnieuw.")
    username = gebruikersnaam.strip().lower()
    if accounts.throttled(username):
        return _back_to_login(next, "Te veel mislukte pogingen. Wacht een kwartier en probeer het dan opnieuw.")
    ok = accounts.check_password(username, wachtwoord)
    accounts.record_attempt(username, ok)
    if not ok:
        return _back_to_login(next, "Gebruikersnaam of wachtwoord klopt niet.")
    needs_code = accounts.totp_secret(username) is not None
    token, _ = accounts.start_session(username, second_factor_done=not needs_code)
    target = f"/inloggen/code?next={quote(_safe(next))}" if needs_code else _safe(next)
    response = RedirectResponse(target, status_code=303)
    _cookie(response, SESSION_COOKIE, token)
    response.delete_cookie(LOGIN_CSRF, path="/")
    return response


@router.get("/inloggen/code", response_class=HTMLResponse)
def code_form(request: Request, next: str = "/", fout: str | None = None) -> Response:
    return page(request, "totp.html", {"next": next, "error": fout}, title="Inlogcode")


@router.post("/inloggen/code")
def code(request: Request, code: Annotated[str, Form()], next: Annotated[str, Form()] = "/") -> Response:
    accounts = accounts_of(request)
    token = request.cookies.get(SESSION_COOKIE, "")
    session = accounts.session(token) if token else None
    if session is None:
        return _back_to_login(next, "Uw sessie is verlopen; log opnieuw in.")
    ok = accounts.check_totp(session.username, code)
    accounts.record_attempt(session.username, ok)
    if not ok:
        if accounts.throttled(session.username):
            accounts.end_session(token)
            return _back_to_login(next, "Te veel mislukte pogingen. Wacht een kwartier.")
        return RedirectResponse(f"/inloggen/code?next={quote(_safe(next))}&fout=De+code+klopt+niet.", status_code=303)
    accounts.complete_second_factor(token)
    return RedirectResponse(_safe(next), status_code=303)


@router.post("/uitloggen")
def logout(request: Request, me: Me, csrf: Annotated[str, Form()] = "") -> Response:
    check_csrf(me, csrf)
    accounts_of(request).end_session(request.cookies.get(SESSION_COOKIE, ""))
    response = RedirectResponse("/inloggen?fout=U+bent+uitgelogd.", status_code=303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


def _back_to_login(next: str, message: str) -> Response:
    return RedirectResponse(f"/inloggen?next={quote(_safe(next))}&fout={quote(message)}", status_code=303)


def _safe(target: str) -> str:
    """Only redirect within this site."""
    return target if target.startswith("/") and not target.startswith("//") else "/"


# --- start page -----------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def start(
    request: Request,
    me: Me,
    protocol: str = "",
    stap: str = "",
    groep: str = "",
    status: str = "open",
) -> Response:
    trede = trede_of(request)
    engine = trede.engine
    now = engine.clock.now()
    rows = []
    for view in engine.cases_for(me.principal):
        case = view.case
        if (
            (protocol and case.protocol_id != protocol)
            or (stap and case.step != stap)
            or (groep and case.group != groep)
        ):
            continue
        if (status == "open" and case.closed) or (status == "afgesloten" and not case.closed):
            continue
        rows.append(_row(view, now, engine.calendar))
    rows.sort(key=lambda r: (r["light_order"], r["next_due"] or "9999"))
    context = {
        "rows": rows,
        "filters": {"protocol": protocol, "stap": stap, "groep": groep, "status": status},
        "protocols": sorted({(r["protocol_id"], r["protocol"]) for r in rows}),
        "mine": [r for r in rows if r["can_act"]],
        "can_open": bool(_openable(request, me)),
        "notifications": accounts_of(request).notifications_for(me.principal.username),
    }
    return page(request, "start.html", context, visitor=me, title="Zaken")


def _row(view: CaseView, now: Any, calendar: Any) -> dict[str, Any]:
    case = view.case
    active = sorted((d for d in case.active_deadlines() if d.due_at), key=lambda d: d.due_at or now)
    next_deadline = active[0] if active else None
    light = (
        traffic_light(next_deadline.due_at, next_deadline.status, now, calendar, case.school) if next_deadline else ""
    )
    if any(d.status == DeadlineStatus.OVERDUE for d in case.active_deadlines()):
        light = LATE
    return {
        "id": case.id,
        "subject": view.subject(),
        "school": case.school,
        "group": case.group or "",
        "protocol_id": case.protocol_id,
        "protocol": view.protocol.spec.title,
        "step": view.protocol.step(case.step).label,
        "closed": case.closed,
        "next": next_deadline,
        "next_due": next_deadline.due_date if next_deadline else None,
        "light": light,
        "light_order": {LATE: 0, SOON: 1}.get(light, 2),
        "can_act": bool(view.actions),
    }


# --- opening a case ---------------------------------------------------------------------


def _openable(request: Request, me: Visitor) -> list[dict[str, Any]]:
    """Protocols this user may open cases of, with the schools where they may."""
    engine = trede_of(request).engine
    with engine.uow() as uow:
        stored = uow.protocols.list()
    latest: dict[str, Any] = {}
    for p in stored:
        latest[p.id] = p
    schools = [s.id for s in accounts_of(request).schools()]
    options = []
    for p in latest.values():
        protocol = engine.protocol(p.content_hash)
        places = [
            s for s in schools if any(opening_roles(me.principal, protocol, s, g) for g in (None, *_groups(me, s)))
        ]
        if places:
            options.append({"id": p.id, "title": p.title, "schools": places})
    return options


def _groups(me: Visitor, school: str) -> list[str]:
    return sorted({g for m in me.principal.memberships if m.school in (school, None) for g in m.groups})


@router.get("/zaken/nieuw", response_class=HTMLResponse)
def new_case_form(request: Request, me: Me, fout: str | None = None) -> Response:
    options = _openable(request, me)
    if not options:
        raise Forbidden("U kunt met uw rol geen zaken openen.")
    groups = sorted({g for m in me.principal.memberships for g in m.groups})
    context = {"options": options, "groups": groups, "error": fout, "today": date.today().isoformat()}
    return page(request, "case_new.html", context, visitor=me, title="Nieuwe zaak")


@router.post("/zaken/nieuw")
def new_case(
    request: Request,
    me: Me,
    protocol: Annotated[str, Form()],
    school: Annotated[str, Form()],
    leerling: Annotated[str, Form()] = "",
    groep: Annotated[str, Form()] = "",
    datum: Annotated[str, Form()] = "",
    csrf: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(me, csrf)
    engine = trede_of(request).engine
    try:
        with engine.uow() as uow:
            stored = uow.protocols.get(protocol)
        spec = engine.protocol(stored.content_hash)
        roles = opening_roles(me.principal, spec, school, groep or None)
        if not roles:
            raise Forbidden("U kunt voor deze school en groep geen zaak van dit protocol openen.")
        if not leerling.strip():
            raise InputError("leerling", "vul het pseudoniem van de leerling (of melder) in")
        effective = form_date(datum, "datum")
        case = engine.open_case(
            protocol,
            school=school,
            subject=leerling.strip(),
            actor=me.principal.username,
            role=roles[0],
            effective=effective,
            group=groep.strip() or None,
        )
    except TredeError as exc:
        return RedirectResponse(f"/zaken/nieuw?fout={quote(exc.message)}", status_code=303)
    return RedirectResponse(f"/zaken/{case.id}", status_code=303)


def form_date(value: str, field: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise InputError(field, f"'{value}' is geen datum (JJJJ-MM-DD)") from None


# --- a case ----------------------------------------------------------------------------


def visible_case(request: Request, me: Visitor, case_id: str, role: str | None = None) -> CaseView:
    """The case, or 404 whether it does not exist or this user may not see it."""
    engine = trede_of(request).engine
    try:
        view = engine.show(case_id)
    except TredeError:
        raise NotAllowed() from None
    if not can_view(me.principal, view.case, view.protocol):
        raise NotAllowed()
    roles = case_roles(me.principal, view.case, view.protocol)
    path = request.url.path
    what = "api" if path.startswith("/api/") else "audit" if path.startswith("/audit/") else "zaak"
    accounts_of(request).log_view(me.principal.username, roles or me.principal.roles(), case_id, view.case.school, what)
    acting = role if role in roles else (roles[0] if roles else None)
    return engine.show(case_id, acting) if acting else CaseView(view.case, view.protocol, [], None)


@router.get("/zaken/{case_id}", response_class=HTMLResponse)
def case_page(
    request: Request,
    me: Me,
    case_id: str,
    rol: str | None = None,
    fout: str | None = None,
    veld: str | None = None,
    melding: str | None = None,
) -> Response:
    trede = trede_of(request)
    view = visible_case(request, me, case_id, rol)
    roles = case_roles(me.principal, view.case, view.protocol)
    events = trede.engine.events(case_id)
    now = trede.engine.clock.now()
    deadlines = sorted(
        view.case.deadlines.values(),
        key=lambda d: (d.status not in DeadlineStatus.ACTIVE, d.due_date or "9999"),
    )
    lights = {
        d.key: traffic_light(d.due_at, d.status, now, trede.engine.calendar, view.case.school)
        for d in deadlines
        if d.status in DeadlineStatus.ACTIVE
    }
    inputs = view.protocol.inputs()
    letters = [
        {"name": name, "label": spec.label}
        for name, spec in view.protocol.spec.letters.items()
        if view.case.step in spec.steps and view.role in spec.roles
    ]
    made = {e.data["letter"]: e.seq for e in events if e.type == "letter_generated"}
    context = {
        "view": view,
        "case": view.case,
        "subject": view.subject(),
        "step": view.protocol.step(view.case.step),
        "deadlines": deadlines,
        "lights": lights,
        "events": events,
        "roles": roles,
        "role": view.role,
        "inputs": inputs,
        "letters": letters,
        "made": made,
        "error": fout,
        "error_field": veld,
        "notice": melding,
        "today": now.date().isoformat(),
        "diagram": svg(view.protocol, view.case.step),
    }
    return page(request, "case.html", context, visitor=me, title=f"Zaak {view.subject()}")


@router.post("/zaken/{case_id}/acties/{trigger}")
async def act(request: Request, me: Me, case_id: str, trigger: str) -> Response:
    form = await request.form()
    values = {k: str(v) for k, v in form.items()}
    check_csrf(me, values.pop("csrf", None))
    role = values.pop("rol", "")
    expected = values.pop("volgnummer", "")
    effective = values.pop("datum", "")
    view = visible_case(request, me, case_id, role)
    if view.role is None or view.role != (role or view.role):
        raise Forbidden()
    inputs = {k: v for k, v in values.items() if v.strip()}
    try:
        trede_of(request).engine.fire(
            case_id,
            trigger,
            actor=me.principal.username,
            role=view.role,
            inputs=inputs,
            effective=form_date(effective, "datum"),
            expected_seq=int(expected) if expected.isdigit() else None,
        )
    except TredeError as exc:
        field = exc.fields.get("field", "")
        target = f"/zaken/{case_id}?rol={quote(view.role)}&fout={quote(exc.message)}&veld={quote(str(field))}"
        return RedirectResponse(target + f"#actie-{trigger}", status_code=303)
    return RedirectResponse(f"/zaken/{case_id}?rol={quote(view.role)}&melding=Vastgelegd.", status_code=303)


@router.post("/zaken/{case_id}/brieven/{name}")
def make_letter(
    request: Request,
    me: Me,
    case_id: str,
    name: str,
    csrf: Annotated[str, Form()] = "",
    rol: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(me, csrf)
    view = visible_case(request, me, case_id, rol)
    if view.role is None:
        raise Forbidden()
    try:
        trede_of(request).engine.letter(case_id, name, actor=me.principal.username, role=view.role)
    except TredeError as exc:
        return RedirectResponse(f"/zaken/{case_id}?fout={quote(exc.message)}", status_code=303)
    return RedirectResponse(f"/zaken/{case_id}?rol={quote(view.role)}&melding=Brief+gemaakt.", status_code=303)


@router.get("/zaken/{case_id}/brieven/{name}.{kind}")
def download_letter(request: Request, me: Me, case_id: str, name: str, kind: str) -> Response:
    view = visible_case(request, me, case_id)
    engine = trede_of(request).engine
    try:
        with engine.uow() as uow:
            letter = uow.letters.get(view.case.id, name)
    except TredeError:
        raise NotAllowed() from None
    if kind == "pdf":
        headers = {"Content-Disposition": f'attachment; filename="{name}-{case_id}.pdf"'}
        return Response(letter.pdf, media_type="application/pdf", headers=headers)
    if kind == "html":
        return HTMLResponse(letter.html)
    raise NotAllowed()
