"""Rendering pages: one Jinja2 environment, Dutch dates, security headers."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from api.web.security import Visitor
from engine.case import DeadlineStatus
from engine.letters import dutch_date
from engine.terms import AMSTERDAM
from engine.views import event_label, step_label

TEMPLATES = Jinja2Templates(directory=str(Path(__file__).parent.parent / "templates"))
TEMPLATES.env.filters["local"] = lambda moment: moment.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M")
TEMPLATES.env.filters["datum"] = lambda value: dutch_date(value) if value else ""
TEMPLATES.env.filters["termijnstatus"] = DeadlineStatus.shown

def page(
    request: Request,
    template: str,
    context: dict[str, Any],
    *,
    visitor: Visitor | None = None,
    title: str = "",
    status_code: int = 200,
) -> HTMLResponse:
    full = {
        **context,
        "me": visitor.principal if visitor else None,
        "csrf": visitor.csrf_token if visitor else "",
        "title": title,
        "template_name": template,
    }
    return TEMPLATES.TemplateResponse(request, template, full, status_code=status_code)


def iso(value: date | datetime | None) -> str:
    return value.isoformat() if value else ""


def when(due_date: str, today: str) -> str:
    """How far a date is from today, in words a handler reads at a glance."""
    days = (date.fromisoformat(due_date) - date.fromisoformat(today)).days
    if days == 0:
        return "vandaag"
    if days == 1:
        return "morgen"
    if days > 1:
        return f"over {days} dagen"
    return "1 dag te laat" if days == -1 else f"{-days} dagen te laat"


def option(value: str) -> str:
    """A choice as a person reads it: 'fysiek_geweld' becomes 'fysiek geweld'."""
    return value.replace("_", " ")


TEMPLATES.env.filters["wanneer"] = when
TEMPLATES.env.filters["optie"] = option


TEMPLATES.env.globals["event_label"] = event_label
TEMPLATES.env.globals["step_label"] = step_label
