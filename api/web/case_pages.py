"""The Dutch web pages for case handlers: my cases, search, a pupil's cases, open a case,
and the case page with its actions and letters.

Pages ask the engine for views made for the visitor (access rules, identity protection
and the access log are applied there) and render them; they never read storage.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web.forms import FORM_LABELS, form_date, input_labels, labelled, said
from api.web.incident_pages import case_incidents
from api.web.render import page
from api.web.security import (
    Forbidden,
    NotAllowed,
    Visitor,
    check_csrf,
    engine_of,
    flash,
    take_flash,
    visitor,
)
from engine.access import REPORTER_ROLES
from engine.attachments import AUDIO, MAX_BYTES, allowed_kinds
from engine.case import TRACK_PREFIX, DeadlineStatus
from engine.errors import ConcurrencyConflict, InputError, LetterChanged, LetterNotFound, TredeError
from engine.events import ERASED, Event
from engine.letters import ADDRESSEE_ADDRESS, ADDRESSEE_NAME, LetterPreview, dutch_date
from engine.meldpunt import ORAL_RECORD, REPORTER_PREFIX
from engine.protocol.diagram import svg
from engine.protocol.model import RESERVED_FORM_FIELDS, Protocol
from engine.protocol.schema import InputSpec
from engine.scheduling import LATE, SOON, case_light, next_deadline, traffic_light
from engine.terms import local_date
from engine.usecases.meldpunt import REPORT_ACTION, oral_record
from engine.views import Action, CaseFilter, CaseView, Openable, timeline

# The form fields of the Nieuwe zaak page that carry a report's opening facts (need_to_know).
FORM_CHANNEL, FORM_CONCERNS = "kanaal", "betreft"
# The letter preview's field that carries the SHA-256 of the letter the writer saw.
SHA_FIELD = "voorbeeld_sha256"

router = APIRouter()
Me = Annotated[Visitor, Depends(visitor)]


# --- start page -----------------------------------------------------------------------


@router.get("/", response_class=HTMLResponse)
def start(
    request: Request,
    me: Me,
    protocol: Annotated[str, Query(max_length=100)] = "",
    stap: Annotated[str, Query(max_length=100)] = "",
    groep: Annotated[str, Query(max_length=100)] = "",
    status: Annotated[str, Query(max_length=20)] = "open",
    pagina: Annotated[int, Query(ge=1, le=1_000_000)] = 1,
) -> Response:
    engine = engine_of(request)
    now = engine.clock.now()
    wanted = CaseFilter(protocol=protocol, step=stap, group=groep, status=status, page=pagina)
    overview = engine.reads.overview(me.principal, wanted)
    filters = {"protocol": protocol, "stap": stap, "groep": groep, "status": status}
    context = {
        "rows": [_row(view, now, engine.calendar) for view in overview.cases],
        "mine": [_row(view, now, engine.calendar) for view in overview.mine],
        "total": overview.total,
        "mine_total": overview.mine_total,
        "page": overview.page,
        "pages": overview.pages,
        "page_link": lambda n: "/?" + urlencode({**{k: v for k, v in filters.items() if v}, "pagina": n}),
        "filters": filters,
        "protocols": overview.protocols,
        "can_open": bool(overview.openable),
        "notifications": overview.notifications,
    }
    return page(request, "start.html", context, visitor=me, title="Zaken", names=overview.names)


def _row(view: CaseView, now: Any, calendar: Any) -> dict[str, Any]:
    case = view.case
    first = next_deadline(case)
    light = case_light(case, now, calendar)
    return {
        "id": case.id,
        "subject": view.subject(),
        "school": case.school,
        "group": case.group or "",
        "protocol_id": case.protocol_id,
        "protocol": view.protocol.spec.title,
        "step": view.protocol.step(case.step).label,
        "closed": case.closed,
        "next": first,
        "next_due": first.due_date if first else None,
        "light": light,
        "can_act": bool(view.actions),
    }


@router.get("/zoeken", response_class=HTMLResponse)
def search(request: Request, me: Me, q: Annotated[str, Query(max_length=100)] = "") -> Response:
    """Search by pseudonym or case number, among the cases this user may see."""
    engine = engine_of(request)
    now = engine.clock.now()
    rows, error = [], None
    if q.strip():
        try:
            rows = [_row(view, now, engine.calendar) for view in engine.reads.search(me.principal, q)]
        except InputError as exc:
            error = said(exc, {"q": "Zoeken"})
    context = {"q": q, "rows": rows, "error": error, "heading": "Zoeken"}
    return page(request, "search.html", context, visitor=me, title="Zoeken")


@router.get("/leerling", response_class=HTMLResponse)
def pupil(
    request: Request,
    me: Me,
    school: Annotated[str, Query(max_length=100)],
    naam: Annotated[str, Query(max_length=100)],
) -> Response:
    """Every case of one pupil at one school, across protocols, as far as this user may see."""
    engine = engine_of(request)
    now = engine.clock.now()
    rows = [_row(view, now, engine.calendar) for view in engine.reads.pupil(me.principal, school, naam)]
    context = {"q": "", "rows": rows, "error": None, "heading": f"Alle zaken van {naam}"}
    return page(request, "search.html", context, visitor=me, title=f"Leerling {naam}")


# --- opening a case ---------------------------------------------------------------------


def _options(openable: list[Openable]) -> list[dict[str, Any]]:
    """Protocols this user may open cases of, with the schools where they may and the
    opening facts their form asks."""
    options = []
    for o in openable:
        rule = o.protocol.spec.need_to_know
        # the form fields that carry the opening facts: 'kanaal' the channel, 'betreft' whom it concerns
        named = ((FORM_CHANNEL, rule.channel), (FORM_CONCERNS, rule.concerns)) if rule else ()
        opening = [(field, o.protocol.inputs()[name]) for field, name in named if name]
        fields = {name: field for field, name in named if name}  # the protocol's input name -> the form's field
        options.append(
            {"id": o.stored.id, "title": o.stored.title, "schools": o.schools, "opening": opening, "fields": fields}
        )
    return options


# What the Nieuwe zaak form calls the fields the engine names by id: a refusal names them so.
NEW_CASE_LABELS = {
    **FORM_LABELS,
    "effective": "Datum van het voorval",
    "subject": "Pseudoniem van de leerling (of melder)",
    "leerling": "Pseudoniem van de leerling (of melder)",
}
# The form's field for each name the engine uses for it.
FORM_FIELDS = {"effective": "datum", "subject": "leerling", "group": "groep"}


@router.get("/zaken/nieuw", response_class=HTMLResponse)
def new_case_form(request: Request, me: Me) -> Response:
    message = take_flash(request)
    return _new_case_page(request, me, error=message.get("message"))


def _new_case_page(
    request: Request,
    me: Visitor,
    *,
    typed: dict[str, str] | None = None,
    error: str | None = None,
    field: str = "",
    status_code: int = 200,
) -> Response:
    """The Nieuwe zaak form; after a refusal with what the person typed and one message
    that names the field by the label the form shows."""
    engine = engine_of(request)
    options = _options(engine.protocols.openable(me.principal))
    if not options:
        raise Forbidden("U kunt met uw rol geen zaken openen.")
    groups = sorted({g for m in me.principal.memberships for g in m.groups})
    today = local_date(engine.clock.now())  # the sandbox clock, in Amsterdam
    schools = sorted({school for o in options for school in o["schools"]})
    pupils = [p for school in schools for p in engine.pupils.choices(me.principal, school)]
    fields: dict[str, dict[str, Any]] = {}
    opening_names: dict[str, str] = {}  # the protocol's input name -> the form field that carries it
    for o in options:  # one field for each opening fact, with the options of every protocol that asks it
        opening_names.update(o["fields"])
        for form_field, spec in o["opening"]:
            entry = fields.setdefault(form_field, {"name": form_field, "label": spec.label, "options": []})
            entry["options"] = list(dict.fromkeys([*entry["options"], *(spec.options or [])]))
    # the engine names an opening fact by the protocol's name for it: the form shows its own field
    shown_field = opening_names.get(field, field)
    labels = {**NEW_CASE_LABELS, **{f["name"]: f["label"] for f in fields.values()}}
    context = {
        "options": options,
        "opening_fields": list(fields.values()),
        "groups": groups,
        "pupils": pupils,
        "error": labelled(error, shown_field, labels) if error and shown_field else error,
        "error_field": FORM_FIELDS.get(shown_field, shown_field),
        "typed": typed or {},
        "today": today.isoformat(),
    }
    return page(request, "case_new.html", context, visitor=me, title="Nieuwe zaak", status_code=status_code)


@router.post("/zaken/nieuw")
def new_case(
    request: Request,
    me: Me,
    protocol: Annotated[str, Form(max_length=100)],
    school: Annotated[str, Form(max_length=100)],
    leerling: Annotated[str, Form(max_length=1000)] = "",
    groep: Annotated[str, Form(max_length=100)] = "",
    datum: Annotated[str, Form(max_length=40)] = "",
    kanaal: Annotated[str, Form(max_length=100)] = "",
    betreft: Annotated[str, Form(max_length=100)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    check_csrf(me, csrf)
    engine = engine_of(request)
    typed = {
        "protocol": protocol,
        "school": school,
        "leerling": leerling,
        "groep": groep,
        "datum": datum,
        FORM_CHANNEL: kanaal,
        FORM_CONCERNS: betreft,
    }
    try:
        chosen = engine.protocols.get(protocol).protocol.spec.need_to_know if protocol.strip() else None
        # a report whose protocol limits who sees it: the form asks the channel and whom it concerns
        given = ((chosen.channel, kanaal), (chosen.concerns, betreft)) if chosen else ()
        opening = {name: value for name, value in given if name}
        if not leerling.strip():
            raise InputError("leerling", "vul een pseudoniem in (nooit een volledige naam)")
        case = engine.cases.open(
            me.principal,
            protocol,
            school=school,
            subject=leerling,
            group=groep.strip() or None,
            effective=form_date(datum, "effective", NEW_CASE_LABELS["effective"]),
            inputs={k: v for k, v in opening.items() if v.strip()},
        )
    except TredeError as exc:
        # shown again at once, with everything typed (a redirect would lose it)
        field = str(exc.fields.get("field", ""))
        status = exc.http_status if exc.http_status in (403, 409, 422) else 422
        return _new_case_page(request, me, typed=typed, error=exc.message, field=field, status_code=status)
    return RedirectResponse(f"/zaken/{case.id}", status_code=303)


# --- a case ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Failed:
    """An attempt the engine refused: shown again with everything the person typed."""

    trigger: str
    message: str
    field: str
    values: dict[str, str]
    since_seq: int | None = None  # a conflict: the events recorded since the form was opened


@router.get("/zaken/{case_id}", response_class=HTMLResponse)
def case_page(request: Request, me: Me, case_id: str, rol: str | None = None) -> Response:
    message = take_flash(request)
    notice = message.get("message") if message.get("kind") == "notice" else None
    error = message.get("message") if message.get("kind") == "error" else None
    failed = Failed("", error, message.get("field", ""), {}) if error else None
    return case_response(request, me, case_id, rol, notice=notice, failed=failed)


def case_response(
    request: Request,
    me: Visitor,
    case_id: str,
    rol: str | None,
    *,
    notice: str | None = None,
    failed: Failed | None = None,
    status_code: int = 200,
) -> Response:
    engine = engine_of(request)
    detail = engine.reads.detail(me.principal, case_id, role=rol)  # with the names it shows, in one read
    view = detail.view
    now = engine.clock.now()
    today = local_date(now)
    deadlines = sorted(
        view.case.deadlines.values(),
        key=lambda d: (d.status not in DeadlineStatus.ACTIVE, d.due_date or "9999"),
    )
    lights = {
        d.key: traffic_light(d.due_at, d.status, now, engine.calendar, view.case.school)
        for d in deadlines
        if d.status in DeadlineStatus.ACTIVE
    }
    due = {d.id: d.due_date for d in deadlines if d.status in DeadlineStatus.ACTIVE and d.kind == "obligation"}
    urgent = {d.id for d in deadlines if d.kind == "obligation" and lights.get(d.key) in (LATE, SOON)}
    # the facts a waiting term starts from, and the actions that record an open obligation
    needs = {d.start for d in deadlines if d.status == DeadlineStatus.WAITING}
    fulfils = {trigger: o for o in due for trigger in view.protocol.fulfilled_by.get(o, ())}
    ordered = by_urgency(view.actions, due, urgent, needs, fulfils)
    step = view.protocol.step(view.case.step)
    context = {
        # the meldpunt's triage (issue 29): where the school's board loaded its triage data
        "triage_link": detail.triage,
        "view": view,
        "case": view.case,
        "subject": view.subject(),
        "pupil_link": view.subject_shown,
        "step": step,
        "deadlines": deadlines,
        "lights": lights,
        "events": detail.events,
        "timeline": timeline(detail.events),  # in the order things happened; the audit trail keeps the chain's
        "roles": list(view.roles),
        "role": view.role,
        "inputs": view.protocol.inputs(),
        "actions": ordered,
        "due": due,
        "opened": _opened_action(ordered, step.decision is not None, failed),
        "letters": detail.letters,
        "made": detail.made,
        "links": detail.links,
        "tracks": [
            (track.label, view.case.facts.get(f"{TRACK_PREFIX}{name}", "open"), track.required)
            for name, track in view.protocol.tracks(view.case.step).items()
        ],
        "failed": failed,
        "changed": [e for e in detail.events if failed and failed.since_seq is not None and e.seq > failed.since_seq],
        "error": labelled(failed.message, failed.field, input_labels(view.protocol)) if failed else None,
        "error_field": failed.field if failed else None,
        "notice": notice,
        "today": today.isoformat(),
        "anonymised": view.case.subject == ERASED,
        "allowed_kinds": allowed_kinds(),
        "audio_kinds": AUDIO,
        "oral": oral_record(view.protocol, detail.events),
        # who records an oral report hands its melder a code (a report through the meldpunt has one)
        "oral_code": not view.case.closed
        and not view.case.opened_by.startswith(REPORTER_PREFIX)
        and view.role in {r for t in view.protocol.transitions if t.trigger == ORAL_RECORD for r in t.roles},
        "max_size": f"{MAX_BYTES // (1024 * 1024)} MB",
        "diagram": svg(view.protocol, view.case.step),
        "report": reported(view.protocol, detail.events),
        # the addressee an earlier letter recorded, to fill in the next letter's form
        "known_addressee": {
            name: value
            for name in (ADDRESSEE_NAME, ADDRESSEE_ADDRESS)
            if isinstance(value := view.case.facts.get(name), str) and value != ERASED
        },
    }
    context.update(case_incidents(request, detail.incidents, detail.linkable))
    title = f"Zaak {view.subject()}"
    return page(request, "case.html", context, visitor=me, title=title, status_code=status_code, names=detail.names)


def reported(protocol: Protocol, events: list[Event]) -> list[tuple[str, str, bool]]:
    """What the melder reported through the meldpunt (their 'melden' action), as (label, value
    as a person reads it, whether it is free text) in the protocol's order of inputs. The events are the engine's view for this viewer:
    contact details they may not know already come masked by the engine; nothing is hidden here."""
    report = next((e for e in events if e.trigger == REPORT_ACTION and e.role in REPORTER_ROLES), None)
    if report is None:
        return []
    known = protocol.inputs()
    order = [name for name in known if name in report.inputs] + sorted(set(report.inputs) - set(known))
    return [(known[n].label if n in known else n, *_shown(known.get(n), str(report.inputs[n]))) for n in order]


def _shown(spec: InputSpec | None, value: str) -> tuple[str, bool]:
    if spec is None or spec.type == "tekst":
        return value, True
    if spec.type == "datum":
        try:
            return dutch_date(value), False
        except ValueError:
            return value, False
    return value.replace("_", " "), False


def by_urgency(
    actions: list[Action],
    due: dict[str, str | None],
    urgent: set[str],
    needs: frozenset[str] | set[str] = frozenset(),
    fulfils: dict[str, str] | None = None,
) -> list[Action]:
    """Obligations that are late or due within three werkdagen first (earliest first); then
    what the step needs before its term can run: an action that records a fact a waiting
    term starts from (``needs``: "Hulp en evaluatiedatum vastleggen" before the evaluation
    itself); then the step's own actions (moving the case or answering its question); then
    obligations due later; then actions that only record something. An action that records
    an open obligation (``fulfils``: trigger -> obligation) ranks as that obligation."""
    recorded_by = fulfils or {}

    def rank(a: Action) -> tuple[int, str]:
        obligation = a.trigger if a.kind == "obligation" else recorded_by.get(a.trigger)
        if obligation is not None and obligation in due:
            return (0 if obligation in urgent else 3, due.get(obligation) or "9999-12-31")
        if needs & {*a.requires, *a.accepts}:
            return (1, "")
        return (2, "") if a.to is not None or a.kind == "answer" else (4, "")

    return sorted(actions, key=rank)


def _opened_action(ordered: list[Action], decision: bool, failed: Failed | None) -> str | None:
    """Which form is open: the one that just failed; else the first of ``by_urgency`` (an
    urgent obligation, else what the step needs recorded before its term can run, else the
    step's own action); never an answer to a decision (the closing answer must not be the default)."""
    if failed is not None and failed.trigger:
        return failed.trigger
    if not ordered or (decision and ordered[0].kind == "answer"):
        return None
    return ordered[0].trigger


@router.post("/zaken/{case_id}/acties/{trigger}")
async def act(request: Request, me: Me, case_id: str, trigger: str) -> Response:
    form = await request.form(max_fields=60, max_files=0)
    values = {k: str(v) for k, v in form.items()}
    check_csrf(me, values.pop("csrf", None))
    role = values.pop("rol", "") or None
    expected = values.pop("volgnummer", "")
    typed = dict(values)  # everything the person typed, to show again if refused
    effective = values.pop("datum", "")
    engine = engine_of(request)
    inputs = {k: v for k, v in values.items() if v.strip() and k not in RESERVED_FORM_FIELDS}
    target = f"/zaken/{case_id}" + (f"?rol={quote(role)}" if role else "")
    seq = int(expected) if expected.isdigit() and len(expected) < 10 else None
    try:
        engine.cases.fire(
            me.principal,
            case_id,
            trigger,
            role=role,
            inputs=inputs,
            effective=form_date(effective, "effective"),
            expected_seq=seq,
        )
    except TredeError as exc:
        if exc.http_status == 404:
            raise
        field = str(exc.fields.get("field", ""))
        since = seq if isinstance(exc, ConcurrencyConflict) else None
        failed = Failed(trigger, _plain(exc), field, typed, since)
        return case_response(request, me, case_id, role, failed=failed, status_code=exc.http_status)
    flash(request, "Vastgelegd.", kind="notice")
    return RedirectResponse(target, status_code=303)


def _plain(exc: TredeError) -> str:
    """The engine's message; a conflict is said as what it means for the person's input."""
    if isinstance(exc, ConcurrencyConflict):
        return (
            "Iemand anders heeft deze zaak intussen bijgewerkt (zie hieronder wat er veranderde). "
            "Uw invoer staat er nog; controleer of de actie nog nodig is en verstuur opnieuw."
        )
    return exc.message


def _refused(request: Request, exc: TredeError, target: str) -> Response:
    """Back to the form with the engine's message (a case one may not see stays 'not found')."""
    if exc.http_status == 404:
        raise exc
    flash(request, said(exc), str(exc.fields.get("field", "")))
    return RedirectResponse(target, status_code=303)


# --- letters: a preview first, then the letter exactly as previewed ------------------------


async def _letter_form(request: Request, me: Visitor) -> tuple[str, dict[str, str]]:
    """The role and the fields a letter form posted (the form's own fields taken out)."""
    form = await request.form(max_fields=30, max_files=0)
    values = {k: str(v) for k, v in form.items()}
    check_csrf(me, values.pop("csrf", None))
    return values.pop("rol", ""), values


def _letter_inputs(values: dict[str, str]) -> dict[str, str]:
    return {k: v for k, v in values.items() if v.strip() and k not in RESERVED_FORM_FIELDS and k != SHA_FIELD}


@router.post("/zaken/{case_id}/brieven/{name}")
async def preview_letter(request: Request, me: Me, case_id: str, name: str) -> Response:
    """The letter as it would be stored, with nothing recorded: the writer reads it, and
    changes the fields or stores it (``store_letter``)."""
    rol, values = await _letter_form(request, me)
    try:
        preview = engine_of(request).cases.preview_letter(
            me.principal, case_id, name, role=rol or None, inputs=_letter_inputs(values)
        )
    except TredeError as exc:
        return _letter_refused(request, me, case_id, rol, name, exc, values)
    return _preview_page(request, me, rol, preview)


@router.post("/zaken/{case_id}/brieven/{name}/opslaan")
async def store_letter(request: Request, me: Me, case_id: str, name: str) -> Response:
    """Store the letter the writer saw in the preview; when the case or the day changed since,
    nothing is stored and the new preview is shown."""
    rol, values = await _letter_form(request, me)
    expected = values.get(SHA_FIELD, "")
    engine = engine_of(request)
    inputs = _letter_inputs(values)
    try:
        if not _is_sha256(expected):
            raise InputError(SHA_FIELD, "bekijk eerst het voorbeeld van de brief en sla hem vanaf daar op")
        engine.cases.letter(me.principal, case_id, name, role=rol or None, inputs=inputs, expected_sha256=expected)
    except LetterChanged as exc:
        try:
            preview = engine.cases.preview_letter(me.principal, case_id, name, role=rol or None, inputs=inputs)
        except TredeError as again:
            return _letter_refused(request, me, case_id, rol, name, again, values)
        return _preview_page(request, me, rol, preview, error=exc.message, status_code=exc.http_status)
    except TredeError as exc:
        return _letter_refused(request, me, case_id, rol, name, exc, values)
    flash(request, "Brief opgeslagen. Download de PDF hieronder, druk hem af en verstuur hem.", kind="notice")
    return RedirectResponse(f"/zaken/{case_id}" + (f"?rol={quote(rol)}" if rol else "") + "#brieven", status_code=303)


def _is_sha256(value: str) -> bool:
    return len(value) == 64 and all(c in "0123456789abcdef" for c in value)


def _letter_refused(
    request: Request, me: Visitor, case_id: str, rol: str, name: str, exc: TredeError, typed: dict[str, str]
) -> Response:
    """The case page again, the letter's form open with everything typed and the field named
    (a case one may not see stays 'not found')."""
    if exc.http_status == 404:
        raise exc
    typed = {k: v for k, v in typed.items() if k != SHA_FIELD}
    failed = Failed(letter_form(name), exc.message, str(exc.fields.get("field", "")), typed)
    return case_response(request, me, case_id, rol or None, failed=failed, status_code=exc.http_status)


def letter_form(name: str) -> str:
    """How a failed letter form is told apart from an action's (``Failed.trigger``)."""
    return f"brief:{name}"


def _preview_page(
    request: Request,
    me: Visitor,
    rol: str,
    preview: LetterPreview,
    *,
    error: str | None = None,
    status_code: int = 200,
) -> Response:
    engine = engine_of(request)
    # the letter's own HTML, made by the letter templates with every value escaped
    body = preview.html.split("<body>", 1)[-1].split("</body>", 1)[0]
    context = {
        "preview": preview,
        "body": body,
        "rol": rol,
        "sha_field": SHA_FIELD,
        "error": error,
        "today": local_date(engine.clock.now()).isoformat(),
    }
    title = f"Voorbeeld: {preview.label}"
    return page(request, "letter_preview.html", context, visitor=me, title=title, status_code=status_code)


@router.get("/zaken/{case_id}/brieven/{name}.{kind}")
def download_letter(request: Request, me: Me, case_id: str, name: str, kind: str) -> Response:
    if kind not in ("pdf", "html"):
        raise NotAllowed()
    try:
        letter = engine_of(request).reads.letter(me.principal, case_id, name)
    except LetterNotFound:
        raise NotAllowed() from None
    if kind == "pdf":
        headers = {"Content-Disposition": f'attachment; filename="{quote(name)}-{quote(case_id)}.pdf"'}
        return Response(letter.pdf, media_type="application/pdf", headers=headers)
    return HTMLResponse(letter.html)
