"""The web application in a real browser: Debian's chromium driven by Playwright.

Runs against a live server on loopback, one per module, with a SQLite database; a module
whose tests involve the store runs on PostgreSQL too (``pytestmark = ON_BOTH_BACKENDS``).
This module and test_first_run.py stay on SQLite, to keep the suite's time. Skips when
chromium is missing, unless TREDE_REQUIRE_BROWSER=1 (as in .ci/run). axe-core checks every
page a test loads against WCAG 2.1 AA. Screenshots for the documentation are made only by the separate
command `python3 dev.py screenshots` (TREDE_SCREENSHOTS=1); the suite never writes them.
"""

from __future__ import annotations

import base64
import io
import json
import os
import re
import shutil
import socket
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path

import httpx
import pytest
import uvicorn
from argon2 import PasswordHasher

from adapters.protocol_files import BUNDLED
from adapters.sql.database import init_database, make_engine
from api.bootstrap import App, bootstrap
from api.demo import DEMO_PASSWORD, load_bundled, seed_accounts, seed_cases, seed_pupils
from api.web import create_app
from engine.access import OPERATOR, Membership
from engine.clock import FixedClock
from engine.protocol.loader import load_protocol_file
from engine.terms import AMSTERDAM
from tests.conftest import BACKENDS, PG_TEST_DB, postgres_database
from tests.servers import wait_for

CHROMIUM = os.environ.get("TREDE_CHROMIUM", "/usr/bin/chromium")
SCREENSHOTS = Path(__file__).parents[2] / "docs" / "screenshots" if os.environ.get("TREDE_SCREENSHOTS") == "1" else None
EXAMPLES = Path(__file__).parents[2] / "docs" / "examples"

sync_api = pytest.importorskip("playwright.sync_api")
# an expectation awaits a round trip to the server: on a busy machine 5 s (the default) is short
sync_api.expect.set_options(timeout=30_000)
axe_sync = pytest.importorskip("axe_playwright_python.sync_playwright")
AXE = axe_sync.Axe()
# WCAG 2.1 level A and AA, as the issue asks: axe-core's rules tagged so.
AXE_OPTIONS = {
    "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]},
    "resultTypes": ["violations"],
}


def accessibility_problems(tab: object) -> list[str]:
    """axe-core's WCAG 2.1 AA violations on the page as it is now, one line each. A run the
    page-load watch (AxeWatch) started first is waited for: axe runs one at a time."""
    for attempt in range(50):
        try:
            results = AXE.run(tab, options=AXE_OPTIONS)
            break
        except sync_api.Error as exc:
            if "already running" not in str(exc) or attempt == 49:
                raise
            tab.wait_for_timeout(100)  # type: ignore[attr-defined]
    return [
        f"{v['id']} ({v['impact']}): {v['help']} — {', '.join(str(n['target']) for n in v['nodes'][:3])}"
        for v in results.response["violations"]
    ]


class AxeWatch:
    """Runs axe on every page a test's tab loads; the test fails on any violation."""

    def __init__(self, server: str) -> None:
        self.server = server
        self.found: dict[str, list[str]] = {}
        self.checked = 0

    def __call__(self, tab: object) -> None:
        url = tab.url  # type: ignore[attr-defined]
        for attempt in range(10):
            try:
                if not url.startswith(self.server) or "html" not in tab.evaluate("document.contentType"):  # type: ignore[attr-defined]
                    return
                problems = accessibility_problems(tab)
                break
            except sync_api.Error as exc:
                if "context was destroyed" in str(exc) or "navigat" in str(exc):
                    return  # the test moved on to the next page, whose own load is checked
                if "already running" in str(exc) and attempt < 9:
                    tab.wait_for_timeout(100)  # type: ignore[attr-defined]  # the check of this page's load is still busy
                    continue
                raise
        self.checked += 1
        if problems:
            self.found[url.removeprefix(self.server)] = problems


def _require_browser() -> None:
    if not Path(CHROMIUM).exists() or shutil.which(CHROMIUM) is None:
        if os.environ.get("TREDE_REQUIRE_BROWSER") == "1":
            pytest.fail(f"chromium is required here but missing at {CHROMIUM}")
        pytest.skip(f"no chromium at {CHROMIUM}")


