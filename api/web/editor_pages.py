"""The protocol owner's editor for a school variant: a form (or the YAML itself), checked as
it is typed, with the diagram and the differences with the base beside it.

The page works by plain form submits (check, add or remove a part, save, download); the
script ``editor.js`` only checks while typing, through ``POST /protocollen/editor/controle``,
which answers the problems per field as JSON. Every read and action goes through
``engine.editor``, which checks that the visitor is a protocol owner of the school.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import FileResponse, HTMLResponse, JSONResponse, Response

from api.web.proposal_pages import proposed, trial_context, trial_of, with_box
from api.web.render import page
from api.web.security import NotAllowed, Visitor, check_csrf, engine_of, visitor
from engine.errors import ProtocolError, TredeError
from engine.protocol.variant_builder import (
    CHILDREN,
    KINDS,
    REMOVABLE,
    SECTIONS,
    TOP_FIELDS,
    VariantEdit,
    from_form,
    parse_variant,
    to_form,
)
from engine.usecases.protocol_editor import EditorCheck

router = APIRouter(prefix="/protocollen")
Me = Annotated[Visitor, Depends(visitor)]
SCRIPT = Path(__file__).parents[1] / "static" / "protocol_editor.js"
MAX_FIELDS = 5000  # a large variant has some hundreds of fields
REMOVE_LABELS = {
    "transitions": "Acties",
    "steps": "Stappen",
    "roles": "Rollen",
    "inputs": "Invoervelden",
    "timers": "Timers",
    "obligations": "Verplichtingen",
}


@router.get("/editor/editor.js")
def script() -> Response:
    return FileResponse(SCRIPT, media_type="text/javascript")


@router.get("/{protocol_id}/bewerken", response_class=HTMLResponse)
def start(
    request: Request,
    me: Me,
    protocol_id: str,
    school: Annotated[str, Query(max_length=100)] = "",
    versie: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
) -> Response:
    engine = engine_of(request)
    if not school:
        schools = engine.editor.schools(me.principal)
        if len(schools) != 1:
            context = {"protocol_id": protocol_id, "schools": schools, "versie": versie}
            return page(request, "editor_school.html", context, visitor=me, title="Schoolvariant bewerken")
        school = schools[0][0]
    try:
        edit = engine.editor.start(me.principal, school, protocol_id, versie)
    except TredeError as exc:
        if exc.code == "protocol_not_found":
            raise NotAllowed() from None
        raise
    check = engine.editor.check(me.principal, school, edit)
    return _form_page(request, me, school, edit, check, show_problems=False)


async def _posted(request: Request, me: Visitor) -> dict[str, str]:
    form = await request.form(max_fields=MAX_FIELDS)
    fields = {k: v for k, v in form.multi_items() if isinstance(v, str)}
    check_csrf(me, fields.get("csrf"))
    return fields


@router.post("/editor", response_class=HTMLResponse)
async def submit(request: Request, me: Me) -> Response:
    """The form submitted: check, add or remove a part, switch to the YAML, or save."""
    fields = await _posted(request, me)
    school = fields.get("school", "")
    engine = engine_of(request)
    edit = from_form(fields, drop=fields.get("weg", ""), add=fields.get("nieuw", ""))
    if fields.get("doen") == "yaml":
        check = engine.editor.check(me.principal, school, edit)
        return _yaml_page(request, me, school, check.text, check, edit.file_name())
    if fields.get("doen") == "downloaden":
        check = engine.editor.check(me.principal, school, edit)
        return _download(check.text, edit.file_name())
    if fields.get("doen") == "opslaan":
        try:
            check = engine.editor.check(me.principal, school, edit)
            proposal = engine.editor.save(me.principal, school, with_box(check.text, fields))
        except ProtocolError:
            check = engine.editor.check(me.principal, school, edit)
            return _form_page(request, me, school, edit, check, show_problems=True, status_code=422, trial=trial_of(request, me, school, check.text, fields))
        return proposed(request, proposal.id)
    check = engine.editor.check(me.principal, school, edit)
    focus = _focus_after(fields, edit)
    trial = trial_of(request, me, school, check.text, fields) if fields.get("doen") == "proefdraaien" else fields
    return _form_page(request, me, school, edit, check, show_problems=True, focus=focus, trial=trial)


@router.post("/editor/yaml", response_class=HTMLResponse)
async def submit_yaml(request: Request, me: Me) -> Response:
    """The YAML view submitted: check, back to the form, download, or save."""
    fields = await _posted(request, me)
    school, text = fields.get("school", ""), fields.get("tekst", "").replace("\r\n", "\n")
    file = fields.get("bestand", "variant.yaml")[-100:] or "variant.yaml"
    engine = engine_of(request)
    check = engine.editor.check_text(me.principal, school, text, file)
    doing = fields.get("doen")
    if doing == "downloaden":
        return _download(text, file)
    if doing == "formulier":
        edit, problems = parse_variant(text, file)
        if not problems:
            return _form_page(request, me, school, edit, engine.editor.check(me.principal, school, edit), show_problems=True)
    if doing == "opslaan":
        try:
            proposal = engine.editor.save(me.principal, school, text)
        except ProtocolError:
            return _yaml_page(request, me, school, text, check, file, status_code=422)
        return proposed(request, proposal.id)
    return _yaml_page(request, me, school, text, check, file)


@router.post("/editor/controle")
async def live_check(request: Request, me: Me) -> Response:
    """The live check while typing: problems per field, the YAML, the diagram and the diff."""
    fields = await _posted(request, me)
    school = fields.get("school", "")
    engine = engine_of(request)
    if fields.get("modus") == "yaml":
        check = engine.editor.check_text(me.principal, school, fields.get("tekst", "").replace("\r\n", "\n"), fields.get("bestand", "variant.yaml")[-100:])
    else:
        check = engine.editor.check(me.principal, school, from_form(fields))
    return JSONResponse(_answer(check))


@router.get("/{protocol_id}/yaml")
def stored_yaml(
    request: Request, me: Me, protocol_id: str, versie: Annotated[int | None, Query(ge=1, le=1_000_000)] = None
) -> Response:
    """A stored version's text, as it was loaded."""
    engine = engine_of(request)
    if not me.principal.owns_protocols():
        raise NotAllowed()
    try:
        found = engine.protocols.get(protocol_id, versie)
    except TredeError:
        raise NotAllowed() from None
    if found.stored.scope is not None and not engine.protocols.manages(me.principal, found.stored.scope):
        raise NotAllowed()
    return _download(found.stored.text, f"{found.stored.id}-v{found.stored.version}.yaml")


