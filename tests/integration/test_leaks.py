"""No protected identity leaves unmasked, whatever the route.

Whistleblower cases under both bundled regulations and a meldplicht case carry sentinel
pseudonyms and are reported by users with sentinel names; every letter and export they
allow is made. Then every demo user, and a second melder, requests every route of the
application's own route table (so a route added later is covered), with the path filled
with real ids. No sentinel may appear in any body (PDF text included) or header for a user
who may not know it; and every response that reveals a case wrote an access-log row.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import product

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import Engine, text

from api.bootstrap import App
from api.demo import USERS, load_bundled, seed_accounts
from api.web import create_app, route_table
from engine.access import Membership, Principal
from tests.integration.helpers import FAST_HASHER, login
from tests.support import Driver

PASSWORD = "een-lang-wachtwoord"
# Who may know each sentinel: the roles the protocol names (identity) or who may open the case.
OPENING = {"kanaal": "vertrouwenspersoon", "betreft": "niemand"}  # the 2016 report: via the vertrouwenspersoon
REGELING = ("Melder-Zq7x-Regeling", "zq7x.regeling")  # 2016 model regulation: vertrouwenspersoon only
WBK = ("Melder-Zq7x-Wbk", "zq7x.wbk")  # Wbk: behandelaar and vertrouwenspersoon
PLICHT = ("Leerling-Zq7x-Plicht", "zq7x.medewerker")  # meldplicht: bevoegd gezag, auditor
# The meldpunt: a report at De Linde with the reporter's contact details (no account; the
# second value is a phone number only they gave): only the intern begeleider may know them.
MELDPUNT = ("Zq7x Meldpuntmelder", "06-zq7x-4411")
ENTITLED = {
    REGELING: {"mevr.vp"},
    WBK: {"mevr.vp", "mevr.raad"},
    PLICHT: {"mevr.raad", "dhr.audit"},
    MELDPUNT: {"mevr.smit"},
}
SECOND_MELDER = "zq7x.tweede"
VIEWERS = [u for u, _, _ in USERS] + [SECOND_MELDER]


@dataclass
class World:
    app: App
    db: Engine
    cases: dict[str, tuple[str, str]] = field(default_factory=dict)  # case id -> its sentinel pair
    protocols: dict[str, str] = field(default_factory=dict)  # case id -> its protocol


def principal(app: App, username: str) -> Principal:
    found = app.engine.users.principal(username)
    assert found is not None
    return found


@pytest.fixture
def world(trede: Driver, db: Engine) -> World:
    engine = trede.engine
    load_bundled(engine)
    app = App(engine=engine, db=db, password_hasher=FAST_HASHER)
    seed_accounts(app.engine)
    for username, role in (
        ("zq7x.regeling", "melder"),
        ("zq7x.wbk", "melder"),
        ("zq7x.medewerker", "medewerker"),
        (SECOND_MELDER, "melder"),
    ):
        app.engine.users.add(username, username, "b", PASSWORD, [Membership(role, "het-anker")])
    vp, raad = principal(app, "mevr.vp"), principal(app, "mevr.raad")
    world = World(app, db)

    def reported(protocol: str, pair: tuple[str, str], role: str = "melder") -> str:
        opening = {"klokkenluidersregeling-2016": OPENING, "klokkenluiders-wbk-2023": {"betreft": "niemand"}}.get(protocol, {})
        case = engine.cases.open(
            principal(app, pair[1]), protocol, school="het-anker", subject=pair[0], role=role, inputs=opening
        )
        world.cases[case.id] = pair
        world.protocols[case.id] = protocol
        return case.id

    # 2016: refused investigation, with its letter; the vertrouwenspersoon's note repeats the name
    refused = reported("klokkenluidersregeling-2016", REGELING)
    recorded = {"ontvangen_op": "2026-03-02", "afschrift_verstrekt": "ja"}
    engine.cases.fire(vp, refused, "vastleggen", inputs=recorded)
    engine.cases.fire(raad, refused, "geen_onderzoek", inputs={"motivering": "geen redelijke gronden"})
    engine.cases.letter(vp, refused, "weigering_onderzoek")
    # the handlers' own notes and files name the melder; a file cannot be redacted
    engine.notes.add_note(vp, refused, f"Gesprek met {REGELING[0]} ({REGELING[1]}) gevoerd.")
    engine.notes.attach(
        vp, refused, name=f"verslag-{REGELING[0]}.txt", content=f"Verslag: {REGELING[0]}".encode(), description=REGELING[1]
    )
    # 2016: standpunt, disputed by the melder, who reports externally himself
    disputed = reported("klokkenluidersregeling-2016", REGELING)
    engine.cases.fire(vp, disputed, "vastleggen", inputs=recorded)
    engine.cases.fire(raad, disputed, "onderzoek_instellen", inputs={"onderzoeker": "extern bureau"})
    engine.cases.fire(raad, disputed, "standpunt_geven", inputs={"standpunt": "geen misstand"})
    engine.cases.letter(vp, disputed, "standpunt")
    engine.cases.fire(
        vp,
        disputed,
        "reactie_vastleggen",
        inputs={"reactie_melder": f"{REGELING[0]} is het er niet mee eens", "standpunt_betwist": "ja"},
    )
    engine.cases.fire(principal(app, REGELING[1]), disputed, "extern_melden", inputs={"motivering": "betwist"})
    # Wbk: received and confirmed, with the confirmation letter
    wbk = reported("klokkenluiders-wbk-2023", WBK)
    engine.cases.fire(raad, wbk, "ontvangst_registreren", role="behandelaar", inputs={"ontvangen_op": "2026-03-02"})
    engine.cases.fire(raad, wbk, "bevestiging_versturen", role="behandelaar", inputs={"bevestiging_verzonden_op": "2026-03-02"})
    engine.cases.letter(raad, wbk, "ontvangstbevestiging", role="behandelaar")
    engine.notes.attach(raad, wbk, name="melding.txt", content=f"Melding van {WBK[0]}".encode(), role="behandelaar")
    # meldplicht: a staff member reports to the bevoegd gezag
    plicht = reported("meldplicht-misbruik", PLICHT, role="medewerker")
    engine.cases.fire(principal(app, PLICHT[1]), plicht, "melden_bij_bevoegd_gezag", inputs={"motivering": "gezien"})
    # the meldpunt: a non-anonymous report with contact details, acknowledged and handed over
    from engine.usecases.meldpunt import PublicReport

    contact = f"{MELDPUNT[0]}, {MELDPUNT[1]}"
    inputs = {"beschrijving": "Ze pakken mijn tas af.", "anoniem": "nee", "contact_melder": contact}
    receipt = engine.meldpunt.report(PublicReport("de-linde", inputs))
    world.cases[receipt.case_id] = MELDPUNT
    world.protocols[receipt.case_id] = "meldpunt"
    ib = principal(app, "mevr.smit")
    engine.cases.fire(ib, receipt.case_id, "ontvangst_bevestigen", inputs={"bericht_aan_melder": "Ontvangen, dank je."})
    engine.notes.add_note(ib, receipt.case_id, f"Gebeld met {contact}.")
    engine.meldpunt.write(receipt.code, "", "Het gebeurde weer.")
    engine.timers.run()
    return world


def forbidden_for(username: str) -> list[str]:
    return [s for pair, people in ENTITLED.items() if username not in people for s in pair]


def readable(body: bytes, content_type: str) -> str:
    """What a person could read in a response: its text, a PDF's extracted text, and
    everything inside a ZIP (its names and members, read the same way)."""
    shown = body.decode("utf-8", "replace")
    if content_type.startswith("application/pdf") or body.startswith(b"%PDF-"):
        shown += "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    if content_type.startswith("application/zip"):
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            for name in archive.namelist():
                shown += "\n" + name + "\n" + readable(archive.read(name), "")
    return shown.lower()


def access_rows(world: World, username: str) -> dict[str, int]:
    """A user's rows per case: in the access log, and (a melder's views of their own
    report) in the melders' log under the keyed commitment of their name."""
    services = world.app.engine.services
    with services.uow(write=True) as uow:
        reader = services.reader(uow, username)
        uow.commit()
    found: dict[str, int] = {}
    with world.db.connect() as conn:
        for table, column, who in (("access_log", "username", username), ("reporter_access_log", "reader", reader)):
            rows = conn.execute(
                text(f"SELECT case_id, count(*) FROM {table} WHERE {column} = :u GROUP BY case_id"), {"u": who}
            )
            for case_id, n in rows:
                found[case_id] = found.get(case_id, 0) + int(n)
    return found


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    template: str
    case_id: str | None