SERVED: dict[str, App] = {}  # each module's own server: its address -> its application
WEB: dict[str, object] = {}  # its address -> its web application (the meldpunt's limits live there)
# A module whose tests involve the store runs them on both backends, each its own server:
#     pytestmark = ON_BOTH_BACKENDS
ON_BOTH_BACKENDS = pytest.mark.parametrize("server", BACKENDS, indirect=True, scope="module")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def _database(backend: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """An empty database for one server: a SQLite file, or a PostgreSQL database of its own
    (a module's server must not share the one the other tests of this worker reset)."""
    if backend == "sqlite":
        yield f"sqlite:///{tmp_path_factory.mktemp('browser') / 'trede.db'}"
        return
    with postgres_database(f"{PG_TEST_DB}_browser_{uuid.uuid4().hex[:8]}") as url:
        yield url


def _seeded(url: str) -> App:
    """The demo's schools, people, pupils and cases, and De Linde's own variant."""
    owner = make_engine(url)
    init_database(owner, sandbox=True)
    owner.dispose()
    app = bootstrap(url)  # the composition root, as `trede serve` uses it
    app.password_hasher = PasswordHasher(time_cost=1, memory_cost=1024)
    engine = app.engine
    load_bundled(engine)
    seed_accounts(app.engine)  # the schools first: a school's own variant names one
    variant = load_protocol_file(EXAMPLES / "gedrag-de-linde.yaml", engine.services.stored_base)
    engine.protocols.load(OPERATOR, variant, scope="de-linde")  # De Linde's own variant
    seed_pupils(engine)  # through the EDEXML import
    seed_cases(engine)
    return app


@contextmanager
def _serving(app: App) -> Iterator[str]:
    """The web application of app on a free loopback port, registered by its address."""
    port = _free_port()
    web_app = create_app(app)
    config = uvicorn.Config(web_app, host="127.0.0.1", port=port, log_level="warning")
    uv = uvicorn.Server(config)
    thread = threading.Thread(target=uv.run, daemon=True)
    thread.start()
    # uvicorn logs why it could not start to stderr, which pytest shows with the failure
    wait_for(lambda: uv.started, f"the browser tests' server on port {port}", alive=thread.is_alive)
    address = f"http://127.0.0.1:{port}"
    # modules in one worker each have their server: a test prepares data on its own
    SERVED[address], WEB[address] = app, web_app
    try:
        yield address
    finally:
        uv.should_exit = True
        thread.join(timeout=5)
        del SERVED[address], WEB[address]
        app.db.dispose()


@pytest.fixture(scope="module")
def server(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A live server for this module on a freshly seeded database; SQLite unless the module
    asks for both backends (ON_BOTH_BACKENDS)."""
    _require_browser()
    with _database(getattr(request, "param", "sqlite"), tmp_path_factory) as url, _serving(_seeded(url)) as address:
        yield address


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    _require_browser()
    with sync_api.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object, server: str) -> Iterator[object]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.set_default_timeout(30_000)  # a click that loads a page waits for a busy server too
    watch = AxeWatch(server)
    tab.on("load", watch)
    yield tab
    watch(tab)  # the page as the test left it (forms opened, errors shown)
    context.close()
    assert watch.found == {}, watch.found


def log_in(page: object, server: str, username: str) -> None:
    page.goto(server + "/")  # type: ignore[attr-defined]
    page.get_by_label("Gebruikersnaam").fill(username)  # type: ignore[attr-defined]
    page.get_by_label("Wachtwoord").fill(DEMO_PASSWORD)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Inloggen").click()  # type: ignore[attr-defined]
    sync_api.expect(page.get_by_role("heading", name="Zaken", exact=True)).to_be_visible()  # type: ignore[attr-defined]


def shot(page: object, name: str) -> None:
    """A screenshot for docs/screenshots/, when `python3 dev.py screenshots` asks for one."""
    if SCREENSHOTS is None:
        return
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)  # type: ignore[attr-defined]


def test_a_leerkracht_opens_a_case_advances_it_to_step_3_and_sees_the_deadline(page: object, server: str) -> None:
    expect = sync_api.expect
    log_in(page, server, "juf.anna")
    shot(page, "start")
    page.get_by_role("link", name="Nieuwe zaak openen").click()  # type: ignore[attr-defined]
    page.get_by_label("Protocol").select_option("gedrag-de-linde")  # type: ignore[attr-defined]
    page.get_by_label("Pseudoniem van de leerling").fill("Leerling-Merel2")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Zaak openen").click()  # type: ignore[attr-defined]
    expect(page.locator("#huidige-stap")).to_have_text("Stap 1: Ik kan het zelf")  # type: ignore[attr-defined]
    page.get_by_role("button", name="De leerling vraagt hulp").click()  # type: ignore[attr-defined]
    expect(page.locator("#huidige-stap")).to_have_text("Stap 2: Ik vraag hulp")  # type: ignore[attr-defined]
    page.get_by_label("Motivering").first.fill("gesprek met beide leerlingen gevoerd")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Gesprek met de betrokken leerlingen").click()  # type: ignore[attr-defined]
    expect(page.locator("#huidige-stap")).to_have_text("Stap 3: We zoeken samen een oplossing")  # type: ignore[attr-defined]
    row = page.get_by_role("row").filter(has_text="Ouders geïnformeerd over het gesprek")  # type: ignore[attr-defined]
    expect(row).to_contain_text("2 werkdagen")
    expect(row).to_contain_text("open")
    shot(page, "zaak")


def test_a_directeur_approves_a_time_out(page: object, server: str) -> None:
    expect = sync_api.expect
    log_in(page, server, "dhr.bos")
    page.get_by_role("link", name="Leerling-Vos").first.click()  # type: ignore[attr-defined]
    form = page.locator("#actie-time_out_instellen")  # type: ignore[attr-defined]
    if form.get_attribute("open") is None:  # the first action is already open
        form.locator("summary").click()
    form.get_by_label("Motivering").fill("schoppen in de klas, directe time-out")
    form.get_by_label("Goedkeuring van de directeur").select_option("ja")
    form.get_by_label("De leerling blijft op school").select_option("ja")
    form.get_by_label("Duur van de time-out (de eerste dag telt mee)").select_option("tot het einde van de week")
    form.get_by_role("button", name="Time-out instellen").click()
    expect(page.locator("#huidige-stap")).to_have_text("Stap 5: Time-out")  # type: ignore[attr-defined]
    expect(page.get_by_role("row").filter(has_text="Laatste dag van de time-out")).to_contain_text("open")  # type: ignore[attr-defined]


def test_an_auditor_replays_a_case_and_verifies_it(page: object, server: str) -> None:
    expect = sync_api.expect
    log_in(page, server, "dhr.audit")
    page.get_by_role("link", name="Leerling-Das").first.click()  # type: ignore[attr-defined]
    page.get_by_role("link", name="Audittrail afspelen en controleren").click()  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", name="#1 Zaak geopend")).to_be_visible()  # type: ignore[attr-defined]
    page.get_by_role("button", name="Hashketen controleren").click()  # type: ignore[attr-defined]
    expect(page.locator("#controle-uitslag")).to_contain_text("In orde")  # type: ignore[attr-defined]
    shot(page, "audit")


def test_a_protocol_owner_uploads_a_broken_variant_and_sees_the_line(page: object, server: str, tmp_path: Path) -> None:
    expect = sync_api.expect
    broken = tmp_path / "gedrag-kapot.yaml"
    broken.write_text(
        "id: gedrag-kapot\nversion: 1\nextends: {id: grensoverschrijdend-gedrag, version: 5}\n"
        "remedies:\n  bezwaar_verwijdering:\n    term:\n      after: 4 weken\n",
        encoding="utf-8",
    )
    log_in(page, server, "mevr.protocol")
    page.get_by_role("link", name="Protocollen").click()  # type: ignore[attr-defined]
    page.get_by_label("Protocolbestand (YAML)").set_input_files(str(broken))  # type: ignore[attr-defined]
    page.get_by_role("button", name="Controleren en voorstellen").click()  # type: ignore[attr-defined]
    errors = page.locator("#fouten")  # type: ignore[attr-defined]
    expect(errors).to_contain_text("gedrag-kapot.yaml:7:14: 4 weken is korter dan de wettelijke ondergrens van 6 weken")
    shot(page, "protocollen")
    assert BUNDLED.exists()


def test_the_reports_render_for_the_board(page: object, server: str) -> None:
    expect = sync_api.expect
    log_in(page, server, "mevr.raad")
    page.get_by_role("link", name="Rapportages").click()  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", name="Open zaken per protocol en stap")).to_be_visible()  # type: ignore[attr-defined]
    expect(page.locator("figure svg").first).to_be_visible()  # type: ignore[attr-defined]
    expect(page.get_by_text("aantallen onder de 5")).to_be_visible()  # type: ignore[attr-defined]
    shot(page, "rapportages")


def _opened_case(server: str, username: str, subject: str, protocol_id: str = "grensoverschrijdend-gedrag") -> str:
    app = SERVED[server]
    me = app.engine.users.principal(username)
    assert me is not None
    return app.engine.cases.open(me, protocol_id, school="de-linde", subject=subject, group="5a").id


def test_after_a_schorsing_the_directeur_sees_the_two_obligations_first(page: object, server: str) -> None:
    case_id = _opened_case(server, "dhr.bos", "Leerling-Reiger")
    app = SERVED[server]
    me = app.engine.users.principal("dhr.bos")
    assert me is not None
    first_day = app.engine.clock.now().astimezone(AMSTERDAM).date().isoformat()
    inputs = {
        "motivering": "schoppen",
        "goedkeuring_bevoegd_gezag": "ja",
        "schorsing_eerste_dag": first_day,
        "schorsing_duur": "1 week",
    }
    app.engine.cases.fire(me, case_id, "schorsen", role="directeur", inputs=inputs)
    log_in(page, server, "dhr.bos")
    page.goto(f"{server}/zaken/{case_id}")  # type: ignore[attr-defined]
    summaries = page.locator("details.action > summary").all_inner_texts()  # type: ignore[attr-defined]
    assert summaries[0].startswith("Ouders schriftelijk geïnformeerd") and "vandaag" in summaries[0], summaries
    assert summaries[1].startswith("Inspectie geïnformeerd") and "morgen" in summaries[1], summaries
    assert page.locator("details.action[open] > summary").inner_text() == summaries[0]  # type: ignore[attr-defined]


def test_the_aandachtsfunctionaris_sees_the_question_and_no_answer_is_chosen(page: object, server: str) -> None:
    expect = sync_api.expect
    app = SERVED[server]
    me = app.engine.users.principal("mevr.smit")
    assert me is not None
    case_id = app.engine.cases.open(
        me, "meldcode-hgkm", school="de-linde", subject="Leerling-Zwaluw", role="aandachtsfunctionaris", group="5a"
    ).id
    for trigger, inputs in (
        ("consulteren", {"motivering": "signalen"}),
        ("gesprek_voeren", {}),
        ("wegen", {"motivering": "gewogen"}),
        ("afwegen", {}),
    ):
        app.engine.cases.fire(me, case_id, trigger, role="aandachtsfunctionaris", inputs=inputs)
    log_in(page, server, "mevr.smit")
    page.goto(f"{server}/zaken/{case_id}?rol=aandachtsfunctionaris")  # type: ignore[attr-defined]
    expect(page.locator("#vraag")).to_contain_text("Is er op basis van de stappen 1 tot en met 4 een vermoeden")  # type: ignore[attr-defined]
    assert page.locator("details.action[open]").count() == 0  # type: ignore[attr-defined]


def test_a_refused_form_keeps_what_was_typed(page: object, server: str) -> None:
    expect = sync_api.expect
    case_id = _opened_case(server, "juf.anna", "Leerling-Kwikstaart")
    log_in(page, server, "juf.anna")
    page.goto(f"{server}/zaken/{case_id}")  # type: ignore[attr-defined]
    form = page.locator("#actie-incident_vastleggen")  # type: ignore[attr-defined]
    if form.get_attribute("open") is None:
        form.locator("summary").click()
    form.get_by_label("Toelichting (niet verplicht)").fill("Een lang verslag dat niet verloren mag gaan.")
    form.get_by_label("Datum waarop dit gebeurde").fill("2099-01-01")
    form.locator("form").evaluate("f => f.noValidate = true")  # let the server refuse it, not the browser
    form.get_by_role("button").click()  # a date in the future: refused by the server
    form = page.locator("#actie-incident_vastleggen")  # type: ignore[attr-defined]
    expect(form).to_have_attribute("open", "")
    expect(page.get_by_role("alert")).to_be_visible()  # type: ignore[attr-defined]
    expect(form.get_by_label("Toelichting (niet verplicht)")).to_have_value(
        "Een lang verslag dat niet verloren mag gaan."
    )


def test_a_teacher_at_het_anker_cannot_choose_de_lindes_variant(page: object, server: str) -> None:
    log_in(page, server, "mr.jan")
    page.get_by_role("link", name="Nieuwe zaak openen").click()  # type: ignore[attr-defined]
    options = page.get_by_label("Protocol").locator("option").all_inner_texts()  # type: ignore[attr-defined]
    assert options and not any("De Linde" in o for o in options), options


def test_a_case_prints_without_menus_and_forms(page: object, server: str) -> None:
    log_in(page, server, "dhr.bos")
    page.get_by_role("link", name="Leerling-Vos").first.click()  # type: ignore[attr-defined]
    page.emulate_media(media="print")  # type: ignore[attr-defined]
    assert not page.locator("header").is_visible()  # type: ignore[attr-defined]
    assert not page.locator("details.action").first.is_visible()  # type: ignore[attr-defined]
    assert page.locator("#huidige-stap").is_visible()  # type: ignore[attr-defined]
    pdf = page.pdf(format="A4")  # type: ignore[attr-defined]
    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf)).pages)
    assert pages <= 4, pages  # it printed as 7 A4 pages with the menus and empty forms


def test_the_diagrams_actions_are_reachable_by_keyboard(page: object, server: str) -> None:
    expect = sync_api.expect
    log_in(page, server, "dhr.bos")
    page.get_by_role("link", name="Leerling-Vos").first.click()  # type: ignore[attr-defined]
    summary = page.locator("#acties-per-stap > summary")  # type: ignore[attr-defined]
    summary.focus()
    page.keyboard.press("Enter")  # type: ignore[attr-defined]
    expect(page.locator("#acties-per-stap li").first).to_be_visible()  # type: ignore[attr-defined]
    expect(page.locator("#acties-per-stap")).to_contain_text("Stap 5: Time-out")  # type: ignore[attr-defined]


# Every page a person reads, as the user who reads it (case pages are found on the start page).
PAGES_BY_USER = {
    "dhr.bos": ["/", "/zoeken?q=Leerling", "/leerling?school=de-linde&naam=Leerling-Vos", "/zaken/nieuw",
                "{case}", "/audit{case}", "/agenda", "/rapportages", "/tokens", "/privacy/vertrek",
                "/leerlingen", "/instellingen", "/zaken/bestaat-niet", "/incidenten", "/evaluatie?school=de-linde"],
    "juf.anna": ["/", "{case}", "/incidenten/nieuw", "/snel/"],
    "mevr.smit": ["{case}"],
    "dhr.audit": ["/audit/controlepunt", "/audit{case}"],
    "mevr.protocol": ["/protocollen", "/protocollen/grensoverschrijdend-gedrag", "/protocollen/gedrag-de-linde",
                      "/protocollen/grensoverschrijdend-gedrag/bewerken",
                      "/protocollen/grensoverschrijdend-gedrag/bewerken?school=het-anker",
                      "/protocollen/gedrag-de-linde/bewerken?school=de-linde", "/protocollen/voorstellen"],
    "dhr.privacy": ["/privacy/toegang", "/privacy/inzage?leerling=Leerling-Vos"],
    "mevr.raad": ["/scholen", "/rapportages", "/evaluatie"],
    "mevr.melder": ["/"],
}


def every_page(tab: object, server: str, check: Callable[[object], object]) -> dict[str, object]:
    """Visit every page of PAGES_BY_USER as its user, with every form opened, and ``check``
    each; the login page first. Returns what ``check`` said per page."""
    found = {}
    for path in ("/inloggen", "/melden/de-linde", "/melden/volgen"):  # the pages anyone may open
        tab.goto(server + path)  # type: ignore[attr-defined]
        found[path] = check(tab)
    for username, paths in PAGES_BY_USER.items():
        log_in(tab, server, username)
        case = tab.locator("a[href^='/zaken/']:not([href='/zaken/nieuw'])").first  # type: ignore[attr-defined]
        link = case.get_attribute("href") if case.count() else None
        for path in paths:
            if "{case}" in path and link is None:
                continue
            response = tab.goto(server + path.replace("{case}", link or ""))  # type: ignore[attr-defined]
            assert response is not None and response.status == (404 if "bestaat-niet" in path else 200), path
            tab.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")  # type: ignore[attr-defined]
            found[f"{username} {path}"] = check(tab)
        tab.context.clear_cookies()  # type: ignore[attr-defined]
    assert len(found) >= 25, sorted(found)
    return found


def test_every_page_meets_wcag_2_1_aa_with_its_forms_open(browser: object, server: str) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="nl-NL")  # type: ignore[attr-defined]
    tab = context.new_page()
    try:
        tab.set_content('<html lang="nl"><body><img src="x.png"><a href="/"></a></body></html>')
        assert accessibility_problems(tab), "axe-core found nothing on a page built to fail: it is not running"
        found = every_page(tab, server, accessibility_problems)
        assert {page: problems for page, problems in found.items() if problems} == {}
    finally:
        context.close()


def sideways(tab: object) -> tuple[int, list[str]] | None:
    """None when the page fits a 390 px screen; else its width and the elements that stick out."""
    width = tab.evaluate("document.documentElement.scrollWidth")  # type: ignore[attr-defined]
    if width <= 390:
        return None
    culprits = tab.evaluate(  # type: ignore[attr-defined]
        "[...document.querySelectorAll('body *')].filter(e => e.getBoundingClientRect().right > 391)"
        ".slice(0, 3).map(e => e.tagName + '#' + e.id)"
    )
    return width, culprits


def test_no_page_scrolls_sideways_on_a_390_px_phone(browser: object, server: str) -> None:
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")  # type: ignore[attr-defined]
    phone = context.new_page()
    try:
        found = every_page(phone, server, sideways)
        assert {page: wide for page, wide in found.items() if wide} == {}
    finally:
        context.close()


def test_a_note_and_an_attachment_end_up_in_the_dossier_and_in_the_chain(
    page: object, server: str, tmp_path: Path
) -> None:
    import hashlib
    import zipfile

    from pypdf import PdfReader

    expect = sync_api.expect
    case_id = _opened_case(server, "juf.anna", "Leerling-Specht")
    scan = tmp_path / "oeps-formulier.pdf"
    scan.write_bytes(b"%PDF-1.4\n% gescand OEPS-formulier\n%%EOF\n")
    log_in(page, server, "mevr.smit")
    page.goto(f"{server}/zaken/{case_id}")  # type: ignore[attr-defined]
    page.locator("#notitie-toevoegen > summary").click()  # type: ignore[attr-defined]
    page.get_by_label("Notitie", exact=True).fill("Gesprek met de ouders van Leerling-Specht gevoerd.")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Notitie toevoegen").click()  # type: ignore[attr-defined]
    expect(page.locator("ul.notes")).to_contain_text("Gesprek met de ouders van Leerling-Specht gevoerd.")  # type: ignore[attr-defined]
    page.locator("#bijlage-toevoegen > summary").click()  # type: ignore[attr-defined]
    page.get_by_label("Bestand").set_input_files(str(scan))  # type: ignore[attr-defined]
    page.get_by_label("Omschrijving").fill("OEPS-formulier, ondertekend")  # type: ignore[attr-defined]
    page.get_by_label("Datum van het stuk").fill("")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Bijlage toevoegen").click()  # type: ignore[attr-defined]
    digest = hashlib.sha256(scan.read_bytes()).hexdigest()
    expect(page.locator("ul.notes")).to_contain_text(digest)  # type: ignore[attr-defined]
    with page.expect_download() as download:  # type: ignore[attr-defined]
        page.get_by_role("link", name="oeps-formulier.pdf").click()  # type: ignore[attr-defined]
    assert Path(download.value.path()).read_bytes() == scan.read_bytes()
    # in the chain: the auditor's check passes and names the file's hash in the step
    page.get_by_role("link", name="Audittrail afspelen en controleren").click()  # type: ignore[attr-defined]
    expect(page.get_by_role("heading", name="Bijlage: oeps-formulier.pdf")).to_be_visible()  # type: ignore[attr-defined]
    page.get_by_role("button", name="Hashketen controleren").click()  # type: ignore[attr-defined]
    expect(page.locator("#controle-uitslag")).to_contain_text("In orde")  # type: ignore[attr-defined]
    # in the dossier: the PDF lists both, the ZIP holds the file and its sum
    with page.expect_download() as download:  # type: ignore[attr-defined]
        page.get_by_role("link", name="Dossier met bijlagen (ZIP)").click()  # type: ignore[attr-defined]
    archive = zipfile.ZipFile(download.value.path())
    [attached] = [n for n in archive.namelist() if n.startswith("bijlagen/")]
    assert attached.endswith("-oeps-formulier.pdf") and archive.read(attached) == scan.read_bytes()
    assert f"{digest}  {attached}" in archive.read("SHA256SUMS").decode()
    [pdf_name] = [n for n in archive.namelist() if n.endswith(".pdf") and n.startswith("dossier-")]
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(archive.read(pdf_name))).pages)
    assert "Gesprek met de ouders van Leerling-Specht gevoerd." in text and digest in text.replace("\n", "")


class Tampering(httpx.HTTPTransport):
    """Between trede and the provider: when on, alters the ID token's claims in transit
    (a changed subject), as an attacker on the path would."""

    on = False

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        response = super().handle_request(request)
        if not (self.on and request.url.path.endswith("/token")):
            return response
        body = json.loads(response.read())
        header, payload, signature = body["id_token"].split(".")
        claims = json.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
        claims["sub"] = "iemand-anders"
        forged = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=").decode()
        body["id_token"] = f"{header}.{forged}.{signature}"
        return httpx.Response(response.status_code, json=body)


@pytest.fixture(scope="module")
def oidc(server: str) -> Iterator[Tampering]:
    """A real OpenID provider for the browser tests, wired into the running application."""
    from adapters.identity.oidc import OidcClient, OidcSettings
    from tests.oidc_support import CLIENT_ID, CLIENT_SECRET, oidc_provider

    redirect = server + "/inloggen/oidc"
    with oidc_provider(redirect) as issuer:
        app = SERVED[server]
        transport = Tampering()
        settings = OidcSettings(issuer, CLIENT_ID, CLIENT_SECRET, redirect, name="Testaanbieder")
        app.oidc = OidcClient(settings, http=httpx.Client(transport=transport, timeout=10))
        if app.engine.users.principal("mevr.idema") is None:
            app.engine.users.add(
                "mevr.idema",
                "Olga Idema (intern begeleider)",
                "b",
                "niet-gebruikt-wachtwoord",
                [Membership("intern_begeleider", "de-linde")],
                email="o.idema@delinde.example",
            )
        yield transport
        app.oidc = None


def sign_in_at_provider(page: object, server: str, subject: str, email: str) -> None:
    page.goto(server + "/inloggen")  # type: ignore[attr-defined]
    page.get_by_role("link", name="Inloggen met Testaanbieder").click()  # type: ignore[attr-defined]
    page.get_by_label("Gebruiker (subject)").fill(subject)  # type: ignore[attr-defined]
    page.get_by_label("E-mailadres").fill(email)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Inloggen").click()  # type: ignore[attr-defined]


def test_signing_in_through_the_identity_provider_lands_on_the_start_page_with_the_linked_roles(
    page: object, server: str, oidc: Tampering
) -> None:
    expect = sync_api.expect
    sign_in_at_provider(page, server, "entra-olga", "o.idema@delinde.example")
    expect(page.get_by_role("heading", name="Zaken", exact=True)).to_be_visible()  # type: ignore[attr-defined]
    expect(page.locator("header")).to_contain_text("Olga Idema")  # type: ignore[attr-defined]
    expect(page.get_by_role("link", name="Leerling-Vos").first).to_be_visible()  # type: ignore[attr-defined]  # an IB of De Linde


def test_an_unlinked_identity_gets_the_dutch_refusal_page(page: object, server: str, oidc: Tampering) -> None:
    expect = sync_api.expect
    sign_in_at_provider(page, server, "entra-vreemd", "vreemd@elders.example")
    expect(page.get_by_role("heading", name="Geen account in trede")).to_be_visible()  # type: ignore[attr-defined]
    expect(page.get_by_text("Vraag de directeur van uw school")).to_be_visible()  # type: ignore[attr-defined]
    page.goto(server + "/")  # type: ignore[attr-defined]
    expect(page.get_by_label("Gebruikersnaam")).to_be_visible()  # type: ignore[attr-defined]  # not logged in


def test_a_tampered_id_token_is_refused_in_the_browser(page: object, server: str, oidc: Tampering) -> None:
    expect = sync_api.expect
    oidc.on = True
    try:
        sign_in_at_provider(page, server, "entra-olga", "o.idema@delinde.example")
        expect(page.get_by_role("heading", name="Inloggen mislukt")).to_be_visible()  # type: ignore[attr-defined]
        expect(page.get_by_role("alert")).to_contain_text("gewijzigd")  # type: ignore[attr-defined]
    finally:
        oidc.on = False
    page.goto(server + "/")  # type: ignore[attr-defined]
    expect(page.get_by_label("Gebruikersnaam")).to_be_visible()  # type: ignore[attr-defined]



@pytest.fixture
def fresh_limits(server: str) -> Iterator[FixedClock]:
    """The meldpunt's in-memory limits start empty for this test (all tests come from 127.0.0.1),
    on a clock that stands still: a wait once imposed does not run out while a slow machine
    loads the next page."""
    from api.web.meldpunt_pages import MemoryLimits

    clock = FixedClock(datetime.now(UTC))
    WEB[server].state.meldpunt_limits = MemoryLimits(clock)  # type: ignore[attr-defined]
    yield clock
    WEB[server].state.meldpunt_limits = MemoryLimits()  # type: ignore[attr-defined]


def test_a_pupil_reports_anonymously_on_a_phone_and_follows_the_coordinators_questions(
    browser: object, page: object, server: str, fresh_limits: FixedClock
) -> None:
    expect = sync_api.expect
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")  # type: ignore[attr-defined]
    phone = context.new_page()
    try:
        phone.goto(server + "/melden/de-linde")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        assert accessibility_problems(phone) == []
        phone.get_by_label("Wat gebeurde er?").select_option("pesten")
        phone.get_by_label("Waar gebeurde het?").select_option("plein")
        phone.get_by_label("Vertel wat er is gebeurd").fill("Ze pakken steeds mijn tas af bij het klimrek.")
        phone.get_by_role("button", name="Melding versturen").click()
        expect(phone.get_by_role("heading", name="Je melding is verstuurd")).to_be_visible()
        code = phone.locator("#ontvangstcode").inner_text()
        assert len(code) == 19 and phone.evaluate("document.documentElement.scrollWidth") <= 390
        # the coordinator sees it, acknowledges it and asks a question
        log_in(page, server, "mevr.smit")
        page.get_by_role("link", name=re.compile("^Melding ")).first.click()  # type: ignore[attr-defined]
        expect(page.locator("#huidige-stap")).to_have_text("In beoordeling")  # type: ignore[attr-defined]
        acknowledge = page.locator("#actie-ontvangst_bevestigen")  # type: ignore[attr-defined]
        if acknowledge.get_attribute("open") is None:
            acknowledge.locator("summary").click()
        acknowledge.get_by_label("Bericht aan de melder").fill("Dank je wel, we hebben je melding gelezen.")
        acknowledge.get_by_role("button").click()
        ask = page.locator("#actie-bericht_sturen")  # type: ignore[attr-defined]
        if ask.get_attribute("open") is None:
            ask.locator("summary").click()
        ask.get_by_label("Bericht aan de melder").fill("Gebeurt het elke dag?")
        ask.get_by_role("button").click()
        # the pupil answers with the code
        phone.goto(server + "/melden/volgen")
        phone.get_by_label("Je code").fill(code.lower().replace("-", " "))
        phone.get_by_role("button", name="Bekijken").click()
        expect(phone.locator("#berichten")).to_contain_text("Gebeurt het elke dag?")
        phone.get_by_label("Een bericht aan de school").fill("Ja, in elke grote pauze.")
        phone.get_by_role("button", name="Bericht versturen").click()
        expect(phone.locator("#berichten")).to_contain_text("Ja, in elke grote pauze.")
        assert phone.evaluate("document.documentElement.scrollWidth") <= 390
        assert accessibility_problems(phone) == []
        # the coordinator reads it and hands the report over as a linked case
        page.reload()  # type: ignore[attr-defined]
        hand_over = page.locator("#actie-overdragen")  # type: ignore[attr-defined]
        if hand_over.get_attribute("open") is None:
            hand_over.locator("summary").click()
        hand_over.get_by_label("Pseudoniem van de leerling om wie het gaat").fill("Leerling-Gaai")
        hand_over.get_by_label("Motivering").fill("Herhaald pesten in de pauze")
        hand_over.get_by_role("button").click()
        expect(page.locator("#gekoppelde-zaken")).to_contain_text("Deze zaak opende")  # type: ignore[attr-defined]
        page.locator("#gekoppelde-zaken a").first.click()  # type: ignore[attr-defined]
        expect(page.get_by_role("heading", name="Leerling-Gaai")).to_be_visible()  # type: ignore[attr-defined]
    finally:
        context.close()


def test_another_reports_code_gives_nothing_of_this_one_and_wrong_codes_are_throttled(
    page: object, server: str, fresh_limits: FixedClock
) -> None:
    from engine.usecases.meldpunt import PublicReport

    expect = sync_api.expect
    engine = SERVED[server].engine
    mine = engine.meldpunt.report(PublicReport("de-linde", {"beschrijving": "Mijn melding over de gymles."}))
    other = engine.meldpunt.report(PublicReport("de-linde", {"beschrijving": "Een andere melding over de bus."}))
    page.goto(server + "/melden/volgen")  # type: ignore[attr-defined]
    page.get_by_label("Je code").fill(other.shown)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Bekijken").click()  # type: ignore[attr-defined]
    expect(page.locator("main")).to_contain_text("over de bus")  # type: ignore[attr-defined]
    assert "gymles" not in page.locator("main").inner_text()  # type: ignore[attr-defined]
    assert mine.code != other.code
    for n in range(6):
        page.goto(server + "/melden/volgen")  # type: ignore[attr-defined]
        page.get_by_label("Je code").fill(f"ZZZZ-ZZZZ-ZZZZ-ZZZ{n}")  # type: ignore[attr-defined]
        page.get_by_role("button", name="Bekijken").click()  # type: ignore[attr-defined]
    expect(page.get_by_role("alert")).to_contain_text("Te veel onjuiste codes")  # type: ignore[attr-defined]
    page.goto(server + "/melden/volgen")  # type: ignore[attr-defined]
    page.get_by_label("Je code").fill(mine.shown)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Bekijken").click()  # type: ignore[attr-defined]
    expect(page.get_by_role("alert")).to_contain_text("Te veel onjuiste codes")  # type: ignore[attr-defined]  # even the right one waits
