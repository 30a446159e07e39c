"""A personal calendar feed (ICS) of the user's deadlines, behind a secret, revocable URL."""

from __future__ import annotations

from datetime import UTC, date, timedelta
from typing import Annotated

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import HTMLResponse, Response
from icalendar import Calendar, Event

from api.web.render import page
from api.web.security import NotAllowed, Visitor, check_csrf, engine_of, visitor

router = APIRouter()
Me = Annotated[Visitor, Depends(visitor)]


@router.get("/agenda", response_class=HTMLResponse)
def agenda(request: Request, me: Me) -> Response:
    return page(request, "agenda.html", {"url": None}, visitor=me, title="Agenda")


@router.post("/agenda/nieuw", response_class=HTMLResponse)
def new_feed(request: Request, me: Me, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    check_csrf(me, csrf)
    token = engine_of(request).tokens.create_feed(me.principal.username)
    url = str(request.base_url).rstrip("/") + f"/agenda/{token}.ics"
    return page(request, "agenda.html", {"url": url}, visitor=me, title="Agenda")


@router.post("/agenda/intrekken", response_class=HTMLResponse)
def revoke(request: Request, me: Me, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    check_csrf(me, csrf)
    engine_of(request).tokens.revoke_feeds(me.principal.username)
    return page(request, "agenda.html", {"url": None, "revoked": True}, visitor=me, title="Agenda")


@router.get("/agenda/{token}.ics")
def feed(request: Request, token: str) -> Response:
    principal = engine_of(request).tokens.feed_principal(token)
    if principal is None:
        raise NotAllowed()
    base = str(request.base_url).rstrip("/")
    made = engine_of(request).clock.now().astimezone(UTC)  # DTSTAMP (RFC 5545 3.8.7.2): when this feed was made
    calendar = Calendar()
    calendar.add("prodid", "-//trede//termijnen//NL")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", "trede: mijn termijnen")
    for item in engine_of(request).reads.calendar_feed(principal):
        event = Event()
        event.add("uid", f"{item.case_id}-{item.key}@trede")
        event.add("dtstamp", made)
        event.add("summary", f"Termijn: {item.label}")
        event.add("dtstart", date.fromisoformat(item.due_date))
        event.add("dtend", date.fromisoformat(item.due_date) + timedelta(days=1))
        event.add("description", f"{item.protocol_title}; {item.basis}. Uiterlijk op deze dag.")
        event.add("url", f"{base}/zaken/{item.case_id}")
        calendar.add_component(event)
    return Response(calendar.to_ical(), media_type="text/calendar; charset=utf-8")
