"""Issue 22, item 5: four holes from a security review, each closed and held shut.

1. someone who knows only a user name cannot keep its owner out (device cookies);
2. the meldpunt's password is limited per receipt code, and a bot's honeypot report looks
   like success while nothing is stored;
3. a melder-only account gets no pupil names when it opens a report;
4. a board-wide membership covers the schools of the user's own board only.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from adapters.sql.tables import CaseRow
from api.bootstrap import App
from api.demo import BOARD, seed_pupils
from engine.access import OPERATOR, Membership, Principal
from engine.clock import FixedClock
from engine.errors import CaseNotFound, PermissionDenied
from engine.ports import SchoolRecord
from engine.throttling import DEVICE_FAILURES, FREE_WRONG_PER_RECEIPT
from tests.integration.helpers import csrf_of, drive, login, open_gedrag, token_for

PASSWORD = "een-lang-wachtwoord"
OTHER_BOARD = "stichting-elders"
DEVICE = "trede_apparaat"


def client(web: TestClient, address: str, **cookies: str) -> TestClient:
    """Another browser on another address, on the same application."""
    return TestClient(web.app, base_url="https://testserver", client=(address, 40000), cookies=cookies)


def held_up(browser: TestClient) -> bool:
    return "Te veel mislukte pogingen" in browser.get("/inloggen").text


# --- 1. login lock-out by user name ----------------------------------------------------


def test_a_known_browser_logs_in_at_once_while_strangers_guess_the_name(app: App, web: TestClient) -> None:
    home = client(web, "10.1.1.1")
    assert login(home, "juf.anna") == "/"
    cookie = home.cookies.get(DEVICE)
    assert cookie and "juf.anna" not in cookie  # signed nonce; the name is in the signature only
    mr_jan = client(web, "10.1.1.7")
    assert login(mr_jan, "mr.jan") == "/"
    stolen = mr_jan.cookies.get(DEVICE)
    assert stolen and stolen != cookie
    # an attacker on six rotating addresses keeps guessing the victim's password (the clock stands still)
    attackers = [client(web, f"10.9.0.{n}") for n in range(1, 7)]
    for _ in range(4):
        for attacker in attackers:
            login(attacker, "juf.anna", "raden")
    assert held_up(attackers[0])
    # the victim's own browser, from yet another address, is not held up
    assert login(client(web, "10.1.1.2", **{DEVICE: cookie}), "juf.anna") == "/"
    # without the device cookie (a new browser) he waits, like the attacker
    fresh = client(web, "10.1.1.3")
    assert login(fresh, "juf.anna") != "/" and held_up(fresh)
    # mr.jan's cookie is worth nothing for juf.anna's name, nor is a forged one
    with_stolen = client(web, "10.1.1.4", **{DEVICE: stolen})
    assert login(with_stolen, "juf.anna") != "/" and held_up(with_stolen)
    forged = client(web, "10.1.1.5", **{DEVICE: cookie.split(".")[0] + "." + "0" * 64})
    assert login(forged, "juf.anna") != "/" and held_up(forged)


def test_a_device_cookie_that_keeps_failing_is_locked_out_itself(app: App, web: TestClient, clock: FixedClock) -> None:
    home = client(web, "10.1.2.1")
    assert login(home, "juf.anna") == "/"
    cookie = home.cookies.get(DEVICE)
    assert cookie
    thief = client(web, "10.1.2.2", **{DEVICE: cookie})
    for _ in range(DEVICE_FAILURES):
        assert not held_up(thief)  # guesses from the device are answered, one by one
        login(thief, "juf.anna", "raden")
    # now the cookie counts as untrusted: the untrusted throttles apply to it again
    attackers = [client(web, f"10.9.1.{n}") for n in range(1, 7)]
    for attacker in attackers:
        login(attacker, "juf.anna", "raden")
    assert login(client(web, "10.1.2.3", **{DEVICE: cookie}), "juf.anna") != "/"
    clock.advance(timedelta(minutes=16))  # the window has passed: trusted again
    for attacker in attackers:
        login(attacker, "juf.anna", "raden")
    assert login(client(web, "10.1.2.4", **{DEVICE: cookie}), "juf.anna") == "/"


def test_the_device_throttle_on_the_engine_directly(app: App) -> None:
    accounts = app.engine.login
    for n in range(12):
        ticket = accounts.begin_attempt("juf.anna", f"10.9.2.{n}").ticket
        if ticket is not None:
            accounts.finish_attempt(ticket, False)
    assert accounts.begin_attempt("juf.anna", "10.1.3.1").ticket is None  # untrusted: waits
    nonce = accounts.trusted_device("juf.anna", accounts.device_cookie("juf.anna"))
    assert nonce is not None
    assert accounts.trusted_device("mr.jan", accounts.device_cookie("juf.anna")) is None
    assert accounts.begin_attempt("juf.anna", "10.1.3.1", nonce).ticket is not None


# --- 2. the meldpunt -------------------------------------------------------------------


def _receipt(text: str) -> str:
    found = re.search(r'id="ontvangstcode">([0-9A-Z-]+)<', text)
    assert found, text
    return found.group(1)


def test_wrong_passwords_for_one_receipt_are_limited_from_any_address(
    app: App, web: TestClient, clock: FixedClock
) -> None:
    done = web.post("/melden/de-linde", data={"beschrijving": "Er wordt gepest.", "anoniem": "ja", "wachtwoord": PASSWORD})
    code = _receipt(done.text)
    answers = [
        client(web, f"10.8.0.{n}").post("/melden/volgen", data={"code": code, "wachtwoord": f"fout-{n}"}).status_code
        for n in range(20)
    ]
    assert answers[:FREE_WRONG_PER_RECEIPT] == [404] * FREE_WRONG_PER_RECEIPT
    assert set(answers[FREE_WRONG_PER_RECEIPT:]) == {429}  # not checked at all
    # the same code typed differently is the same code; another report is not affected
    assert client(web, "10.8.1.1").post("/melden/volgen", data={"code": code.lower().replace("-", " ")}).status_code == 429
    other = _receipt(web.post("/melden/de-linde", data={"beschrijving": "Nog iets.", "anoniem": "ja"}).text)
    assert client(web, "10.8.1.2").post("/melden/volgen", data={"code": other}).status_code == 200
    # on the application's clock: after the wait the reporter gets in with the right password
    clock.advance(timedelta(seconds=3))
    right = client(web, "10.8.1.3").post("/melden/volgen", data={"code": code, "wachtwoord": PASSWORD})
    assert right.status_code == 200 and "Er wordt gepest." in right.text


def test_a_filled_honeypot_looks_like_success_and_stores_nothing(app: App, web: TestClient) -> None:
    def cases() -> int:
        with app.db.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(CaseRow)).scalar_one())

    before = cases()
    real = web.post("/melden/de-linde", data={"beschrijving": "Echt gebeurd.", "anoniem": "ja"})
    assert cases() == before + 1
    bot = client(web, "10.7.0.1").post(
        "/melden/de-linde", data={"beschrijving": "Koop nu!", "anoniem": "ja", "website": "http://spam.example"}
    )
    assert bot.status_code == real.status_code == 200
    fake = _receipt(bot.text)
    assert len(fake) == len(_receipt(real.text)) and "Je melding is verstuurd" in bot.text
    assert cases() == before + 1  # nothing stored
    assert client(web, "10.7.0.2").post("/melden/volgen", data={"code": fake}).status_code == 404


# --- 3. pupil names for reporting roles -------------------------------------------------


def test_a_melder_only_account_gets_no_pupil_names(app: App, web: TestClient) -> None:
    seed_pupils(app.engine)
    app.engine.users.add("mevr.meld", "Meld", BOARD, PASSWORD, [Membership("melder", "de-linde"), Membership("medewerker", "de-linde")])
    directeur = _principal(app, "dhr.bos")
    everyone = app.engine.pupils.choices(directeur, "de-linde")
    assert len(everyone) > 12
    assert app.engine.pupils.choices(_principal(app, "mevr.meld"), "de-linde") == []
    anna = app.engine.pupils.choices(_principal(app, "juf.anna"), "de-linde")
    assert anna and {p.group for p in anna} == {"5a"}
    login(web, "mevr.meld", PASSWORD)
    page = web.get("/zaken/nieuw")
    assert page.status_code in (200, 403)
    assert not [p.name for p in everyone if p.name in page.text]
    web.cookies.clear()
    login(web, "juf.anna")
    shown = web.get("/zaken/nieuw").text
    assert anna[0].name in shown and not [p.name for p in everyone if p.group != "5a" and p.name in shown]


# --- 4. several boards in one installation ------------------------------------------------


def _principal(app: App, username: str) -> Principal:
    found = app.engine.users.principal(username)
    assert found is not None
    return found


@pytest.fixture
def two_boards(app: App) -> dict[str, str]:
    """Board A (the demo board) with a case at de-linde; board B with its own school and a
    bevoegd gezag, auditor, protocol owner and privacy officer."""
    app.engine.schools.save(OPERATOR, SchoolRecord("de-ster", "Basisschool De Ster", OTHER_BOARD, "zuid"))
    for username, role in (
        ("b.bestuur", "bevoegd_gezag"),
        ("b.audit", "auditor"),
        ("b.protocol", "protocol_eigenaar"),
        ("b.privacy", "privacyfunctionaris"),
    ):
        app.engine.users.add(username, username, OTHER_BOARD, PASSWORD, [Membership(role)])
    seed_pupils(app.engine)
    trede = drive(app)
    ours = open_gedrag(trede, "de-linde", "5a")
    theirs = open_gedrag(trede, "de-ster", "1a")
    app.engine.reads.case(_principal(app, "dhr.bos"), ours)  # an access-log row at de-linde
    return {"ours": ours, "theirs": theirs}


def test_another_boards_board_roles_see_nothing_of_ours_through_the_engine(app: App, two_boards: dict[str, str]) -> None:
    engine = app.engine
    ours, theirs = two_boards["ours"], two_boards["theirs"]
    for username in ("b.bestuur", "b.audit"):
        them = _principal(app, username)
        assert [v.case.id for v in engine.reads.cases(them)] == [theirs]
        with pytest.raises(CaseNotFound):
            engine.reads.case(them, ours)
        with pytest.raises(CaseNotFound):
            engine.reads.events(them, ours)
        assert engine.pupils.choices(them, "de-linde") == []
        tables = engine.reports.tables(them)
        assert "de-linde" not in str(tables) and "Leerling-de-linde" not in str(tables)
    audit = _principal(app, "b.audit")
    assert {v.case_id for v in engine.reads.verify_all(audit)} == {theirs}
    for username in ("b.audit", "b.privacy"):
        log = engine.reads.access_log(_principal(app, username))
        assert log.entries and all(e.school == "de-ster" for e in log.entries)
        assert all(r.school == "de-ster" for r in log.by_reporters)
    # our own board still sees its own schools, and nothing of theirs
    raad = _principal(app, "mevr.raad")
    seen = {v.case.id for v in engine.reads.cases(raad)}
    assert ours in seen and theirs not in seen
    # their protocol owner manages no protocol of ours, and their board keeps no school of ours
    owner = _principal(app, "b.protocol")
    protocol = engine.protocols.latest()[0].protocol
    for scope in ("de-linde", None):
        with pytest.raises(PermissionDenied):
            engine.protocols.load(owner, protocol, scope=scope)
    assert engine.protocols.manages(owner, "de-ster") and not engine.protocols.manages(owner, "de-linde")
    with pytest.raises(PermissionDenied):
        engine.schools.save(_principal(app, "b.bestuur"), SchoolRecord("de-linde", "Overgenomen", OTHER_BOARD, "midden"))


def test_another_boards_board_roles_see_nothing_of_ours_through_rest_and_pages(
    app: App, web: TestClient, two_boards: dict[str, str]
) -> None:
    ours, theirs = two_boards["ours"], two_boards["theirs"]
    for username in ("b.bestuur", "b.audit"):
        auth = token_for(app, username)
        listed = web.get("/api/v1/cases", headers=auth)
        assert listed.status_code == 200 and ours not in listed.text and theirs in listed.text
        assert web.get(f"/api/v1/cases/{ours}", headers=auth).status_code == 404
        assert web.get(f"/api/v1/cases/{ours}/events", headers=auth).status_code == 404
    browser = client(web, "10.6.0.1")
    login(browser, "b.audit", PASSWORD)
    assert browser.get(f"/zaken/{ours}").status_code == 404
    assert browser.get(f"/audit/zaken/{ours}").status_code == 404
    assert browser.get(f"/audit/zaken/{ours}/dossier.json").status_code == 404
    log = browser.get("/privacy/toegang")
    assert log.status_code == 200 and ours not in log.text
    report = browser.get("/rapportages")
    assert report.status_code == 200 and ours not in report.text
    bestuur = client(web, "10.6.0.2")
    login(bestuur, "b.bestuur", PASSWORD)
    home = bestuur.get("/")
    assert ours not in home.text and theirs in home.text
    feed = app.engine.tokens.create_feed("b.bestuur")
    assert ours not in bestuur.get(f"/agenda/{feed}.ics").text
    owner = client(web, "10.6.0.3")
    login(owner, "b.protocol", PASSWORD)
    page = owner.get("/protocollen")
    assert page.status_code == 200 and 'value="de-linde"' not in page.text and 'value="de-ster"' in page.text
    assert csrf_of(owner, "/protocollen")
