"""Need to know in a whistleblower report, through the web application: the channel the
melder chose and the role the report concerns decide who sees it (Modelregeling 2016,
art. 3 and art. 5 lid 1), on every edge: the start page, the API, the reports, the
calendar feed, reminders, and the public meldpunt."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.bootstrap import App
from api.demo import BOARD
from engine.access import OPERATOR, Membership, Principal
from engine.clock import FixedClock
from engine.errors import MigrationRefused
from engine.protocol.loader import load_protocol_text
from engine.usecases.reminders import Reminders
from tests.integration.helpers import csrf_of, login, notices_of, token_for

REGELING = "klokkenluidersregeling-2016"
TITLE = "Klokkenluidersregeling PO/VO (model 2016)"
PASSWORD = "wachtwoord-van-de-toezichthouder"


def principal(app: App, username: str) -> Principal:
    found = app.engine.users.principal(username)
    assert found is not None
    return found


@dataclass
class Reports:
    via_vp: str  # via the vertrouwenspersoon, about nobody's role
    about_him: str  # through the leidinggevende, about the directeur
    to_him: str  # through the leidinggevende, about nobody's role: the leidinggevende sees it


@pytest.fixture
def reports(app: App) -> Reports:
    app.engine.users.add("zq.melder", "Melder", BOARD, PASSWORD, [Membership("melder", "de-linde")])
    app.engine.users.add("zq.toezicht", "Toezichthouder", BOARD, PASSWORD, [Membership("toezichthouder")])
    melder, vp = principal(app, "zq.melder"), principal(app, "mevr.vp")
    engine = app.engine
    today = engine.clock.now().date().isoformat()
    recorded = {"ontvangen_op": today, "afschrift_verstrekt": "ja"}

    def report(pseudonym: str, channel: str, concerns: str) -> str:
        opening = {"kanaal": channel, "betreft": concerns}
        case = engine.cases.open(melder, REGELING, school="de-linde", subject=pseudonym, role="melder", inputs=opening)
        engine.cases.fire(vp, case.id, "vastleggen", role="vertrouwenspersoon", inputs=recorded)  # deadlines run
        return case.id

    return Reports(
        report("Melder-Zqa", "vertrouwenspersoon", "niemand"),
        report("Melder-Zqb", "leidinggevende", "directeur"),
        report("Melder-Zqc", "leidinggevende", "niemand"),
    )


def open_regeling_cases(web: TestClient) -> int:
    """The open 2016 cases in the reader's report (table 0, as CSV)."""
    rows = list(csv.reader(io.StringIO(web.get("/rapportages/0.csv").text), delimiter=";"))
    return sum(int(row[2]) for row in rows[1:] if row[0] == TITLE)


def test_the_directeur_sees_nothing_of_a_report_via_the_vertrouwenspersoon_or_about_him(
    app: App, web: TestClient, reports: Reports
) -> None:
    hidden = (reports.via_vp, reports.about_him)
    # the API: not listed, not found
    listed = {c["id"] for c in web.get("/api/v1/cases", headers=token_for(app, "dhr.bos")).json()}
    assert reports.to_him in listed and not listed & set(hidden)
    for case_id in hidden:
        assert web.get(f"/api/v1/cases/{case_id}", headers=token_for(app, "dhr.bos")).status_code == 404
    # the calendar feed: the board's carries the deadlines of all three, his none of the hidden
    board_feed = web.get(f"/agenda/{app.engine.tokens.create_feed('mevr.raad')}.ics").text
    assert all(case_id in board_feed for case_id in (*hidden, reports.to_him))
    his_feed = web.get(f"/agenda/{app.engine.tokens.create_feed('dhr.bos')}.ics")
    assert his_feed.status_code == 200
    assert not any(case_id in his_feed.text for case_id in (*hidden, reports.to_him))  # the board's deadlines, not his
    # the start page and the reports
    login(web, "dhr.bos")
    start = web.get("/").text
    assert reports.to_him in start and not any(case_id in start for case_id in hidden)
    assert open_regeling_cases(web) == 1
    for case_id in hidden:
        assert web.get(f"/zaken/{case_id}").status_code == 404


def test_a_report_about_the_board_goes_to_the_toezichthouder_instead(app: App, web: TestClient) -> None:
    app.engine.users.add("zq.toezicht", "Toezichthouder", BOARD, PASSWORD, [Membership("toezichthouder")])
    melder = Principal("zq.melder2", "Melder", (Membership("melder", "de-linde"),))
    opening = {"kanaal": "toezichthouder", "betreft": "bevoegd_gezag"}
    case = app.engine.cases.open(melder, REGELING, school="de-linde", subject="Melder-Zqd", role="melder", inputs=opening)
    for username, status in (("mevr.raad", 404), ("dhr.bos", 404), ("mevr.vp", 200), ("zq.toezicht", 200)):
        assert web.get(f"/api/v1/cases/{case.id}", headers=token_for(app, username)).status_code == status, username


def test_a_reminder_goes_only_to_those_who_may_see_the_report(app: App, clock: FixedClock, reports: Reports) -> None:
    clock.set(clock.now() + timedelta(weeks=3))  # the two weeks of art. 6 lid 2 have passed
    app.engine.timers.run()
    Reminders(app.engine.services).record()
    told = {
        username: {n.case_id for n in notices_of(app, username, "app", 50)}
        for username in ("mevr.raad", "dhr.bos", "zq.toezicht")
    }
    assert told["mevr.raad"] >= {reports.via_vp, reports.about_him, reports.to_him}
    assert told["dhr.bos"] == set() and told["zq.toezicht"] == set()


