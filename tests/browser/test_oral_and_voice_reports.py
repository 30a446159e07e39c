"""Oral reports and voice messages in a real browser (issue 29 items 1 and 2).

A worker phones the vertrouwenspersoon, who records the oral report under the Wbk and hands
the worker a code; the worker reads the record on the meldpunt with that code, corrects it
once and approves it; the vertrouwenspersoon sees both on the case page. A pupil speaks a
voice message on the meldpunt (Chromium's fake microphone) with "vervorm mijn stem" on, sends
it, and the coordinator plays it on the case page: the audio element's source returns audio
bytes of the right type. axe-core checks every page (the ``page`` fixture's watch and an
explicit run on the pages of the contexts this module opens itself)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from api.web.meldpunt_pages import MemoryLimits
from tests.browser.test_browser import (  # noqa: F401
    CHROMIUM,
    ON_BOTH_BACKENDS,
    SERVED,
    WEB,
    accessibility_problems,
    browser,
    log_in,
    page,
    server,
)

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = ON_BOTH_BACKENDS


@pytest.fixture
def own_limits(server: str) -> Iterator[None]:  # noqa: F811
    WEB[server].state.meldpunt_limits = MemoryLimits()  # type: ignore[attr-defined]
    yield


@pytest.fixture(scope="module")
def microphone(browser: object) -> Iterator[object]:  # noqa: F811
    """A Chromium of this module's own (launched by the same Playwright as ``browser``), with
    a fake microphone that needs no permission."""
    if True:
        chromium = browser.browser_type.launch(  # type: ignore[attr-defined]
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                "--autoplay-policy=no-user-gesture-required",
            ],
        )
        yield chromium
        chromium.close()


def test_an_oral_report_is_recorded_corrected_once_and_approved_by_the_melder_with_the_code(
    browser: object,  # noqa: F811
    page: object,  # noqa: F811
    server: str,  # noqa: F811
    own_limits: None,
) -> None:
    expect = sync_api.expect
    app = SERVED[server]
    vp = app.engine.users.principal("mevr.vp")
    assert vp is not None
    opened = app.engine.cases.open(
        vp,
        "klokkenluiders-wbk-2023",
        school="de-linde",
        subject="Melder-Mondeling",
        role="vertrouwenspersoon",
        inputs={"betreft": "niemand"},
    )
    case_id = opened.id
    spoken_on = app.engine.clock.now().date().isoformat()

    log_in(page, server, "mevr.vp")
    page.goto(server + f"/zaken/{case_id}")  # type: ignore[attr-defined]
    form = page.locator("#actie-mondelinge_melding_vastleggen")  # type: ignore[attr-defined]
    if form.get_attribute("open") is None:
        form.locator("summary").click()
    form.get_by_label("Hoe de melding mondeling werd gedaan").select_option("telefoon")
    form.get_by_label("Melding ontvangen op").fill(spoken_on)
    form.get_by_label("Verslag van de mondelinge melding").fill("De melder zag op 3 maart dat facturen werden vervalst.")
    form.get_by_label("De melder stemt in met een geluidsopname").select_option("nee")
    form.get_by_role("button").last.click()
    expect(page.locator("body")).to_contain_text("Mondelinge melding vastleggen")  # type: ignore[attr-defined]

    page.locator("#meldercode summary").click()  # type: ignore[attr-defined]
    page.get_by_role("button", name="Code uitreiken").click()  # type: ignore[attr-defined]
    code = page.locator("#meldercode-waarde").inner_text()  # type: ignore[attr-defined]

    phone_context = browser.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")  # type: ignore[attr-defined]
    phone = phone_context.new_page()
    try:
        phone.goto(server + "/melden/volgen")
        phone.get_by_label("Je code").fill(code)
        phone.get_by_role("button", name="Bekijken").click()
        expect(phone.locator("#verslag-tekst")).to_contain_text("facturen werden vervalst")
        phone.get_by_label("Klopt er iets niet").fill("Het was op 4 maart, niet op 3 maart.")
        phone.get_by_role("button", name="Correctie versturen").click()
        expect(phone.locator("#correcties")).to_contain_text("4 maart")
        phone.get_by_label("klopt en is volledig").check()
        phone.get_by_role("button", name="Verslag goedkeuren").click()
        expect(phone.locator("#verslag-goedgekeurd")).to_be_visible()
        assert accessibility_problems(phone) == []
    finally:
        phone_context.close()

    page.goto(server + f"/zaken/{case_id}")  # type: ignore[attr-defined]
    body = page.locator("body")  # type: ignore[attr-defined]
    expect(body).to_contain_text("Het was op 4 maart, niet op 3 maart.")
    expect(body).to_contain_text("Goedkeuring van het verslag door de melder vastleggen")


def test_a_pupil_sends_a_disguised_voice_message_and_the_coordinator_plays_it(
    microphone: object,
    page: object,  # noqa: F811
    server: str,  # noqa: F811
    own_limits: None,
) -> None:
    expect = sync_api.expect
    context = microphone.new_context(viewport={"width": 390, "height": 844}, locale="nl-NL")  # type: ignore[attr-defined]
    context.grant_permissions(["microphone"], origin=server)
    phone = context.new_page()
    try:
        phone.goto(server + "/melden/de-linde")
        expect(phone.locator("#spraak")).to_be_visible()
        phone.get_by_label("Vervorm mijn stem").check()
        phone.get_by_role("button", name="Opnemen").click()
        expect(phone.locator("#spraak-status")).to_contain_text("Bezig met opnemen")
        phone.wait_for_timeout(2500)  # some seconds of the fake microphone's beeps
        phone.get_by_role("button", name="Stoppen").click()
        expect(phone.locator("#spraak")).to_have_attribute("data-opname", "vervormd")
        assert (phone.locator("#terugluisteren").get_attribute("src") or "").startswith("blob:")
        assert accessibility_problems(phone) == []
        phone.get_by_role("button", name="Melding versturen").click()
        expect(phone.get_by_role("heading", name="Je melding is verstuurd")).to_be_visible(timeout=10_000)
        code = phone.locator("#ontvangstcode").inner_text()
        assert code
    finally:
        context.close()

    log_in(page, server, "mevr.smit")
    app = SERVED[server]
    ib = app.engine.users.principal("mevr.smit")
    assert ib is not None
    from engine.usecases.meldpunt import VOICE_ONLY

    case_id = next(
        v.case.id
        for v in app.engine.reads.cases(ib)
        if v.case.protocol_id == "meldpunt"
        and any(e.inputs.get("beschrijving") == VOICE_ONLY for e in app.engine.reads.events(ib, v.case.id))
    )
    page.goto(server + f"/zaken/{case_id}")  # type: ignore[attr-defined]
    player = page.locator("audio.geluid")  # type: ignore[attr-defined]
    expect(player).to_have_count(1)
    expect(page.locator("body")).to_contain_text("stem vervormd op het apparaat van de melder")  # type: ignore[attr-defined]
    src = player.get_attribute("src")
    response = page.request.get(server + src)  # type: ignore[attr-defined]
    assert response.status == 200
    assert response.headers["content-type"] in ("audio/webm", "audio/ogg")
    assert response.body()[:4] in (b"\x1aE\xdf\xa3", b"OggS")
