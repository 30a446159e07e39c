"""The Dutch incident pages (issue 28): Incident vastleggen, Incidenten (a school's list with
its filters), an incident's own page, and Incident koppelen from a case page.

The pages ask the engine (engine/usecases/incidents.py): it checks role and school and
writes the access log; a page never reads storage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web.forms import FORM_LABELS, form_date, form_moment, labelled, said
from api.web.render import page
from api.web.security import Forbidden, Visitor, check_csrf, engine_of, flash, take_flash, visitor
from engine.errors import InputError, TredeError
from engine.incidents import PART_LABELS, PARTS, Incident, IncidentCategories
from engine.inputs import HAPPENED_LABEL
from engine.terms import AMSTERDAM, local_date
from engine.usecases.incidents import IncidentFilter

router = APIRouter()
Me = Annotated[Visitor, Depends(visitor)]

ROWS = 6  # rows for people involved on the form (no script: a fixed number; more via the API)

# The form's field for each name the engine gives it, and the label the form shows.
FORM_FIELDS = {"kind": "soort", "place": "plaats", "seriousness": "ernst", "effective": "datum", "happened": "datum"}
LABELS = {
    **FORM_LABELS,
    "school": "School",
    "kind": "Soort incident",
    "place": "Plaats",
    "seriousness": "Ernst",
    "effective": HAPPENED_LABEL,
    "happened": HAPPENED_LABEL,
    "betrokkenen": "Betrokkenen",
    "role": "Rol",
}


@dataclass(frozen=True)
class Row:
    """An incident as a list or page shows it: the categories' labels, not their keys."""

    incident: Incident
    kind: str
    place: str
    seriousness: str
    day: str
    time: str

    @staticmethod
    def of(incident: Incident, categories: IncidentCategories) -> Row:
        local = incident.happened_at.astimezone(AMSTERDAM)
        return Row(
            incident,
            categories.label("kinds", incident.kind),
            categories.label("places", incident.place),
            categories.label("seriousness", incident.seriousness),
            local.strftime("%d-%m-%Y"),
            local.strftime("%H:%M"),
        )


def _categories(request: Request, version: int | None = None) -> IncidentCategories:
    return engine_of(request).incidents.categories(version)


def _rows(request: Request, incidents: list[Incident]) -> list[Row]:
    versions: dict[int, IncidentCategories] = {}
    rows = []
    for i in incidents:
        if i.categories_version not in versions:
            versions[i.categories_version] = _categories(request, i.categories_version)
        rows.append(Row.of(i, versions[i.categories_version]))
    return rows


# --- Incidenten: the list ----------------------------------------------------------------


@router.get("/incidenten", response_class=HTMLResponse)
def incident_list(
    request: Request,
    me: Me,
    school: Annotated[str, Query(max_length=100)] = "",
    van: Annotated[str, Query(max_length=40)] = "",
    tot: Annotated[str, Query(max_length=40)] = "",
    soort: Annotated[str, Query(max_length=100)] = "",
    ernst: Annotated[str, Query(max_length=100)] = "",
    gekoppeld: Annotated[str, Query(max_length=10)] = "",
) -> Response:
    engine = engine_of(request)
    schools = engine.incidents.schools(me.principal, recording=False)
    if not schools:
        raise Forbidden("U kunt met uw rol geen incidenten inzien.")
    chosen = school or schools[0]
    typed = {"school": chosen, "van": van, "tot": tot, "soort": soort, "ernst": ernst, "gekoppeld": gekoppeld}
    categories = _categories(request)
    error, error_field, rows = None, "", []
    try:
        filters = IncidentFilter(
            kind=soort or None,
            seriousness=ernst or None,
            since=form_date(van, "van", "Vanaf"),
            until=form_date(tot, "tot", "Tot en met"),
            linked={"ja": True, "nee": False}.get(gekoppeld),
        )
        rows = _rows(request, engine.incidents.at_school(me.principal, chosen, filters))
    except InputError as exc:
        error, error_field = said(exc, {**LABELS, "van": "Vanaf", "tot": "Tot en met"}), str(exc.fields.get("field", ""))
    context = {
        "schools": schools,
        "typed": typed,
        "categories": categories,
        "rows": rows,
        "error": error,
        "error_field": error_field,
        "may_record": bool(engine.incidents.schools(me.principal, recording=True)),
        "notice": take_flash(request).get("message"),
    }
    return page(request, "incidents.html", context, visitor=me, title="Incidenten")


# --- Incident vastleggen ------------------------------------------------------------------


@router.get("/incidenten/nieuw", response_class=HTMLResponse)
def new_incident_form(request: Request, me: Me) -> Response:
    return _form(request, me)


