"""The school's safety roles (issue 28) on SQLite and PostgreSQL: kept in the register by the
bevoegd gezag on the page Scholenregister, and shown on the public meldpunt page for parents,
pupils and staff, with only what the school chose to publish."""

from __future__ import annotations

from fastapi.testclient import TestClient

from api.bootstrap import App
from api.web import create_app
from api.web.meldpunt_pages import MemoryLimits
from engine.access import OPERATOR
from tests.integration.helpers import csrf_of, login


def _client(app: App) -> TestClient:
    web_app = create_app(app)
    web_app.state.meldpunt_limits = MemoryLimits()
    return TestClient(web_app, base_url="https://testserver")


def test_the_meldpunt_page_names_the_published_safety_roles_only(app: App) -> None:
    with _client(app) as web:
        page = web.get("/melden/de-linde").text  # the demo register (api/demo.py SAFETY_ROLES)
        assert "Liever eerst met iemand praten?" in page
        assert "Contactpersoon (aanspreekpunt bij pesten en klachten):</b> Lies Jansen (contactpersoon@delinde.example, groep 3)" in page
        assert "Externe vertrouwenspersoon:</b> GGD, secretariaat jeugdgezondheidszorg (088 - 000 0000)" in page
        # Het Anker recorded its contactpersoon without publishing him: the page shows nobody
        anker = web.get("/melden/het-anker").text
        assert "Jan Bakker" not in anker and "Liever eerst met iemand praten?" not in anker


def test_the_bevoegd_gezag_keeps_the_safety_roles_and_the_meldpunt_shows_them(app: App) -> None:
    with _client(app) as web:
        login(web, "mevr.raad")
        register = web.get("/scholen")
        assert register.status_code == 200 and "Veiligheidsrollen" in register.text and "Kamerstuk 36 777" in register.text
        saved = web.post(
            "/scholen/het-anker/veiligheidsrollen",
            data={
                "csrf": csrf_of(web, "/scholen"),
                "contactpersoon": "Jan Bakker; j.bakker@hetanker.example\nRia Dekker; 050-1234567",
                "contactpersoon-tonen": "ja",
                "veiligheidscoordinator": "Henk Veilig; veilig@hetanker.example",
                "interne_vertrouwenspersoon": "Nog Niet Openbaar; kamer 12",  # not ticked: stays internal
            },
            follow_redirects=False,
        )
        assert saved.status_code == 303
        roles = app.engine.schools.safety_roles(OPERATOR, "het-anker")
        assert [(r.role, r.name, r.published) for r in roles] == [
            ("contactpersoon", "Jan Bakker", True),
            ("contactpersoon", "Ria Dekker", True),
            ("interne_vertrouwenspersoon", "Nog Niet Openbaar", False),
            ("veiligheidscoordinator", "Henk Veilig", False),
        ]
    with _client(app) as public:
        page = public.get("/melden/het-anker").text
        assert "Jan Bakker (j.bakker@hetanker.example)" in page and "Ria Dekker (050-1234567)" in page
        assert "Nog Niet Openbaar" not in page and "Henk Veilig" not in page


def test_only_those_who_keep_the_register_change_the_safety_roles(app: App) -> None:
    with _client(app) as web:
        login(web, "juf.anna")
        refused = web.post(
            "/scholen/de-linde/veiligheidsrollen",
            data={"csrf": csrf_of(web), "contactpersoon": "Iemand Anders; x", "contactpersoon-tonen": "ja"},
            follow_redirects=False,
        )
        assert refused.status_code == 403
    assert "Iemand Anders" not in str(app.engine.schools.published_safety_roles("de-linde"))


def test_the_bill_is_one_switch_per_board_off_by_default_and_a_new_case_records_it(app: App) -> None:
    """One switch for the board (in the chained incident log), set on the register's page by
    the bevoegd gezag; a case opened afterwards records it as a fact of its school."""
    anna = app.engine.users.principal("juf.anna")
    assert anna is not None
    before = app.engine.cases.open(anna, "grensoverschrijdend-gedrag", school="de-linde", subject="Leerling-K1", group="5a")
    assert "wet_vrij_en_veilig" not in before.facts
    with _client(app) as web:
        login(web, "juf.anna")
        refused = web.post("/scholen/wetsvoorstel", data={"csrf": csrf_of(web, "/"), "board": "stichting-demo", "aan": "ja"})
        assert refused.status_code == 403 and not app.engine.incidents.bill_on("stichting-demo")
        web.post("/uitloggen", data={"csrf": csrf_of(web, "/")})
        login(web, "mevr.raad")
        assert "past het niet toe" in web.get("/scholen").text
        web.post("/scholen/wetsvoorstel", data={"csrf": csrf_of(web, "/scholen"), "board": "stichting-demo", "aan": "ja"})
        assert "past het al toe" in web.get("/scholen").text
    assert app.engine.incidents.bill_on("stichting-demo")
    after = app.engine.cases.open(anna, "grensoverschrijdend-gedrag", school="de-linde", subject="Leerling-K2", group="5a")
    assert after.facts["wet_vrij_en_veilig"] == "ja"
    assert "wet_vrij_en_veilig" not in app.engine.reads.case(anna, before.id).case.facts  # recorded when it opened
