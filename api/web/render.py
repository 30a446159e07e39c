"""Rendering pages: one Jinja2 environment, Dutch dates, security headers."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path
from typing import Any

from fastapi import Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates
from jinja2 import pass_context
from jinja2.runtime import Context
from markupsafe import Markup

from api.web.security import Visitor, engine_of
from engine.attachments import KINDS, size_shown
from engine.case import DeadlineStatus
from engine.letters import dutch_date
from engine.terms import AMSTERDAM
from engine.views import (
    Names,
    NoticeView,
    deadline_moves,
    event_label,
    input_shown,
    moments,
    person_shown,
    role_label,
    step_label,
    term_text,
)

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
    names: Names | None = None,
) -> HTMLResponse:
    """``names``: the schools and people the page shows by name, when the engine's read
    carried them (in its own unit of work); else every school's and person's name."""
    if names is None:
        names = engine_of(request).users.names(people=visitor is not None)
    full = {
        "school_names": names.schools,
        "people": names.people,
        **context,
        "me": visitor.principal if visitor else None,
        "csrf": visitor.csrf_token if visitor else "",
        "title": title,
        "template_name": template,
    }
    return TEMPLATES.TemplateResponse(request, template, full, status_code=status_code)


def document(request: Request, template: str, **context: Any) -> str:
    """A document (a dossier or report to print as PDF), with schools and people by name."""
    names = engine_of(request).users.names()
    return TEMPLATES.get_template(template).render(school_names=names.schools, people=names.people, **context)


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


@pass_context
def school_name(context: Context, school_id: str | None) -> str:
    """A school by its name ("De Linde"), not its id."""
    return str(context.get("school_names", {}).get(school_id, school_id or ""))


@pass_context
def person_name(context: Context, username: str) -> str:
    """A user by the name people know them by (engine.views.person_shown)."""
    return person_shown(context.get("people", {}), username)


def name_words(value: object) -> Markup:
    """A name (a pupil's, a pseudonym, a person's) whose words never break across lines: a
    narrow table column breaks it between its words only. A cell of class ``name`` keeps
    plain words whole (base.html); a word with a hyphen ("Leerling-Merel"), where browsers
    would break, is held together by a span."""
    return Markup(" ").join(
        Markup('<span class="nw">{}</span>').format(word) if "-" in word else Markup.escape(word)
        for word in str(value).split(" ")
    )


def notice_page(n: NoticeView) -> str:
    """Where a notice leads: the proposal, the variant's protocol page, or the case."""
    if n.proposal is not None:
        return f"/protocollen/voorstellen/{n.proposal}"
    if n.variant is not None:
        return f"/protocollen/{n.variant}"
    return f"/zaken/{n.notice.case_id}"


TEMPLATES.env.filters["grootte"] = size_shown
TEMPLATES.env.filters["pagina"] = notice_page
TEMPLATES.env.globals["kinds"] = KINDS
TEMPLATES.env.filters["school"] = school_name
TEMPLATES.env.filters["persoon"] = person_name
TEMPLATES.env.filters["wanneer"] = when
TEMPLATES.env.filters["optie"] = option
TEMPLATES.env.filters["naam"] = name_words
# an input value by its type and the protocol's spec: a choice by its label, a date as dd-mm-jjjj
TEMPLATES.env.filters["invoer"] = lambda value, spec=None: input_shown(spec, value)


TEMPLATES.env.globals["event_label"] = event_label
TEMPLATES.env.globals["deadline_moves"] = deadline_moves
TEMPLATES.env.globals["step_label"] = step_label
TEMPLATES.env.globals["role_label"] = role_label
TEMPLATES.env.globals["moments"] = moments
TEMPLATES.env.globals["term_text"] = term_text
