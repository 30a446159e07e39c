"""Triage of meldpunt reports (issue 29): the board's triage data validated at file:line in
Dutch, a report routed by its category (a routed role outside the routing never sees it),
a corrected category, a standard answer, a split into linked cases, and the reporter's
satisfaction in the yearly overview; all of it in the report's chain."""

from __future__ import annotations

from pathlib import Path

import pytest

from api.bootstrap import App
from engine.access import OPERATOR
from engine.errors import CaseNotFound, InputError, PermissionDenied, TriageError
from engine.events import EventType
from engine.triage import TriageKind
from engine.usecases.meldpunt import PublicReport
from engine.usecases.triage import Part

DATA = Path(__file__).resolve().parents[2] / "protocols" / "categorieen" / "meldpunt.yaml"


def principal(app: App, username: str):  # type: ignore[no-untyped-def]
    found = app.engine.users.principal(username)
    assert found is not None
    return found


def loaded(app: App) -> None:
    app.engine.triage.load(principal(app, "mevr.protocol"), DATA.read_text(encoding="utf-8"), "meldpunt.yaml")


def reported(app: App, category: str) -> tuple[str, str]:
    inputs = {"beschrijving": "Er gebeurt iets naars.", "categorie": category}
    receipt = app.engine.meldpunt.report(PublicReport("de-linde", inputs))
    return receipt.code, receipt.case_id


def triage_events(app: App, case_id: str) -> list[dict[str, object]]:
    events = app.engine.reads.events(principal(app, "mevr.smit"), case_id)
    return [e.data for e in events if e.type == EventType.TRIAGE]


def test_a_triage_file_with_mistakes_is_refused_in_dutch_at_file_and_line(app: App) -> None:
    text = (
        "board: stichting-demo\n"
        "title: Indeling\n"
        "source: test\n"
        "categories:\n"
        "  pesten:\n"
        "    label: Iemand pest mij\n"
        "    handlers: [conciërge]\n"
        "  Cyber:\n"
        "    label: Online\n"
        "    handlers: [intern_begeleider]\n"
        "  thuis:\n"
        "    label: Thuis\n"
        "    handlers: [aandachtsfunctionaris]\n"
        "    schools:\n"
        "      elders: [aandachtsfunctionaris]\n"
        "answers:\n"
        "  hallo: {label: Hallo, text: 'Dag {naam}'}\n"
        "satisfaction: misschien\n"
    )
    with pytest.raises(TriageError) as refused:
        app.engine.triage.load(principal(app, "mevr.protocol"), text, "indeling.yaml")
    problems = refused.value.problems
    assert any(p.startswith("indeling.yaml:7: de rol 'conciërge' kent het meldpunt niet") for p in problems), problems
    assert any(p.startswith("indeling.yaml:8: 'Cyber' is geen geldige sleutel") for p in problems), problems
    assert any(p.startswith("indeling.yaml:15: de school 'elders' hoort niet bij dit bestuur") for p in problems), problems
    assert any(p.startswith("indeling.yaml:17: standaardantwoord 'hallo': '{naam}' kan niet") for p in problems), problems
    assert any(p.startswith("indeling.yaml:18: 'satisfaction' is true of false") for p in problems), problems
    with pytest.raises(PermissionDenied):  # a school's intern begeleider loads no board's data
        app.engine.triage.load(principal(app, "mevr.smit"), DATA.read_text(encoding="utf-8"), "meldpunt.yaml")


def test_loading_the_same_content_again_is_no_new_version(app: App) -> None:
    first, new = app.engine.triage.load(OPERATOR, DATA.read_text(encoding="utf-8"), "meldpunt.yaml")
    again, new_again = app.engine.triage.load(OPERATOR, DATA.read_text(encoding="utf-8"), "meldpunt.yaml")
    assert (first.version, new, again.version, new_again) == (1, True, 1, False)


