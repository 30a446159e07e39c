"""Issue 23 on the web: a re-issued decision letter's moved terms show on the case page."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient

from api.bootstrap import App
from engine.clock import FixedClock
from tests.integration.helpers import drive, login, open_gedrag


def test_the_case_page_says_which_terms_a_new_sending_moved(app: App, web: TestClient, clock: FixedClock) -> None:
    trede = drive(app)
    case_id = open_gedrag(trede)
    today = clock.now().date().isoformat()
    for trigger, role, inputs in [
        (
            "schorsen",
            "directeur",
            {
                "motivering": "geweld",
                "goedkeuring_bevoegd_gezag": "ja",
                "schorsing_eerste_dag": today,
                "schorsing_duur": "1 dag",
            },
        ),
        ("schorsing_beeindigen", "directeur", {}),
        ("verwijdering_voorbereiden", "directeur", {"motivering": "herhaald"}),
        (
            "voornemen_meedelen",
            "directeur",
            {"groepsleraar_gehoord": "ja", "onderwijskundig_rapport": "ja", "motivering": "voornemen"},
        ),
        ("verwijderen", "bevoegd_gezag", {"ouders_gehoord": "ja", "motivering": "besluit"}),
    ]:
        trede.fire(case_id, trigger, actor=f"demo.{role}", role=role, inputs=inputs)
    asked = {
        "geadresseerde_naam": "Fam. Jansen",
        "geadresseerde_adres": "Dorpsstraat 1\n1234 AB Ergens",
        "ondertekenaar": "K. Raad",
        "functie_ondertekenaar": "bestuurder",
        "wijze_van_verzending": "aangetekend",
    }
    trede.letter(
        case_id,
        "besluit_verwijdering",
        actor="r",
        role="bevoegd_gezag",
        inputs={**asked, "verwijderingsbesluit_verzonden_op": today},
    )
    clock.advance(timedelta(days=2))
    later = clock.now().date().isoformat()
    trede.letter(
        case_id,
        "besluit_verwijdering",
        actor="r",
        role="bevoegd_gezag",
        inputs={**asked, "verwijderingsbesluit_verzonden_op": later},
    )
    login(web, "dhr.bos")
    page = web.get(f"/zaken/{case_id}").text
    assert "termijn verplaatst door nieuwe verzending: Einde bezwaartermijn van" in page
    assert trede.verify(case_id).ok