def requests_for(web_app: object, world: World, feed_token: str) -> Iterator[Request]:
    """Every route of the application's own table, its path filled with real ids."""
    engine = world.app.engine
    protocols = [p.id for p in engine.protocols.list()]
    letters: dict[str, list[str]] = {}
    for case_id, protocol_id in world.protocols.items():
        letters[case_id] = sorted(engine.protocols.get(protocol_id).protocol.spec.letters) or ["geen"]
    fillers = {
        "case_id": list(world.cases),
        "protocol_id": protocols,
        "kind": ["pdf", "html"],
        "trigger": ["extern_melden", "identiteit_vrijgeven", "vastleggen"],
        "index": [str(i) for i in range(7)],
        "seq": [str(i) for i in range(1, 12)],
        "school": ["de-linde", "het-anker"],
        "token": [feed_token],
    }
    routes = route_table(web_app)  # type: ignore[arg-type]
    routes.sort(key=lambda r: r.path == "/uitloggen")  # logging out last
    for route in routes:
        names = re.findall(r"{(\w+)}", route.path)
        for method in sorted(route.methods - {"HEAD"}):
            for case_id in fillers["case_id"] if "case_id" in names else [None]:
                options = [
                    letters[case_id] if n == "name" and case_id else fillers.get(n, ["x"])
                    for n in names
                    if n != "case_id"
                ]
                for values in product(*options):
                    filled = dict(zip([n for n in names if n != "case_id"], values, strict=True))
                    if case_id:
                        filled["case_id"] = case_id
                    path = route.path
                    for name, value in filled.items():
                        path = path.replace("{" + name + "}", value)
                    if route.path.startswith("/privacy/inzage"):
                        path += "?leerling=Leerling-Onbekend"
                    yield Request(method, path, route.path, case_id)


