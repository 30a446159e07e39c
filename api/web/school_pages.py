"""The school register for the board: denominatie, sector and addresses per school; and the
logo at the head of each school's letters, kept by the board or the school's protocol owner."""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import APIRouter, Depends, File, Form, Request, UploadFile
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from api.web.forms import said
from api.web.render import page
from api.web.security import Forbidden, NotAllowed, Visitor, check_csrf, engine_of, flash, take_flash, visitor
from engine.errors import PermissionDenied, TredeError
from engine.logos import LOGO_KINDS, MAX_LOGO_BYTES, MAX_LOGO_SIDE
from engine.ports import SchoolRecord
from engine.refusals import refused
from engine.safety_roles import KINDS, SafetyRole

router = APIRouter(prefix="/scholen")
Me = Annotated[Visitor, Depends(visitor)]
Text = Annotated[str, Form(max_length=300)]
SCHOOL_LABELS = {
    "id": "School-id",
    "name": "Naam",
    "board": "Bestuur",
    "region": "Regio",
    "denominatie": "Denominatie",
    "sector": "Sector",
    "address": "Adres van de school",
    "board_name": "Naam van het bevoegd gezag",
    "board_address": "Adres van het bevoegd gezag",
    "logo": "Logo",
    "name_role": "Naam",
    "contact": "Bereikbaar via",
    "role": "Veiligheidsrol",
}


def _board(me: Visitor) -> None:
    if "bevoegd_gezag" not in {m.role for m in me.principal.memberships if m.school is None}:
        raise refused(me.principal, "het scholenregister bijhouden", ["bevoegd_gezag"], board_wide=True)


def _keeps_register(me: Visitor) -> bool:
    return "bevoegd_gezag" in {m.role for m in me.principal.memberships if m.school is None}


@router.get("", response_class=HTMLResponse)
def schools(request: Request, me: Me) -> Response:
    """The register for the board; the schools whose letter logo this person keeps."""
    engine = engine_of(request)
    letterheads = dict((school.id, logo) for school, logo in engine.schools.letterheads(me.principal))
    register = _keeps_register(me)
    if not register and not letterheads:
        raise Forbidden("Alleen het bevoegd gezag houdt het scholenregister bij, en een protocolbeheerder het logo van zijn scholen.")
    listed = engine.schools.kept(me.principal) if register else [s for s in engine.schools.list() if s.id in letterheads]
    context = {
        "schools": listed,
        "register": register,
        "safety_kinds": KINDS,
        "safety": {s.id: engine.schools.safety_roles(me.principal, s.id) for s in listed} if register else {},
        # per board: whether it applies the bill's parts already (one switch, in the incident log)
        "bills": {b: engine.incidents.bill_on(b) for b in sorted({s.board for s in listed})} if register else {},
        "letterheads": letterheads,
        "message": take_flash(request),
        "logo_kinds": " of ".join(LOGO_KINDS.values()),
        "logo_accept": ",".join(LOGO_KINDS),
        "logo_limit": f"{MAX_LOGO_BYTES // 1024} kB, {MAX_LOGO_SIDE} x {MAX_LOGO_SIDE} pixels",
    }
    return page(request, "schools.html", context, visitor=me, title="Scholenregister")