def test_a_report_is_routed_by_its_category_and_a_role_outside_the_routing_does_not_see_it(app: App) -> None:
    loaded(app)
    _, online = reported(app, "cyberpesten")
    _, touched = reported(app, "seksueel_grensoverschrijdend")
    vp, ib = principal(app, "mevr.vp"), principal(app, "mevr.smit")
    with pytest.raises(CaseNotFound):  # cyberpesten goes to the intern begeleider only
        app.engine.reads.case(vp, online)
    assert app.engine.reads.case(vp, touched).case.facts["behandelaars"] == "vertrouwenspersoon,aandachtsfunctionaris"
    assert app.engine.reads.case(ib, online).case.facts["categorie"] == "cyberpesten"  # the coordinator sees every report
    [routed] = triage_events(app, online)
    assert routed["kind"] == TriageKind.ROUTED and routed["handlers"] == ["intern_begeleider"] and routed["triage_version"] == 1
    # the routed role hears of it; the one outside the routing does not
    notices = app.engine.reads.notifications(vp)
    assert [(n.notice.case_id, n.heading) for n in notices] == [(touched, "Melding naar u doorgestuurd")]
    assert not [n for n in app.engine.reads.notifications(principal(app, "dhr.bos")) if n.notice.kind == "doorgestuurd"]
    with pytest.raises(InputError):  # a category the board does not have
        reported(app, "verzonnen")


def test_a_corrected_category_routes_the_report_again_in_its_chain(app: App) -> None:
    loaded(app)
    _, case_id = reported(app, "pesten")
    vp, ib = principal(app, "mevr.vp"), principal(app, "mevr.smit")
    with pytest.raises(CaseNotFound):
        app.engine.reads.case(vp, case_id)
    app.engine.triage.correct_category(ib, case_id, "seksueel_grensoverschrijdend")
    assert app.engine.reads.case(vp, case_id).case.facts["categorie"] == "seksueel_grensoverschrijdend"
    kinds = [(d["kind"], d["summary"]) for d in triage_events(app, case_id)]
    assert kinds[1] == (
        TriageKind.CORRECTED,
        "Categorie gecorrigeerd van ‘Iemand pest mij of een ander’ naar ‘Iemand raakt je aan of laat je dingen zien die je niet wilt’",
    )
    assert kinds[2][0] == TriageKind.ROUTED
    with pytest.raises(PermissionDenied):  # a routed role handles, the coordinator triages
        app.engine.triage.correct_category(vp, case_id, "pesten")
    assert app.engine.reads.verify(ib, case_id).ok


def test_a_standard_answer_a_split_and_the_satisfaction_question(app: App) -> None:
    loaded(app)
    code, case_id = reported(app, "pesten")
    ib = principal(app, "mevr.smit")
    view = app.engine.triage.view(ib, case_id)
    answer = next(a for a in view.answers if a.key == "ontvangen")
    assert "School de-linde" in answer.text or "De Linde" in answer.text  # {school} filled in
    app.engine.cases.fire(ib, case_id, "bericht_sturen", inputs={"bericht_aan_melder": answer.text + " Groet, Els"})
    assert app.engine.meldpunt.follow(code).messages[-1].text.endswith("Groet, Els")
    with pytest.raises(InputError):  # one part is no split
        app.engine.triage.split(ib, case_id, [Part("Fleur H.", "pest", "grensoverschrijdend-gedrag")])
    opened = app.engine.triage.split(
        ib, case_id,
        [Part("Fleur H.", "Fleur pakt tassen af.", "grensoverschrijdend-gedrag"),
         Part("Daan K.", "Daan scheldt in de app.", "grensoverschrijdend-gedrag")],
    )
    assert len(opened) == 2
    [split] = [d for d in triage_events(app, case_id) if d["kind"] == TriageKind.SPLIT]
    assert [c["id"] for c in split["opened_cases"]] == opened  # type: ignore[index, union-attr]
    for new in opened:
        case = app.engine.reads.case(ib, new).case
        assert case.subject in {"Fleur H.", "Daan K."}
    with pytest.raises(InputError):  # not before the report is closed
        app.engine.triage.satisfaction(code, "", 4)
    app.engine.cases.fire(ib, case_id, "afsluiten", inputs={"motivering": "Gesplitst in twee zaken."})
    assert app.engine.meldpunt.follow(code).ask_satisfaction
    app.engine.triage.satisfaction(code, "", 4, "Fijn dat jullie luisterden.")
    with pytest.raises(InputError):  # once
        app.engine.triage.satisfaction(code, "", 5)
    seen = app.engine.meldpunt.follow(code)
    assert not seen.ask_satisfaction and seen.satisfaction == 4
    tables = {t.title: t for t in app.engine.reports.tables(principal(app, "dhr.bos"))}
    assert tables["Tevredenheid van melders (meldpunt)"].rows == [["2026", "1", "4,0"]]