def send(client: TestClient, request: Request, csrf: str) -> object:
    if request.method == "GET":
        return client.get(request.path, follow_redirects=False)
    if request.path.startswith("/api/"):
        body: dict[str, object] = {"trigger": "extern_melden"}
        if request.path == "/api/v1/cases":
            body = {"protocol": "klokkenluidersregeling-2016", "school": "het-anker", "subject": "Leerling-Nieuw"}
        return client.post(request.path, json=body, follow_redirects=False)
    files = {"bestand": ("v.yaml", b"id: v\n")} if request.path.endswith("/variant") else None
    return client.post(request.path, data={"csrf": csrf, "rol": "", "code": "000000"}, files=files, follow_redirects=False)


def test_no_route_reveals_a_protected_identity_and_every_view_is_logged(world: World) -> None:
    web_app = create_app(world.app)
    clients = {}
    for username in VIEWERS:  # log everyone in first: the bad codes below count against this client
        client = TestClient(web_app, base_url="https://testserver")
        assert login(client, username, PASSWORD if username.startswith("zq7x") else "trede-demo") == "/"
        clients[username] = client
    seen_by_entitled: set[str] = set()
    checked = 0
    for username, client in clients.items():
        forbidden = [s.lower() for s in forbidden_for(username)]
        allowed = [s.lower() for pair, people in ENTITLED.items() if username in people for s in pair]
        csrf = re.search(r'name="csrf" value="([^"]+)"', client.get("/agenda").text)
        assert csrf, username
        feed = world.app.engine.tokens.create_feed(username)
        for request in requests_for(web_app, world, feed):
            before = access_rows(world, username)
            response = send(client, request, csrf.group(1))
            status = response.status_code  # type: ignore[attr-defined]
            assert status < 500, (username, request)
            shown = readable(response.content, response.headers.get("content-type", ""))  # type: ignore[attr-defined]
            headers = str(dict(response.headers)).lower()  # type: ignore[attr-defined]
            leaked = [s for s in forbidden if s in shown or s in headers]
            assert not leaked, (username, request.method, request.path, leaked)
            seen_by_entitled |= {s for s in allowed if s in shown}
            if status == 200:
                after = access_rows(world, username)
                revealed = {c for c in world.cases if c in shown} | ({request.case_id} if request.case_id else set())
                unlogged = [c for c in revealed if after.get(c, 0) <= before.get(c, 0)]
                assert not unlogged, (username, request.method, request.path, "no access-log row")
            checked += 1
    # the search itself works: those entitled do get to see every sentinel somewhere
    assert seen_by_entitled == {s.lower() for pair in ENTITLED for s in pair}
    assert checked > 1000
    print(f"\nleak test: {checked} requests, {len(route_table(web_app))} routes, {len(VIEWERS)} users")


def test_the_dossier_zip_holds_the_files_and_letters_only_for_who_may_know_the_melder(world: World) -> None:
    [refused] = [c for c, pair in world.cases.items() if pair == REGELING][:1]
    web_app = create_app(world.app)
    contents = {}
    for username, password in (("mevr.vp", "trede-demo"), ("mevr.raad", "trede-demo")):
        client = TestClient(web_app, base_url="https://testserver")
        assert login(client, username, password) == "/"
        response = client.get(f"/audit/zaken/{refused}/dossier.zip")
        assert response.status_code == 200
        contents[username] = zipfile.ZipFile(io.BytesIO(response.content)).namelist()
    assert any(n.startswith("brieven/") and "weigering_onderzoek" in n for n in contents["mevr.vp"])
    assert any(n.startswith("bijlagen/") for n in contents["mevr.vp"])
    # the bestuurder handles the case but may not know the melder: no files, no letters
    assert not any(n.startswith(("brieven/", "bijlagen/")) for n in contents["mevr.raad"])