def test_a_meldpunt_report_through_the_vertrouwenspersoon_reaches_only_that_channel(app: App, web: TestClient) -> None:
    form = web.get("/melden/de-linde?voor=medewerker").text  # the meldpunt's page for staff
    assert 'name="kanaal"' in form and 'name="betreft"' in form
    base = {"voor": "medewerker", "protocol": REGELING, "beschrijving": "De directeur sjoemelt met de boeken.", "anoniem": "ja"}
    refused = web.post("/melden/de-linde", data=base)  # the channel is required
    assert refused.status_code == 422 and "Bij wie of via wie u meldt" in refused.text
    before = {v.case.id for v in app.engine.reads.cases(principal(app, "mevr.vp"))}
    sent = web.post("/melden/de-linde", data={**base, "kanaal": "vertrouwenspersoon", "betreft": "directeur"})
    assert sent.status_code == 200
    (case_id,) = {v.case.id for v in app.engine.reads.cases(principal(app, "mevr.vp"))} - before
    for username, status in (("mevr.vp", 200), ("mevr.raad", 200), ("dhr.bos", 404), ("mevr.smit", 404)):
        assert web.get(f"/api/v1/cases/{case_id}", headers=token_for(app, username)).status_code == status, username
    listed = {c["id"] for c in web.get("/api/v1/cases", headers=token_for(app, "dhr.bos")).json()}
    assert case_id not in listed


def test_the_channel_cannot_be_changed_through_the_api(app: App, web: TestClient, reports: Reports) -> None:
    """The board may not widen the report to the leidinggevende by recording another channel."""
    body = {"trigger": "onderzoek_instellen", "inputs": {"onderzoeker": "extern", "kanaal": "leidinggevende"}}
    answer = web.post(f"/api/v1/cases/{reports.via_vp}/fire", json=body, headers=token_for(app, "mevr.raad"))
    assert answer.status_code == 422 and "kanaal" in answer.text
    assert web.get(f"/api/v1/cases/{reports.via_vp}", headers=token_for(app, "dhr.bos")).status_code == 404


def test_the_new_case_form_asks_the_channel_and_records_it_at_opening(app: App, web: TestClient) -> None:
    login(web, "mevr.vp")
    form = web.get("/zaken/nieuw").text
    assert 'name="kanaal"' in form and 'name="betreft"' in form
    data = {"protocol": REGELING, "school": "de-linde", "leerling": "Melder-Zqe", "csrf": csrf_of(web, "/zaken/nieuw")}
    missing = web.post("/zaken/nieuw", data=data, follow_redirects=False)
    assert missing.status_code == 422 and 'value="Melder-Zqe"' in missing.text  # refused: the channel is required
    opened = web.post("/zaken/nieuw", data={**data, "kanaal": "vertrouwenspersoon", "betreft": "directeur"}, follow_redirects=False)
    case_id = opened.headers["location"].rsplit("/", 1)[1]
    assert web.get(f"/zaken/{case_id}").status_code == 200
    assert web.get(f"/api/v1/cases/{case_id}", headers=token_for(app, "dhr.bos")).status_code == 404
    assert web.get(f"/api/v1/cases/{case_id}", headers=token_for(app, "mevr.raad")).status_code == 200


def test_a_report_cannot_be_migrated_to_a_version_that_lets_others_see_it(app: App, reports: Reports) -> None:
    text = (Path(__file__).parents[2] / "protocols" / f"{REGELING}.yaml").read_text(encoding="utf-8")
    version = int(next(line for line in text.splitlines() if line.startswith("version:")).split(":")[1])
    wider = text.replace(f"version: {version}\n", f"version: {version + 1}\n", 1).replace(
        "      roles: [vertrouwenspersoon, bevoegd_gezag]\n", "      roles: [vertrouwenspersoon, bevoegd_gezag, leidinggevende]\n"
    )
    assert wider.count("leidinggevende]") == text.count("leidinggevende]") + 1
    app.engine.protocols.load(OPERATOR, load_protocol_text(wider, "wider.yaml"))
    with pytest.raises(MigrationRefused):
        app.engine.cases.migrate(principal(app, "mevr.raad"), reports.via_vp, version + 1)
    listed = {v.case.id for v in app.engine.reads.cases(principal(app, "dhr.bos"))}
    assert reports.via_vp not in listed


def test_a_report_cannot_be_migrated_to_a_version_that_names_more_who_may_know_the_melder(
    app: App, reports: Reports
) -> None:
    """Found in review: a version with a wider identity.visible_to, loaded by the protocol
    owner, let a masked bevoegd gezag unmask the melder by migrating the case to it."""
    text = (Path(__file__).parents[2] / "protocols" / f"{REGELING}.yaml").read_text(encoding="utf-8")
    version = int(next(line for line in text.splitlines() if line.startswith("version:")).split(":")[1])
    wider = text.replace(f"version: {version}\n", f"version: {version + 1}\n", 1).replace(
        "  visible_to: [vertrouwenspersoon]\n", "  visible_to: [vertrouwenspersoon, bevoegd_gezag]\n", 1
    )
    assert wider != text and "bevoegd_gezag]\n  consent" in wider
    app.engine.protocols.load(OPERATOR, load_protocol_text(wider, "wider.yaml"))
    raad = principal(app, "mevr.raad")
    assert app.engine.reads.case(raad, reports.via_vp).subject() == "(afgeschermd)"
    with pytest.raises(MigrationRefused, match="wie de melder mag kennen"):
        app.engine.cases.migrate(raad, reports.via_vp, version + 1, role="bevoegd_gezag")
    assert app.engine.reads.case(raad, reports.via_vp).subject() == "(afgeschermd)"
