"""The public meldpunt: report without logging in, and follow the report with its code.

Nothing about the reporter's address or browser is stored: rate limits and the throttle on
wrong codes are kept in this process's memory only, keyed by address and by (the hash of)
the receipt code tried, and forgotten after an hour; they run on the application's clock.
The pages load nothing from elsewhere (no fonts, scripts or CAPTCHA); a hidden field that
people never fill catches simple bots, which are shown a receipt that leads nowhere."""

from __future__ import annotations

import threading
from collections import defaultdict, deque
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import FileResponse, HTMLResponse, Response

from adapters.clock import SystemClock
from api.web.forms import said
from api.web.render import page
from api.web.security import client_of, engine_of
from engine.attachments import MAX_AUDIO_BYTES
from engine.clock import Clock
from engine.errors import InputError, ReceiptNotFound, TredeError
from engine.meldpunt import (
    RECORD_APPROVAL,
    RECORD_CORRECTION,
    Receipt,
    ReporterView,
    code_hash,
    new_code,
    normalise_code,
)
from engine.terms import local_date
from engine.throttling import (
    FREE_WRONG_CODES,
    FREE_WRONG_PER_RECEIPT,
    MELDPUNT_MAX_DELAY,
    MELDPUNT_WINDOW,
    REPORTS_PER_HOUR,
    wait_seconds,
)
from engine.triage import SCORES, SMILEYS
from engine.usecases.meldpunt import DEFAULT_PROTOCOL, PublicReport

router = APIRouter(prefix="/melden")
Field = Annotated[str, Form(max_length=200)]
LongField = Annotated[str, Form(max_length=20_000)]
FORM_LABELS = {
    "protocol": "Waarover je meldt",
    "beschrijving": "Wat er is gebeurd",
    "datum_voorval": "Wanneer het gebeurde",
    "wachtwoord": "Wachtwoord",
    "bericht": "Uw bericht",
    "contact_melder": "Contactgegevens",
    "kanaal": "Bij wie of via wie u meldt",
    "betreft": "Wie de misstand betreft",
    "categorie": "Waar gaat je melding over?",
    "tevredenheid": "Hoe tevreden ben je?",
    "opmerking": "Wil je nog iets zeggen?",
    "spraakbericht": "Spraakbericht",
    "correctie_verslag": "Je correctie op het verslag",
    "verslag_akkoord": "Akkoord met het verslag",
}
FACES = {"scores": SCORES, "smileys": SMILEYS}  # the satisfaction question's five faces
STATIC = Path(__file__).parents[1] / "static"
# The report form records a voice message in the browser and plays it back from a blob: URL;
# only this page allows media from blob: (the rest of the site keeps the default policy).
# (api.web.SECURITY_HEADERS' policy plus media-src; kept literal here, as api.web imports this module)
VOICE_CSP = (
    "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; media-src 'self' blob:; "
    "frame-ancestors 'none'; form-action 'self'"
)
KEEP_KEYS = 10_000  # beyond this many addresses or codes, forgotten ones are swept out


class MemoryLimits:
    """In memory only: reports per hour per address, and wrong codes or passwords with a
    growing wait, both per address and per receipt code (so that rotating addresses does
    not buy an attacker more guesses at one report's password)."""

    def __init__(self, clock: Clock | None = None) -> None:
        self._clock = clock or SystemClock()
        self._lock = threading.Lock()
        self._reports: dict[str, deque[datetime]] = defaultdict(deque)
        self._wrong: dict[str, deque[datetime]] = defaultdict(deque)
        self._wrong_codes: dict[str, deque[datetime]] = defaultdict(deque)

    def report_allowed(self, address: str) -> bool:
        with self._lock:
            recent = self._recent(self._reports, address)
            if len(recent) >= REPORTS_PER_HOUR:
                return False
            recent.append(self._clock.now())
            return True

    def wait_for_code(self, address: str, code: str = "") -> int:
        """Seconds before this address may try a code again, or anyone this code (0: go ahead)."""
        with self._lock:
            now = self._clock.now()
            by_address = self._recent(self._wrong, address)
            by_code = self._recent(self._wrong_codes, _key(code))
            return max(
                wait_seconds(len(by_address), _last(by_address), now, free=FREE_WRONG_CODES, cap=MELDPUNT_MAX_DELAY),
                wait_seconds(len(by_code), _last(by_code), now, free=FREE_WRONG_PER_RECEIPT, cap=MELDPUNT_MAX_DELAY),
            )

    def wrong_code(self, address: str, code: str = "") -> None:
        with self._lock:
            now = self._clock.now()
            self._wrong[address].append(now)
            self._wrong_codes[_key(code)].append(now)

    def _recent(self, table: dict[str, deque[datetime]], key: str) -> deque[datetime]:
        now = self._clock.now()
        if len(table) > KEEP_KEYS:
            for stale in [k for k, times in table.items() if not times or now - times[-1] > MELDPUNT_WINDOW]:
                del table[stale]
        times = table[key]
        while times and now - times[0] > MELDPUNT_WINDOW:
            times.popleft()
        return times