@router.post("/{school_id}/logo")
async def upload_logo(
    request: Request,
    me: Me,
    school_id: str,
    logo: Annotated[UploadFile | None, File()] = None,
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    check_csrf(me, csrf)
    content = await logo.read(MAX_LOGO_BYTES + 1) if logo is not None else b""
    try:
        saved = engine_of(request).schools.save_logo(me.principal, school_id, content)
    except PermissionDenied:
        raise Forbidden("U houdt het logo van deze school niet bij.") from None
    except TredeError as exc:
        flash(request, said(exc, SCHOOL_LABELS), str(exc.fields.get("field", "")))
        return RedirectResponse(f"/scholen#school-{quote(school_id)}", status_code=303)
    flash(request, f"Het logo is opgeslagen ({saved.width} x {saved.height} pixels); nieuwe brieven dragen het.", kind="notice")
    return RedirectResponse(f"/scholen#school-{quote(school_id)}", status_code=303)


@router.post("/{school_id}/logo/verwijderen")
def remove_logo(request: Request, me: Me, school_id: str, csrf: Annotated[str, Form(max_length=100)] = "") -> Response:
    check_csrf(me, csrf)
    try:
        engine_of(request).schools.remove_logo(me.principal, school_id)
    except PermissionDenied:
        raise Forbidden("U houdt het logo van deze school niet bij.") from None
    except TredeError as exc:
        flash(request, said(exc, SCHOOL_LABELS), str(exc.fields.get("field", "")))
        return RedirectResponse("/scholen", status_code=303)
    flash(request, "Het logo is verwijderd; nieuwe brieven hebben geen logo. Gemaakte brieven houden het hunne.", kind="notice")
    return RedirectResponse(f"/scholen#school-{quote(school_id)}", status_code=303)


@router.get("/{school_id}/logo")
def show_logo(request: Request, me: Me, school_id: str) -> Response:
    """The logo as stored, to those who keep it; never sniffed as anything but its checked type."""
    try:
        logo = engine_of(request).schools.logo(me.principal, school_id)
    except TredeError:
        raise NotAllowed() from None
    if logo is None:
        raise NotAllowed()
    return Response(logo.content, media_type=logo.media_type, headers={"Content-Disposition": "inline"})


@router.post("")
def save(
    request: Request,
    me: Me,
    id: Annotated[str, Form(max_length=60)],
    name: Text,
    board: Annotated[str, Form(max_length=100)],
    region: Annotated[str, Form(max_length=10)] = "midden",
    denominatie: Annotated[str, Form(max_length=20)] = "",
    sector: Annotated[str, Form(max_length=5)] = "",
    address: Text = "",
    board_name: Text = "",
    board_address: Text = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    check_csrf(me, csrf)
    _board(me)
    record = SchoolRecord(
        id.strip(),
        name.strip(),
        board.strip(),
        region,
        denominatie or None,
        sector or None,
        address.strip() or None,
        board_name.strip() or None,
        board_address.strip() or None,
    )
    try:
        engine_of(request).schools.save(me.principal, record)
    except TredeError as exc:
        flash(request, said(exc, SCHOOL_LABELS), str(exc.fields.get("field", "")))
        return RedirectResponse("/scholen", status_code=303)
    flash(request, f"{record.name} is vastgelegd.", kind="notice")
    return RedirectResponse("/scholen", status_code=303)


@router.post("/wetsvoorstel")
def switch_bill(
    request: Request,
    me: Me,
    board: Annotated[str, Form(max_length=100)],
    aan: Annotated[str, Form(max_length=5)] = "",
    csrf: Annotated[str, Form(max_length=100)] = "",
) -> Response:
    """The board applies the bill's parts before the law is in force, or stops doing so."""
    check_csrf(me, csrf)
    try:
        engine_of(request).incidents.switch_bill(me.principal, board, aan == "ja")
    except TredeError as exc:
        flash(request, said(exc, SCHOOL_LABELS), str(exc.fields.get("field", "")))
        return RedirectResponse("/scholen", status_code=303)
    state = "past nu al toe" if aan == "ja" else "past niet meer toe"
    flash(request, f"Het bestuur {board} {state}: de onderdelen van het wetsvoorstel Wet vrij en veilig onderwijs.", kind="notice")
    return RedirectResponse("/scholen", status_code=303)


@router.post("/{school_id}/veiligheidsrollen")
async def save_safety_roles(request: Request, me: Me, school_id: str) -> Response:
    """Per role: one person per line, 'naam; hoe bereikbaar', and whether the meldpunt shows them."""
    form = await request.form()
    check_csrf(me, str(form.get("csrf", ""))[:100])
    roles: list[SafetyRole] = []
    for kind in KINDS:
        published = str(form.get(f"{kind.key}-tonen", "")) == "ja"
        for line in str(form.get(kind.key, ""))[:5000].splitlines():
            name, _, contact = line.partition(";")
            if name.strip() or contact.strip():
                roles.append(SafetyRole(school_id, kind.key, name.strip(), contact.strip(), published))
    try:
        engine_of(request).schools.save_safety_roles(me.principal, school_id, roles)
    except PermissionDenied:
        raise Forbidden("Alleen het bevoegd gezag houdt de veiligheidsrollen van de school bij.") from None
    except TredeError as exc:
        flash(request, said(exc, SCHOOL_LABELS), str(exc.fields.get("field", "")))
        return RedirectResponse(f"/scholen#school-{quote(school_id)}", status_code=303)
    flash(request, "De veiligheidsrollen zijn vastgelegd.", kind="notice")
    return RedirectResponse(f"/scholen#school-{quote(school_id)}", status_code=303)
