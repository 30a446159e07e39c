"""The public meldpunt on SQLite and PostgreSQL: a report without an account, the receipt
code, messages both ways in the audit chain, the reporter's contact details only for the
roles that may know them, the hand-over as a linked case, and no address stored."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import inspect, text

from api.bootstrap import App
from api.web import create_app
from api.web.meldpunt_pages import MemoryLimits
from engine.errors import CaseNotFound, ReceiptNotFound
from engine.events import EventType
from engine.usecases.meldpunt import PublicReport
from tests.integration.helpers import login

CONTACT = "Sanne uit groep 7, 06-12345678"


def principal(app: App, username: str):  # type: ignore[no-untyped-def]
    found = app.engine.users.principal(username)
    assert found is not None
    return found


def reported(app: App, **extra: str) -> tuple[str, str]:
    password = extra.pop("wachtwoord", "")
    inputs = {"beschrijving": "Ze pakken steeds mijn tas af op het plein.", "soort_gedrag": "pesten", "plaats": "plein", **extra}
    receipt = app.engine.meldpunt.report(PublicReport("de-linde", inputs, password=password))
    return receipt.code, receipt.case_id


def test_an_anonymous_report_opens_a_case_and_its_code_shows_it_to_the_reporter_only(app: App) -> None:
    code, case_id = reported(app, anoniem="ja")
    other_code, other_id = reported(app, beschrijving="Iemand scheldt in de klas-app.")
    engine = app.engine
    seen = engine.meldpunt.follow(code.lower()[:4] + " " + code[4:].lower())  # case and spaces do not matter
    assert seen.case_id == case_id and seen.status == "In beoordeling"
    assert seen.reported["Wat er is gebeurd"] == "Ze pakken steeds mijn tas af op het plein." and seen.reported["Waar het gebeurde"] == "plein"
    assert engine.meldpunt.follow(other_code).case_id == other_id  # the other code gives the other report only
    with pytest.raises(ReceiptNotFound):
        engine.meldpunt.follow("0000-0000-0000-0000")
    ib = principal(app, "mevr.smit")
    view = engine.reads.case(ib, case_id)
    assert view.case.protocol_id == "meldpunt" and view.case.facts["soort_gedrag"] == "pesten"
    assert {d.id for d in view.case.active_deadlines()} == {"ontvangst_bevestigd"}  # five school days to acknowledge


def test_messages_go_both_ways_through_the_chain_and_internal_notes_stay_internal(app: App) -> None:
    code, case_id = reported(app)
    engine, ib = app.engine, principal(app, "mevr.smit")
    engine.cases.fire(ib, case_id, "ontvangst_bevestigen", inputs={"bericht_aan_melder": "Dank je, we hebben je melding ontvangen."})
    engine.notes.add_note(ib, case_id, "Intern: waarschijnlijk groep 7b, navragen bij de leerkracht.")
    engine.cases.fire(ib, case_id, "bericht_sturen", inputs={"bericht_aan_melder": "In welke pauze gebeurt het?"})
    answered = engine.meldpunt.write(code, "", "In de grote pauze, bij het klimrek.")
    assert [(m.by_reporter, m.text) for m in answered.messages] == [
        (False, "Dank je, we hebben je melding ontvangen."),
        (False, "In welke pauze gebeurt het?"),
        (True, "In de grote pauze, bij het klimrek."),
    ]
    case = engine.reads.case(ib, case_id).case
    assert case.deadlines and all(d.status != "open" for d in case.deadlines.values())  # acknowledged in time
    events = engine.reads.events(ib, case_id)
    assert events[-1].type == EventType.REPORTER_MESSAGE and events[-1].data["message"] == "In de grote pauze, bij het klimrek."
    assert engine.reads.verify(ib, case_id).ok


def test_the_reporters_contact_details_reach_only_the_intern_begeleider(app: App) -> None:
    _, case_id = reported(app, anoniem="nee", contact_melder=CONTACT)
    engine = app.engine
    ib_view = engine.reads.detail(principal(app, "mevr.smit"), case_id)
    assert ib_view.view.case.facts["contact_melder"] == CONTACT
    director = engine.reads.detail(principal(app, "dhr.bos"), case_id)  # handles the case, may not know the melder
    shown = str(director.view.case.to_dict()) + str([e.to_dict() for e in director.events])
    assert CONTACT not in shown and "(afgeschermd)" in shown
    assert "Sanne" not in str(engine.reads.dossier(principal(app, "dhr.bos"), case_id).to_dict())
    with pytest.raises(CaseNotFound):
        engine.reads.case(principal(app, "juf.anna"), case_id)  # a leerkracht is no role of the meldpunt


def test_a_report_is_handed_over_as_a_linked_case_without_the_reporter(app: App) -> None:
    code, case_id = reported(app, anoniem="nee", contact_melder=CONTACT)
    engine, ib = app.engine, principal(app, "mevr.smit")
    handed = engine.cases.fire(
        ib,
        case_id,
        "overdragen",
        inputs={"betrokken_leerling": "Leerling-Reiger", "motivering": "terugkerend pesten", "bericht_aan_melder": "We pakken dit op."},
    )
    assert handed.step == "overgedragen" and not handed.closed  # the conversation with the reporter goes on
    opened = engine.reads.events(ib, case_id)[-1].data["opened_case"]
    linked = engine.reads.case(ib, opened["id"]).case
    assert linked.protocol_id == "grensoverschrijdend-gedrag" and linked.subject == "Leerling-Reiger"
    assert CONTACT not in str(linked.to_dict()) + str([e.to_dict() for e in engine.reads.events(ib, linked.id)])
    view = engine.meldpunt.follow(code)
    assert view.can_write and view.messages[-1].text == "We pakken dit op." and view.status == "Overgedragen aan het stappenplan"


def test_a_password_guards_the_code_and_misuse_closes_a_report(app: App) -> None:
    code, case_id = reported(app, wachtwoord="geheim-woord")
    with pytest.raises(ReceiptNotFound):
        app.engine.meldpunt.follow(code)
    assert app.engine.meldpunt.follow(code, "geheim-woord").case_id == case_id
    app.engine.cases.fire(principal(app, "dhr.bos"), case_id, "misbruik", inputs={"motivering": "grapmelding met scheldwoorden"})
    assert app.engine.meldpunt.follow(code, "geheim-woord").closed


def test_nothing_of_the_reporters_address_or_browser_is_stored(app: App) -> None:
    limits = MemoryLimits()
    web_app = create_app(app)
    web_app.state.meldpunt_limits = limits
    with TestClient(web_app, base_url="https://testserver", headers={"user-agent": "Browser-Zq9 1.0"}) as web:
        done = web.post("/melden/de-linde", data={"beschrijving": "Er wordt gescholden.", "anoniem": "ja"})
        assert done.status_code == 200 and "Je melding is verstuurd" in done.text
        code = re.search(r'id="ontvangstcode">([0-9A-Z-]+)<', done.text).group(1)  # type: ignore[union-attr]
        assert web.post("/melden/volgen", data={"code": code}).status_code == 200
    with app.db.connect() as conn:
        for table in inspect(conn).get_table_names():
            rows = str(conn.execute(text(f'SELECT * FROM "{table}"')).all())
            assert "testclient" not in rows and "Browser-Zq9" not in rows, table


def test_wrong_codes_are_throttled_and_reports_are_rate_limited_in_memory(app: App) -> None:
    web_app = create_app(app)
    web_app.state.meldpunt_limits = MemoryLimits()
    with TestClient(web_app, base_url="https://testserver") as web:
        said = [web.post("/melden/volgen", data={"code": f"ABCD-EFGH-JKMN-PQR{i}"}) for i in range(7)]
        assert [r.status_code for r in said[:5]] == [404] * 5 and said[-1].status_code == 429
        assert "Te veel onjuiste codes" in said[-1].text
        sent = [web.post("/melden/de-linde", data={"beschrijving": f"melding {i}"}).status_code for i in range(6)]
        assert sent == [200] * 5 + [429]
        # a bot (the honeypot filled) is limited like anyone; its success is faked (test_holes_22)
        bot = web.post("/melden/de-linde", data={"beschrijving": "koop nu", "website": "http://spam.example"})
        assert bot.status_code == 429


def test_the_coordinator_sees_new_reports_with_their_acknowledgement_deadline(app: App, web: TestClient) -> None:
    reported(app)
    assert login(web, "mevr.smit") == "/"
    start = web.get("/").text
    assert "Meldpunt: melding van pesten of grensoverschrijdend gedrag" in start and "Ontvangst bevestigd aan de melder" in start


def test_a_whistleblower_reports_through_the_same_meldpunt_under_the_wbk(app: App) -> None:
    engine = app.engine
    options = [o.protocol_id for o in engine.meldpunt.options("de-linde")]
    assert options[0] == "meldpunt" and "klokkenluiders-wbk-2023" in options and "grensoverschrijdend-gedrag" not in options
    receipt = engine.meldpunt.report(
        PublicReport(
            "de-linde", {"beschrijving": "Facturen worden vervalst."}, protocol_id="klokkenluiders-wbk-2023", concerns="niemand",
            staff=True,
        )
    )
    raad = principal(app, "mevr.raad")
    events = engine.reads.events(raad, receipt.case_id)
    assert events[-1].type == EventType.REPORTER_MESSAGE and events[-1].data["message"] == "Facturen worden vervalst."
    view = engine.meldpunt.follow(receipt.code)
    assert view.status == "Melding ontvangen" and view.messages[0].text == "Facturen worden vervalst."


def test_reports_feed_the_m5_overview_of_kind_and_place(app: App) -> None:
    reported(app)
    reported(app, soort_gedrag="digitaal", plaats="online")
    tables = {t.title: t for t in app.engine.reports.tables(principal(app, "dhr.bos"))}
    m5 = tables["Soort gedrag en plaats (M5-overzicht)"].rows
    assert {tuple(r[:2]) for r in m5} >= {("pesten", "plein"), ("digitaal", "online")}


VARIANT = """
id: meldpunt-de-linde
version: 1
extends: {id: meldpunt, version: 2}
title: "Meldpunt De Linde"
source: "schoolafspraak De Linde"
steps:
  beoordeling:
    obligations:
      - id: ontvangst_bevestigd
        label: Ontvangst bevestigd aan de melder
        after: 2 werkdagen
        basis: "schoolafspraak De Linde: binnen twee werkdagen"
        roles: [intern_begeleider]
        escalate: [directeur]
"""


def test_a_school_chooses_its_own_meldpunt_protocol_by_loading_a_variant_for_itself(app: App) -> None:
    from engine.access import OPERATOR
    from engine.protocol.loader import load_protocol_text

    engine = app.engine
    variant = load_protocol_text(VARIANT, "meldpunt-de-linde.yaml", engine.services.stored_base)
    engine.protocols.load(OPERATOR, variant, scope="de-linde")
    linde = [o.protocol_id for o in engine.meldpunt.options("de-linde")]
    assert linde[0] == "meldpunt-de-linde" and "meldpunt" not in linde
    assert engine.meldpunt.options("het-anker")[0].protocol_id == "meldpunt"
    receipt = engine.meldpunt.report(PublicReport("de-linde", {"beschrijving": "Pesten op het plein."}, protocol_id="meldpunt-de-linde"))
    case = engine.reads.case(principal(app, "mevr.smit"), receipt.case_id).case
    assert case.protocol_id == "meldpunt-de-linde" and "2 werkdagen" in str(case.deadlines)
