"""Issue 26, items 5 and 6, where the store is involved: the first run (the demo's logins on
every run, the address served, /login), the new-case form after a refusal, the protocols a
school is offered, the upload of a variant (every problem; a confirmation) and the case page
of the meldcode's step "Hulp bieden of organiseren"."""

from __future__ import annotations

import re
from pathlib import Path

from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from sqlalchemy import text
from typer.testing import CliRunner

from adapters.sql.database import make_engine
from api.bootstrap import App
from api.cli import app as cli_app
from api.demo import DEMO_PASSWORD, USERS
from engine.access import OPERATOR, Principal
from engine.errors import ProtocolError
from engine.protocol.loader import answer_trigger, load_protocol_file, load_protocol_text
from tests.integration.helpers import csrf_of, login

ROOT = Path(__file__).parents[2]
DE_LINDE_VARIANT = ROOT / "docs" / "examples" / "gedrag-de-linde.yaml"
GEDRAG = "grensoverschrijdend-gedrag"
runner = CliRunner()


def principal(app: App, username: str) -> Principal:
    found = app.engine.users.principal(username)
    assert found is not None
    return found


def load_variant(app: App, text: str | None = None, scope: str = "de-linde") -> str:
    engine = app.engine
    if text is None:
        protocol = load_protocol_file(DE_LINDE_VARIANT, engine.services.stored_base)
    else:
        protocol = load_protocol_text(text, "variant.yaml", engine.services.stored_base)
    stored, _ = engine.protocols.load(OPERATOR, protocol, scope=scope)
    return stored.id


# --- 6. the first run ----------------------------------------------------------------------


