"""Oral reports and voice messages (issue 29 items 1 and 2), through the web edge: the voice
message reaches only the roles that may open the report's files; a recording by a handler
needs recorded consent; a file that is not audio is no voice message; the melder checks the
record of an oral report with a code a handler handed out, once."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from api.bootstrap import App
from api.web import create_app
from api.web.meldpunt_pages import MemoryLimits
from engine.errors import InputError, PermissionDenied
from engine.events import EventType
from engine.usecases.meldpunt import PublicReport
from tests.integration.helpers import login

# the smallest WebM header Chromium's MediaRecorder writes: EBML magic, DocType "webm"
WEBM = b"\x1aE\xdf\xa3\x9fB\x86\x81\x01B\xf7\x81\x01B\xf2\x81\x04B\xf3\x81\x08B\x82\x84webmB\x87\x81\x04B\x85\x81\x02" + b"\x00" * 64


def principal(app: App, username: str):  # type: ignore[no-untyped-def]
    found = app.engine.users.principal(username)
    assert found is not None
    return found


def voice_report(app: App) -> tuple[str, int]:
    receipt = app.engine.meldpunt.report(PublicReport("de-linde", {}, audio=WEBM, disguised=True))
    events = app.engine.reads.events(principal(app, "mevr.smit"), receipt.case_id)
    audio = next(e for e in events if e.type == EventType.ATTACHMENT)
    assert audio.data["media_type"] == "audio/webm" and "vervormd" in str(audio.data["description"])
    return receipt.case_id, audio.seq


def test_the_voice_message_plays_for_the_coordinator_and_for_nobody_who_may_not_open_the_report(app: App) -> None:
    case_id, seq = voice_report(app)
    web = create_app(app)
    web.state.meldpunt_limits = MemoryLimits()
    for username, allowed in (("mevr.smit", True), ("dhr.bos", False), ("mevr.dekker", False), ("dhr.audit", False)):
        with TestClient(web, base_url="https://testserver") as client:
            assert login(client, username) == "/"
            response = client.get(f"/zaken/{case_id}/bijlagen/{seq}")
            if allowed:
                assert response.status_code == 200 and response.headers["content-type"] == "audio/webm"
                assert response.content == WEBM
            else:
                assert response.status_code in (403, 404), (username, response.status_code)
                assert WEBM not in response.content


def test_the_voice_message_is_erased_with_the_report(app: App) -> None:
    case_id, seq = voice_report(app)
    with app.engine.services.uow(write=True) as uow:  # type: ignore[attr-defined]
        uow.attachments.erase(case_id)
        uow.commit()
    with pytest.raises(InputError):
        app.engine.notes.attachment(principal(app, "mevr.smit"), case_id, seq)


def test_a_file_that_is_not_audio_is_no_voice_message(app: App) -> None:
    with pytest.raises(InputError):
        app.engine.meldpunt.report(PublicReport("de-linde", {"beschrijving": "x"}, audio=b"%PDF-1.4 niet een opname"))


def test_a_handler_adds_a_recording_only_after_consent_and_hands_out_one_code(app: App) -> None:
    engine = app.engine
    vp = principal(app, "mevr.vp")
    case = engine.cases.open(
        vp, "klokkenluiders-wbk-2023", school="de-linde", subject="Melder-Opname", role="vertrouwenspersoon", inputs={"betreft": "niemand"}
    )
    with pytest.raises(InputError):
        engine.notes.attach(vp, case.id, name="gesprek.webm", content=WEBM, role="vertrouwenspersoon")
    today = engine.clock.now().date().isoformat()
    engine.cases.fire(
        vp,
        case.id,
        "mondelinge_melding_vastleggen",
        role="vertrouwenspersoon",
        inputs={"mondeling_kanaal": "gesprek", "ontvangen_op": today, "verslag_mondeling": "Verslag.", "toestemming_opname": "ja"},
    )
    engine.notes.attach(vp, case.id, name="gesprek.webm", content=WEBM, role="vertrouwenspersoon")
    receipt = engine.meldpunt.hand_out_code(vp, case.id, "vertrouwenspersoon")
    with pytest.raises(InputError):
        engine.meldpunt.hand_out_code(vp, case.id, "vertrouwenspersoon")
    with pytest.raises(PermissionDenied):
        engine.meldpunt.hand_out_code(principal(app, "mevr.raad"), case.id, "bevoegd_gezag")
    view = engine.meldpunt.check_record(receipt.code, "", "verslag_goedkeuren", {"verslag_akkoord": "ja"})
    assert view.oral is not None and view.oral.text == "Verslag." and view.oral.approved_at is not None
    with pytest.raises(InputError):
        engine.meldpunt.check_record(receipt.code, "", "informeren", {"beoordeling": "klaar"})
