"""A personal calendar feed (ICS) of the user's deadlines, behind a secret, revocable URL."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from icalendar import Calendar, Event

from api.web.render import page
from api.web.security import NotAllowed, Visitor, accounts_of, check_csrf, trede_of, visitor

router = APIRouter()
Me = Annotated[Visitor, Depends(visitor)]


@router.get("/agenda", response_class=HTMLResponse)
def agenda(request: Request, me: Me) -> Response:
    return page(request, "agenda.html", {"url": None}, visitor=me, title="Agenda")


@router.post("/agenda/nieuw", response_class=HTMLResponse)
def new_feed(request: Request, me: Me, csrf: Annotated[str, Form()] = "") -> Response:
    check_csrf(me, csrf)
    token = accounts_of(request).create_feed(me.principal.username)
    url = str(request.base_url).rstrip("/") + f"/agenda/{token}.ics"
    return page(request, "agenda.html", {"url": url}, visitor=me, title="Agenda")


@router.post("/agenda/intrekken", response_class=HTMLResponse)
def revoke(request: Request, me: Me, csrf: Annotated[str, Form()] = "") -> Response:
    check_csrf(me, csrf)
    accounts_of(request).revoke_feeds(me.principal.username)
    return page(request, "agenda.html", {"url": None, "revoked": True}, visitor=me, title="Agenda")


@router.get("/agenda/{token}.ics")
def feed(request: Request, token: str) -> Response:
    accounts = accounts_of(request)
    username = accounts.feed_user(token)
    principal = accounts.principal(username) if username else None
    if principal is None:
        raise NotAllowed()
    base = str(request.base_url).rstrip("/")
    calendar = Calendar()
    calendar.add("prodid", "-//trede//termijnen//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "trede: mijn termijnen")
    for view in trede_of(request).engine.cases_for(principal):
        if not view.actions and not view.role:
            continue  # an auditor reads cases but has no deadlines of their own
        for d in view.case.active_deadlines():
            if not d.due_date:
                continue
            event = Event()
            event.add("uid", f"{view.case.id}-{d.key}@trede")
            event.add("summary", f"Termijn: {d.label}")
            event.add("dtstart", date.fromisoformat(d.due_date))
            event.add("dtend", date.fromisoformat(d.due_date) + timedelta(days=1))
            event.add("description", f"{view.protocol.spec.title}; {d.basis}. Uiterlijk op deze dag.")
            event.add("url", f"{base}/zaken/{view.case.id}")
            calendar.add_component(event)
    return Response(calendar.to_ical(), media_type="text/calendar; charset=utf-8")