def _key(code: str) -> str:
    """A code as the limits know it: its hash, as typed variants of it normalise."""
    return code_hash(normalise_code(code))


def _last(times: deque[datetime]) -> datetime | None:
    return times[-1] if times else None


LIMITS = MemoryLimits()


def _limits(request: Request) -> MemoryLimits:
    found: MemoryLimits = getattr(request.app.state, "meldpunt_limits", LIMITS)
    return found


@router.get("/volgen", response_class=HTMLResponse)
def follow_form(request: Request) -> Response:
    return page(request, "meldpunt_follow.html", {"view": None, "error": None}, title="Uw melding volgen")


@router.post("/volgen", response_class=HTMLResponse)
def follow(request: Request, code: Field = "", wachtwoord: Field = "") -> Response:
    return _follow(request, code, wachtwoord, lambda: engine_of(request).meldpunt.follow(code, wachtwoord))


@router.get("/spraakbericht.js")
def voice_script() -> Response:
    return FileResponse(STATIC / "spraakbericht.js", media_type="text/javascript")


@router.get("/stemvervormer.js")
def disguise_script() -> Response:
    """The AudioWorklet that disguises the voice, loaded by spraakbericht.js."""
    return FileResponse(STATIC / "stemvervormer.js", media_type="text/javascript")


@router.post("/volgen/verslag", response_class=HTMLResponse)
def check_record(
    request: Request,
    code: Field = "",
    wachtwoord: Field = "",
    actie: Field = "",
    correctie_verslag: LongField = "",
    verslag_akkoord: Field = "",
) -> Response:
    """The melder of an oral report corrects its record, or approves it."""
    if actie == RECORD_CORRECTION:
        inputs = {"correctie_verslag": correctie_verslag}
    else:
        inputs = {"verslag_akkoord": verslag_akkoord} if verslag_akkoord else {}
    return _follow(
        request,
        code,
        wachtwoord,
        lambda: engine_of(request).meldpunt.check_record(code, wachtwoord, actie if actie == RECORD_CORRECTION else RECORD_APPROVAL, inputs),
    )


@router.post("/volgen/bericht", response_class=HTMLResponse)
def write(request: Request, code: Field = "", wachtwoord: Field = "", bericht: LongField = "") -> Response:
    return _follow(request, code, wachtwoord, lambda: engine_of(request).meldpunt.write(code, wachtwoord, bericht), bericht)


def _follow(request: Request, code: str, password: str, read: Callable[[], ReporterView], typed: str = "") -> Response:
    limits, address = _limits(request), client_of(request)
    wait = limits.wait_for_code(address, code)
    if wait:
        error = f"Te veel onjuiste codes. Wacht {wait} seconden en probeer het dan opnieuw."
        return page(request, "meldpunt_follow.html", {"view": None, "error": error}, title="Uw melding volgen", status_code=429)
    try:
        view = read()
    except ReceiptNotFound as exc:
        limits.wrong_code(address, code)
        return page(request, "meldpunt_follow.html", {"view": None, "error": exc.message}, title="Uw melding volgen", status_code=404)
    except TredeError as exc:
        view = engine_of(request).meldpunt.follow(code, password)
        context = {"view": view, "code": code, "password": password, "error": said(exc, FORM_LABELS), "typed": typed, **FACES}
        return page(request, "meldpunt_follow.html", context, title="Uw melding", status_code=exc.http_status)
    context = {"view": view, "code": code, "password": password, "error": None, "typed": "", **FACES}
    return page(request, "meldpunt_follow.html", context, title="Uw melding")


@router.post("/volgen/tevredenheid", response_class=HTMLResponse)
def satisfaction(
    request: Request, code: Field = "", wachtwoord: Field = "", tevredenheid: Field = "", opmerking: LongField = ""
) -> Response:
    """The reporter answers the satisfaction question once their report is closed."""
    score = int(tevredenheid) if tevredenheid.isdigit() else 0

    def answer() -> ReporterView:
        engine_of(request).triage.satisfaction(code, wachtwoord, score, opmerking)
        return engine_of(request).meldpunt.follow(code, wachtwoord)

    return _follow(request, code, wachtwoord, answer)


STAFF = "medewerker"  # /melden/<school>?voor=medewerker: the page for those who work at the school


@router.get("/{school}", response_class=HTMLResponse)
def form(request: Request, school: str, voor: Annotated[str, Query(max_length=20)] = "") -> Response:
    return _form(request, school, staff=voor == STAFF)