def _form(
    request: Request,
    me: Visitor,
    *,
    typed: dict[str, Any] | None = None,
    error: str | None = None,
    field: str = "",
    status_code: int = 200,
) -> Response:
    engine = engine_of(request)
    schools = engine.incidents.schools(me.principal, recording=True)
    if not schools:
        raise Forbidden("U kunt met uw rol geen incidenten vastleggen.")
    pupils = [p for school in schools for p in engine.pupils.choices(me.principal, school)]
    shown = FORM_FIELDS.get(field, field)
    context = {
        "schools": schools,
        "categories": _categories(request),
        "pupils": pupils,
        "parts": [(p, PART_LABELS[p]) for p in PARTS],
        "rows": range(1, ROWS + 1),
        "typed": typed or {},
        "error": labelled(error, field, LABELS) if error else None,
        "error_field": shown,
        "today": local_date(engine.clock.now()).strftime("%d-%m-%Y"),
    }
    return page(request, "incident_new.html", context, visitor=me, title="Incident vastleggen", status_code=status_code)


@router.post("/incidenten/nieuw")
async def new_incident(request: Request, me: Me) -> Response:
    form = await request.form()
    values = {k: str(v)[:200] for k, v in form.items() if isinstance(v, str)}
    check_csrf(me, values.get("csrf", ""))
    engine = engine_of(request)
    typed: dict[str, Any] = {k: values.get(k, "") for k in ("school", "soort", "plaats", "ernst", "datum", "tijd")}
    involved: list[tuple[str, str]] = []
    for n in range(1, ROWS + 1):
        name, part = values.get(f"betrokkene_{n}", "").strip(), values.get(f"rol_{n}", "")
        typed[f"betrokkene_{n}"], typed[f"rol_{n}"] = name, part
        if name or part:
            involved.append((name, part))
    try:
        today = local_date(engine.clock.now())
        if not typed["datum"].strip():
            raise InputError("effective", "vul de datum in waarop het incident gebeurde")
        happened = form_moment(typed["datum"], typed["tijd"], "effective", LABELS["effective"], today)
        assert happened is not None
        incident = engine.incidents.record(
            me.principal,
            school=typed["school"],
            kind=typed["soort"],
            place=typed["plaats"],
            seriousness=typed["ernst"],
            happened=happened,
            involved=involved,
        )
    except TredeError as exc:
        status = exc.http_status if exc.http_status in (403, 409, 422) else 422
        return _form(request, me, typed=typed, error=exc.message, field=str(exc.fields.get("field", "")), status_code=status)
    flash(request, "Het incident is vastgelegd.", kind="notice")
    return RedirectResponse(f"/incidenten/{incident.id}", status_code=303)


# --- an incident ---------------------------------------------------------------------------


@router.get("/incidenten/{incident_id}", response_class=HTMLResponse)
def incident_page(request: Request, me: Me, incident_id: str) -> Response:
    engine = engine_of(request)
    incident = engine.incidents.get(me.principal, incident_id)
    categories = _categories(request, incident.categories_version)
    row = Row.of(incident, categories)
    serious = categories.kinds.get(incident.kind)
    context = {
        "row": row,
        "incident": incident,
        "duty": serious.serious if serious else None,
        "parts": PART_LABELS,
        "notice": take_flash(request).get("message"),
        "list_link": "/incidenten?" + urlencode({"school": incident.school}),
    }
    return page(request, "incident.html", context, visitor=me, title=f"Incident {row.kind}")


# --- Incident koppelen (from a case page) ---------------------------------------------------


def case_incidents(request: Request, linked: list[Incident], linkable: list[Incident]) -> dict[str, Any]:
    """What a case page shows of incidents (read with the case): those linked to it, and those it may link."""
    return {"incidents": _rows(request, linked), "linkable": _rows(request, linkable)}


@router.post("/zaken/{case_id}/incidenten")
def link_incident(
    request: Request,
    me: Me,
    case_id: str,
    incident: Annotated[str, Form(max_length=64)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    check_csrf(me, csrf)
    try:
        if not incident.strip():
            raise InputError("incident", "kies een incident om te koppelen")
        engine_of(request).incidents.link(me.principal, incident, case_id)
    except TredeError as exc:
        flash(request, said(exc, {**LABELS, "incident": "Incident", "case": "Zaak"}), "incident")
        return RedirectResponse(f"/zaken/{case_id}#incidenten", status_code=303)
    flash(request, "Het incident is aan deze zaak gekoppeld.", kind="notice")
    return RedirectResponse(f"/zaken/{case_id}#incidenten", status_code=303)