def demo(url: str, *args: str) -> str:
    result = runner.invoke(cli_app, ["--db", url, "demo", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_a_second_demo_run_prints_the_logins_again_at_the_port_served(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    first = demo(url, "--port", "8123")
    again = demo(url, "--port", "8124", "--host", "0.0.0.0")
    assert "inloggen op http://127.0.0.1:8123/ als" in first
    assert "inloggen op http://0.0.0.0:8124/ als" in again and "8000" not in again
    for username, name, _ in USERS:
        line = re.compile(rf"^  {re.escape(username)}\s+{DEMO_PASSWORD}\s+{re.escape(name)}$", re.MULTILINE)
        assert line.search(first) and line.search(again), username
    assert "nieuwe voorbeeldzaken: 0" in again  # nothing was made twice


def test_the_demo_prints_no_password_that_is_not_the_demos(tmp_path: Path) -> None:
    """A demo account whose password was changed (by its user, or it is somebody real by now)
    is not printed: trede never knows a password, it prints the demo's only where it still works."""
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    demo(url)
    with make_engine(url).begin() as conn:  # as a password change would leave it
        conn.execute(text("UPDATE users SET password_hash = :h WHERE username = 'juf.anna'"), {"h": PasswordHasher().hash("haar-eigen-wachtwoord")})
    shown = demo(url)
    assert "juf.anna" not in shown and "haar-eigen-wachtwoord" not in shown
    assert re.search(rf"^  mr\.jan\s+{DEMO_PASSWORD}\s", shown, re.MULTILINE)


def test_the_english_login_and_logout_addresses_lead_to_the_dutch_pages(web: TestClient) -> None:
    assert web.get("/login", follow_redirects=False).headers["location"] == "/inloggen"
    onward = web.get("/login?next=/zaken/nieuw", follow_redirects=False)
    assert onward.status_code == 303 and onward.headers["location"] == "/inloggen?next=/zaken/nieuw"
    assert web.get("/login?next=//elders.example/", follow_redirects=False).headers["location"] == "/inloggen?next=/"
    assert "Gebruikersnaam" in web.get("/login").text
    login(web, "juf.anna")
    away = web.get("/logout", follow_redirects=False)
    assert away.status_code == 303 and away.headers["location"] == "/"
    # a link does not log anyone out (another site could link to it): the session still holds
    assert "Uitloggen" in web.get("/").text


# --- 5. the new-case form after a refusal --------------------------------------------------


def test_a_refused_new_case_keeps_the_pupil_and_the_date_with_one_message(app: App, web: TestClient) -> None:
    login(web, "juf.anna")
    form = {
        "csrf": csrf_of(web, "/zaken/nieuw"),
        "protocol": GEDRAG,
        "school": "de-linde",
        "groep": "5a",
        "leerling": "Leerling-Zwaan",
        "datum": "31-02-2026",
    }
    refused = web.post("/zaken/nieuw", data=form, follow_redirects=False)
    assert refused.status_code == 422
    [alert] = re.findall(r'<p class="error" role="alert" id="fout">([^<]*)</p>', refused.text)
    assert alert == "Datum van het voorval: &#39;31-02-2026&#39; is geen datum; schrijf dag-maand-jaar, bijvoorbeeld 23-11-2026"
    assert 'value="Leerling-Zwaan"' in refused.text and 'value="31-02-2026"' in refused.text
    assert re.search(r'<input id="datum"[^>]*aria-invalid="true"', refused.text)
    assert re.search(r'<option value="5a" selected>', refused.text)
    nothing = app.engine.reads.search(principal(app, "juf.anna"), "Leerling-Zwaan")
    assert nothing == []
    # corrected, it opens
    opened = web.post("/zaken/nieuw", data={**form, "datum": ""}, follow_redirects=False)
    assert opened.status_code == 303 and opened.headers["location"].startswith("/zaken/")


def test_a_missing_pseudonym_is_said_once(web: TestClient) -> None:
    login(web, "juf.anna")
    form = {"csrf": csrf_of(web, "/zaken/nieuw"), "protocol": GEDRAG, "school": "de-linde", "datum": "01-03-2026"}
    refused = web.post("/zaken/nieuw", data={**form, "leerling": "  "})
    [alert] = re.findall(r'role="alert" id="fout">([^<]*)<', refused.text)
    assert alert == "Pseudoniem van de leerling (of melder): vul een pseudoniem in (nooit een volledige naam)"
    assert 'value="01-03-2026"' in refused.text


# --- 5. the protocols a school is offered --------------------------------------------------


def test_at_a_school_with_its_own_variant_only_the_variant_is_offered(app: App) -> None:
    load_variant(app)
    offered = {o.stored.id: o.schools for o in app.engine.protocols.openable(principal(app, "juf.anna"))}
    assert offered.get("gedrag-de-linde") == ["de-linde"] and GEDRAG not in offered
    elsewhere = {o.stored.id: o.schools for o in app.engine.protocols.openable(principal(app, "mr.jan"))}
    assert elsewhere.get(GEDRAG) == ["het-anker"] and "gedrag-de-linde" not in elsewhere
    # the board's bestuurder, at both schools: the variant at De Linde, the base at Het Anker
    board = {o.stored.id: o.schools for o in app.engine.protocols.openable(principal(app, "mevr.raad"))}
    assert board["gedrag-de-linde"] == ["de-linde"] and "het-anker" in board[GEDRAG] and "de-linde" not in board[GEDRAG]


def test_of_two_variants_of_one_protocol_for_a_school_the_newest_is_offered(app: App, web: TestClient) -> None:
    load_variant(app)
    newer = DE_LINDE_VARIANT.read_text(encoding="utf-8").replace("id: gedrag-de-linde", "id: gedrag-de-linde-2027", 1)
    newer = newer.replace("title: Stappenplan grensoverschrijdend gedrag (De Linde)", "title: Stappenplan De Linde 2027", 1)
    load_variant(app, newer)
    offered = [o.stored.id for o in app.engine.protocols.openable(principal(app, "juf.anna"))]
    assert "gedrag-de-linde-2027" in offered and "gedrag-de-linde" not in offered and GEDRAG not in offered
    login(web, "juf.anna")
    form = web.get("/zaken/nieuw").text
    assert "Stappenplan De Linde 2027" in form and 'value="gedrag-de-linde"' not in form and f'value="{GEDRAG}"' not in form


# --- 5. uploading a variant ------------------------------------------------------------------


TWO_PROBLEMS = (
    "id: gedrag-kapot\nversion: 1\nextends: {id: grensoverschrijdend-gedrag, version: 5}\n"
    "remedies:\n  bezwaar_verwijdering:\n    term:\n      after: 4 weken\n"
    "steps:\n  time_out:\n    timers:\n      - id: einde_time_out\n        after: 5 schooldagn\n"
)


def test_an_upload_with_two_problems_shows_both_with_their_lines(web: TestClient) -> None:
    login(web, "mevr.protocol")
    answer = web.post(
        "/protocollen/variant", data={"csrf": csrf_of(web, "/protocollen")}, files={"bestand": ("kapot.yaml", TWO_PROBLEMS.encode())}
    )
    assert answer.status_code == 422
    shown = re.findall(r"<li><code>([^<]*)</code></li>", answer.text)
    assert shown == [
        "kapot.yaml:7:14: 4 weken is korter dan de wettelijke ondergrens van 6 weken (Awb 6:7: de termijn voor bezwaar bedraagt zes weken)",
        "kapot.yaml:12:16: onbekende eenheid &#39;schooldagn&#39; in &#39;5 schooldagn&#39;; bekend: dagen, weken, maanden, jaren, werkdagen, schooldagen",
    ]
    assert "De variant is niet geladen (2 problemen)" in answer.text


def test_an_upload_with_many_problems_shows_the_first_twenty_and_counts_the_rest(web: TestClient) -> None:
    roles = "".join(f"  - trigger: t{n}\n    from: stap_1\n    roles: [rol_{n}]\n" for n in range(25))
    text = "id: veel\nversion: 1\ntitle: Veel\nsource: x\nroles: {a: {label: A}}\ninitial: stap_1\n"
    text += "steps:\n  stap_1: {label: Stap 1, final: true}\ntransitions:\n" + roles
    login(web, "mevr.protocol")
    answer = web.post(
        "/protocollen/variant", data={"csrf": csrf_of(web, "/protocollen")}, files={"bestand": ("veel.yaml", text.encode())}
    )
    shown = re.findall(r"<li><code>([^<]*)</code></li>", answer.text)
    assert len(shown) == 21 and all(re.match(r"veel\.yaml:\d+:\d+: ", s) for s in shown[:20])
    assert shown[-1].startswith("en nog ") and "problemen; los eerst de bovenstaande op" in shown[-1]


def test_the_command_line_reports_every_problem_of_a_file(tmp_path: Path) -> None:
    broken = tmp_path / "kapot.yaml"
    broken.write_text(TWO_PROBLEMS, encoding="utf-8")
    result = runner.invoke(cli_app, ["protocol", "validate", str(broken)])
    assert result.exit_code == ProtocolError.exit_code
    assert f"{broken}:7:14: 4 weken is korter dan de wettelijke ondergrens" in result.output
    assert f"{broken}:12:16: onbekende eenheid 'schooldagn'" in result.output


def test_an_uploaded_variant_is_proposed_and_loaded_once_a_second_person_approves(web: TestClient) -> None:
    """Uploading proposes (four eyes): one protocol owner alone cannot make a version count."""
    login(web, "mevr.protocol")
    upload = {"bestand": ("gedrag-de-linde.yaml", DE_LINDE_VARIANT.read_bytes())}
    proposed = web.post("/protocollen/variant", data={"csrf": csrf_of(web, "/protocollen"), "school": "de-linde"}, files=upload)
    assert proposed.status_code == 200 and proposed.url.path.startswith("/protocollen/voorstellen/")
    [notice] = re.findall(r'<p class="notice" role="status" id="melding">([^<]*)</p>', proposed.text)
    assert notice == "Voorstel ingediend; wacht op goedkeuring door een tweede persoon."
    assert "gedrag-de-linde" not in web.get("/protocollen").text.split("<h2>", 1)[0]  # not loaded
    page = proposed.url.path
    web.cookies.clear()
    login(web, "mevr.raad")
    approved = web.post(f"{page}/goedkeuren", data={"csrf": csrf_of(web, page)})
    assert "Goedgekeurd en gepubliceerd: gedrag-de-linde versie 1 geldt nu voor nieuwe zaken." in approved.text
    web.cookies.clear()
    login(web, "mevr.protocol")
    again = web.post("/protocollen/variant", data={"csrf": csrf_of(web, "/protocollen"), "school": "de-linde"}, files=upload)
    assert again.status_code == 422
    assert "deze tekst is al geladen als gedrag-de-linde versie 1, voor de-linde; er is niets voor te stellen" in again.text


# --- 5. the meldcode's step "Hulp bieden of organiseren" -----------------------------------


def at_help(app: App) -> str:
    """A meldcode case in the step "Hulp bieden of organiseren", reached through afweging 4."""
    smit = principal(app, "mevr.smit")
    engine = app.engine
    case_id = engine.cases.open(smit, "meldcode-hgkm", school="de-linde", subject="Leerling-Gors", role="aandachtsfunctionaris", group="5a").id
    steps: list[tuple[str, dict[str, str]]] = [
        ("consulteren", {"motivering": "signalen"}),
        ("gesprek_voeren", {}),
        ("wegen", {"motivering": "gewogen"}),
        ("afwegen", {}),
        (answer_trigger("afweging_1", "ja"), {"motivering": "vermoeden"}),
        (answer_trigger("afweging_2", "nee"), {"motivering": "geen acute onveiligheid"}),
        (answer_trigger("afweging_3", "ja"), {"motivering": "de school kan helpen"}),
        (answer_trigger("afweging_4", "ja"), {"motivering": "de ouders aanvaarden de hulp"}),
    ]
    for trigger, inputs in steps:
        engine.cases.fire(smit, case_id, trigger, role="aandachtsfunctionaris", inputs=inputs)
    return case_id


def test_in_hulp_bieden_the_form_that_records_the_evaluation_date_is_open(app: App, web: TestClient) -> None:
    case_id = at_help(app)
    login(web, "mevr.smit")
    page = web.get(f"/zaken/{case_id}?rol=aandachtsfunctionaris")
    actions = re.findall(r'<details class="action" id="actie-([^"]+)"( open)?', page.text)
    assert actions[0] == ("hulp_afspreken", " open"), actions
    assert [a for a, opened in actions if opened] == ["hulp_afspreken"]
    assert [a for a, _ in actions].index("hulp_evalueren") > 0
    # and its term, of zero days from a date not yet known, reads as the day itself
    assert "op de dag van afgesproken datum om de resultaten van de hulp te beoordelen" in page.text
    assert "0 dagen" not in page.text


def test_once_the_date_is_recorded_the_term_names_that_day(app: App, web: TestClient) -> None:
    case_id = at_help(app)
    smit = principal(app, "mevr.smit")
    app.engine.cases.fire(
        smit, case_id, "hulp_afspreken", role="aandachtsfunctionaris", inputs={"hulpafspraken": "wekelijks gesprek", "evaluatiedatum": "2026-06-03"}
    )
    login(web, "mevr.smit")
    page = web.get(f"/zaken/{case_id}?rol=aandachtsfunctionaris").text
    assert "op de dag van 3 juni 2026" in page and "0 dagen" not in page