def _form(
    request: Request,
    school: str,
    *,
    error: str | None = None,
    typed: dict[str, str] | None = None,
    status: int = 200,
    staff: bool = False,
) -> Response:
    everyone = engine_of(request).meldpunt.options(school[:100])
    # a pupil or parent is offered the procedures meant for them; staff also the whistleblower
    # regulations (a refused report under one of those comes back on the page for staff)
    pupils = engine_of(request).meldpunt.options(school[:100], staff=False)
    chosen_for_staff = (typed or {}).get("protocol", "") in {o.protocol_id for o in everyone} - {o.protocol_id for o in pupils}
    staff = staff or chosen_for_staff or not pupils  # a school without a meldpunt for pupils has only this one
    options = everyone if staff else pupils
    if not options:
        raise InputError("school", "dit meldpunt bestaat niet; controleer het adres op de website van de school")
    chosen = next((o.protocol_id for o in options if o.kind == DEFAULT_PROTOCOL), options[0].protocol_id)
    inputs = engine_of(request).protocols.get(chosen).protocol.inputs()
    context = {
        # a report that only those who need to know may see: the channel and who it concerns
        "channels": list(dict.fromkeys(c for o in options for c in o.channels)),
        "concerns": list(dict.fromkeys(c for o in options for c in o.concerns)),
        "limited": [o.title for o in options if o.channels or o.concerns],
        "school": school,
        "options": options,
        "error": error,
        "typed": typed or {},
        "default": chosen,
        "inputs": inputs,
        "today": local_date(engine_of(request).clock.now()).isoformat(),
        "staff": staff,
        "for_staff": not staff and len(everyone) > len(options),  # a link to the page for staff
        # the school's safety roles it chose to publish: whom parents, pupils and staff can turn to
        "safety_roles": engine_of(request).schools.published_safety_roles(school),
        # the board's triage categories, in words a child understands (issue 29)
        "categories": triage.categories if (triage := engine_of(request).triage.for_school(school[:100])) else {},
    }
    response = page(request, "meldpunt_form.html", context, title="Melden", status_code=status)
    response.headers["Content-Security-Policy"] = VOICE_CSP
    return response


@router.post("/{school}", response_class=HTMLResponse)
async def report(
    request: Request,
    school: str,
    protocol: Field = DEFAULT_PROTOCOL,
    melder_rol: Field = "",
    soort_gedrag: Field = "",
    categorie: Field = "",
    plaats: Field = "",
    datum_voorval: Field = "",
    beschrijving: LongField = "",
    anoniem: Field = "ja",
    contact_melder: Field = "",
    kanaal: Field = "",
    betreft: Field = "",
    wachtwoord: Field = "",
    website: Field = "",  # the honeypot: hidden from people, filled by simple bots
    voor: Field = "",
    spraakbericht: Annotated[UploadFile | None, File()] = None,
    stem_vervormd: Field = "",
) -> Response:
    staff = voor == STAFF
    audio = await spraakbericht.read(MAX_AUDIO_BYTES + 1) if spraakbericht is not None else b""
    typed = {
        "protocol": protocol,
        "melder_rol": melder_rol,
        "soort_gedrag": soort_gedrag,
        "categorie": categorie,
        "plaats": plaats,
        "datum_voorval": datum_voorval,
        "beschrijving": beschrijving,
        "anoniem": anoniem,
        "contact_melder": contact_melder,
        "kanaal": kanaal,
        "betreft": betreft,
    }
    if not _limits(request).report_allowed(client_of(request)):
        error = "Vanaf dit adres zijn het afgelopen uur al veel meldingen verstuurd. Probeer het later opnieuw."
        return _form(request, school, error=error, typed=typed, status=429, staff=staff)
    if website and engine_of(request).meldpunt.options(school[:100]):
        # a bot filled the hidden field: it sees a receipt like any other, whose code was
        # never stored and leads nowhere; nothing of what it sent is kept
        return _done(request, Receipt(new_code(), ""), bool(wachtwoord))
    inputs = {
        k: v
        for k, v in typed.items()
        if k not in ("protocol", "anoniem", "contact_melder", "kanaal", "betreft") and v.strip()
    }
    inputs["anoniem"] = "ja" if anoniem != "nee" else "nee"
    if anoniem == "nee" and contact_melder.strip():
        inputs["contact_melder"] = contact_melder.strip()
    try:
        receipt: Receipt = engine_of(request).meldpunt.report(
            PublicReport(
                school[:100],
                inputs,
                protocol,
                wachtwoord,
                channel=kanaal,
                concerns=betreft,
                audio=audio,
                disguised=stem_vervormd == "ja",
                staff=staff,
            )
        )
    except TredeError as exc:
        if exc.http_status == 404:
            raise
        return _form(request, school, error=said(exc, FORM_LABELS), typed=typed, status=exc.http_status, staff=staff)
    return _done(request, receipt, bool(wachtwoord))


def _done(request: Request, receipt: Receipt, password: bool) -> Response:
    return page(request, "meldpunt_done.html", {"receipt": receipt, "password": password}, title="Melding verstuurd")