def _download(text: str, file: str) -> Response:
    name = "".join(c for c in file if c.isalnum() or c in "-_.") or "variant.yaml"
    return Response(
        text.encode("utf-8"),
        media_type="application/yaml; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _answer(check: EditorCheck) -> dict[str, Any]:
    return {
        "valid": check.valid,
        "fields": check.placed.fields,
        "general": check.placed.general,
        "yaml": check.text,
        "diagram": check.diagram,
        "diff": [str(c) for c in check.diff or []],
        "status": _status(check),
    }


def _status(check: EditorCheck) -> str:
    count = sum(len(m) for m in check.placed.fields.values()) + len(check.placed.general)
    if count == 0:
        return "In orde: de variant kan worden opgeslagen."
    return f"{count} {'probleem' if count == 1 else 'problemen'}: zie de velden met een melding."


def _focus_after(fields: dict[str, str], edit: VariantEdit) -> str:
    """After adding a part, the first field of the new part; after removing one, nothing."""
    added = fields.get("nieuw", "")
    if not added:
        return ""
    pattern = re.compile(re.escape(added) + r"-([0-9]+)-")
    last = max((int(m.group(1)) for k in to_form(edit) if (m := pattern.match(k))), default=-1)
    return f"{added}-{last}-{KINDS[_kind_of(added)][0].name}" if last >= 0 else ""


def _kind_of(list_name: str) -> str:
    tail = list_name.rsplit("-", 1)[-1]
    kinds = {prefix: kind for prefix, kind, _ in SECTIONS}
    return {**kinds, "timers": "timer", "obligations": "obligation", "tracks": "track"}[tail]


def _form_page(
    request: Request,
    me: Visitor,
    school: str,
    edit: VariantEdit,
    check: EditorCheck,
    *,
    show_problems: bool,
    focus: str = "",
    status_code: int = 200,
    trial: Any = None,
) -> Response:
    engine = engine_of(request)
    context = {
        "trial": trial_context(trial, check.text),
        "school": school,
        "school_name": engine.schools.name(school),
        "edit": edit,
        "form": to_form(edit),
        "check": check,
        "errors": check.placed.fields if show_problems else {},
        "general": check.placed.general if show_problems else [],
        "status": _status(check) if show_problems else "",
        "kinds": KINDS,
        "children": CHILDREN,
        "top_fields": TOP_FIELDS,
        "removable": [(k, REMOVE_LABELS[k]) for k in REMOVABLE],
        "focus": focus,
        "diff": [str(c) for c in check.diff or []],
    }
    title = f"Schoolvariant bewerken: {edit.values.get('title') or edit.values.get('id') or ''}"
    return page(request, "editor.html", context, visitor=me, title=title, status_code=status_code)


def _yaml_page(
    request: Request, me: Visitor, school: str, text: str, check: EditorCheck, file: str, status_code: int = 200
) -> Response:
    problems = [m for ms in check.placed.fields.values() for m in ms] + check.placed.general
    context = {
        "school": school,
        "school_name": engine_of(request).schools.name(school),
        "text": text,
        "file": file,
        "check": check,
        "problems": problems,
        "status": _status(check),
        "diff": [str(c) for c in check.diff or []],
    }
    return page(request, "editor_yaml.html", context, visitor=me, title="Schoolvariant bewerken (YAML)", status_code=status_code)
