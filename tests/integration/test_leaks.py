"""No protected identity leaves unmasked, whatever the route.

Whistleblower cases under both bundled regulations and a meldplicht case carry sentinel
pseudonyms and are reported by users with sentinel names; every letter and export they
allow is made. A voice message on the meldpunt carries sentinel bytes inside the recording,
and incidents at De Linde (a quick record sent as the phone's queue sends it, and a serious
incident with its report case and letter) name sentinel pupils (issue 29). Then every demo
user, and a second melder, requests every route of the application's own route table (so a
route added later is covered), with the path filled with real ids. No sentinel may appear in
any body (raw bytes, text, PDF text, ZIP members) or header for a user who may not know it;
every response that reveals a case wrote an access-log row, and every response that shows
an incident's pupil wrote an ``incident:<id>`` row.
"""

from __future__ import annotations

import io
import re
import uuid
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from itertools import product

import pytest
from fastapi.testclient import TestClient
from pypdf import PdfReader
from sqlalchemy import Engine, text

from api.bootstrap import App
from api.demo import BOARD, CATEGORIES, USERS, load_bundled, seed_accounts
from api.web import create_app, route_table
from engine.access import OPERATOR, Membership, Principal
from engine.events import EventType
from engine.pupils import Roster, RosterPupil
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
# A voice message on De Linde's meldpunt (voice only): the sentinels are bytes inside the
# recording, after the WebM header the type check reads. Only roles that may open the
# report's files hear it: the intern begeleider (not the directeur, nor the auditor).
VOICE = ("Zq7x-Stem-Opname", "zq7x-spraak-8813")
WEBM = b"\x1aE\xdf\xa3\x9fB\x86\x81\x01B\xf7\x81\x01B\xf2\x81\x04B\xf3\x81\x08B\x82\x84webmB\x87\x81\x04B\x85\x81\x02"
VOICE_AUDIO = WEBM + b"\x00" * 32 + VOICE[0].encode() + b"\x00\x9f\x81" + VOICE[1].encode() + b"\x00" * 32
# Incidents at De Linde: the first pupil in a quick record juf.anna's phone sends (POST
# /snel/incidenten, linked to the meldpunt report later), the second in a serious incident the
# directeur records (the board switched the bill on: it opens a melding-ernstig-incident case,
# whose letter is made; it names no pupil, by design).
INCIDENT = ("Leerling-Zq7x-Snel", "Leerling-Zq7x-Ernstig")
# Who reads De Linde's incidents, per engine/usecases/incidents.py `_may_read`: whoever holds
# one of its STAFF roles there or board-wide (an allow-list), and the auditor. That is the
# leerkracht, intern begeleider and directeur at De Linde, the board-wide bestuurder and the
# auditor; not Het Anker's staff, the melders, the contactpersoon, the vertrouwenspersoon, the
# toezichthouder, the klachtencommissie, the protocol owner or the privacy officer.
INCIDENT_READERS = {"juf.anna", "mevr.smit", "dhr.bos", "mevr.raad", "dhr.audit"}
ENTITLED = {
    REGELING: {"mevr.vp"},
    WBK: {"mevr.vp", "mevr.raad"},
    PLICHT: {"mevr.raad", "dhr.audit"},
    MELDPUNT: {"mevr.smit"},
    VOICE: {"mevr.smit"},
    INCIDENT: INCIDENT_READERS,
}
INCIDENT_ROUTES = ("/incidenten", "/api/v1/incidents")
SECOND_MELDER = "zq7x.tweede"
VIEWERS = [u for u, _, _ in USERS] + [SECOND_MELDER]


@dataclass
class World:
    app: App
    db: Engine
    cases: dict[str, tuple[str, str]] = field(default_factory=dict)  # case id -> its sentinel pair
    protocols: dict[str, str] = field(default_factory=dict)  # case id -> its protocol
    incidents: dict[str, str] = field(default_factory=dict)  # incident id -> the pupil it names
    linked: set[str] = field(default_factory=set)  # case ids an incident refers to (linked, its report case)


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
    # a voice message only, disguised on the device, at De Linde
    voice = engine.meldpunt.report(PublicReport("de-linde", {}, audio=VOICE_AUDIO, disguised=True))
    world.cases[voice.case_id] = VOICE
    world.protocols[voice.case_id] = "meldpunt"
    assert any(e.type == EventType.ATTACHMENT for e in engine.reads.events(ib, voice.case_id))
    # incidents at De Linde: a quick record as the phone's queue sends it, linked to the report
    engine.incidents.load_categories(OPERATOR, CATEGORIES.read_text(encoding="utf-8"), CATEGORIES.name)
    # the phone offers (and trede takes) only a pupil of juf.anna's group in the register: the
    # sentinel pupil is in it while she records, and has left the school (off every pupil
    # list) before anyone looks; only the incident names them then
    sentinel = RosterPupil("9901", INCIDENT[0], "", "5a", 2)  # a surname-less roepnaam: shown as it is
    engine.pupils.import_roster(OPERATOR, "de-linde", Roster("2025-2026", ("5a",), (sentinel,)))
    with TestClient(create_app(app), base_url="https://testserver") as phone:
        assert login(phone, "juf.anna") == "/"
        csrf = phone.get("/snel/gegevens").json()["csrf"]
        tap = engine.clock.now() - timedelta(minutes=3)
        quick = {
            "key": str(uuid.uuid4()), "school": "de-linde", "pupil": INCIDENT[0], "part": "slachtoffer",
            "kind": "pesten", "place": "plein", "seriousness": "licht", "happened": tap.isoformat(),
        }
        sent = phone.post("/snel/incidenten", json=quick, headers={"X-CSRF-Token": csrf})
        assert sent.status_code == 201, sent.text
        world.incidents[sent.json()["id"]] = INCIDENT[0]
    engine.pupils.import_roster(OPERATOR, "de-linde", Roster("2025-2026", ("5a",), (RosterPupil("9902", "Vink", "Bos", "5a", 2),)))
    engine.pupils.confirm_departure(principal(app, "dhr.bos"), "de-linde", INCIDENT[0], engine.clock.now().date())
    engine.incidents.link(ib, sent.json()["id"], receipt.case_id)
    world.linked.add(receipt.case_id)
    # a serious incident, with the bill switched on: its report case and letter
    engine.incidents.switch_bill(raad, BOARD, True)
    bos = principal(app, "dhr.bos")
    serious = engine.incidents.record(
        bos, school="de-linde", kind="fysiek_geweld_letsel", place="gymzaal", seriousness="ernstig",
        happened=engine.clock.now(), involved=[(INCIDENT[1], "dader")],
    )
    world.incidents[serious.id] = INCIDENT[1]
    assert serious.report_case
    world.cases[serious.report_case] = INCIDENT
    world.linked.add(serious.report_case)
    world.protocols[serious.report_case] = "melding-ernstig-incident"
    engine.cases.letter(
        bos, serious.report_case, "melding_ernstig_incident", inputs={"ondertekenaar": "P. Bos", "functie_ondertekenaar": "directeur"}
    )
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
        "incident_id": list(world.incidents),
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
    heard: set[str] = set()  # sentinels found in an audio body
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
            content_type = response.headers.get("content-type", "")  # type: ignore[attr-defined]
            shown = readable(response.content, content_type)  # type: ignore[attr-defined]
            raw = response.content.lower()  # type: ignore[attr-defined]  # a recording is searched as bytes
            headers = str(dict(response.headers)).lower()  # type: ignore[attr-defined]
            leaked = [s for s in forbidden if s in shown or s.encode() in raw or s in headers]
            assert not leaked, (username, request.method, request.path, leaked)
            seen_by_entitled |= {s for s in allowed if s in shown or s.encode() in raw}
            if content_type.startswith("audio/"):
                heard |= {s for s in allowed if s.encode() in raw}
            if status == 200:
                after = access_rows(world, username)
                # an incident names the cases it is linked to (a reference, shown to every reader of
                # incidents, also one who cannot open the case): not a view of those cases
                referenced = world.linked if request.template.startswith(INCIDENT_ROUTES) else set()
                revealed = {c for c in world.cases if c in shown and c not in referenced}
                revealed |= {request.case_id} if request.case_id else set()
                # an incident is revealed where its pupil is shown: its `incident:<id>` row
                revealed |= {f"incident:{i}" for i, pupil in world.incidents.items() if pupil.lower() in shown}
                unlogged = [c for c in revealed if after.get(c, 0) <= before.get(c, 0)]
                assert not unlogged, (username, request.method, request.path, "no access-log row")
            checked += 1
    # the search itself works: those entitled do get to see every sentinel somewhere
    assert seen_by_entitled == {s.lower() for pair in ENTITLED for s in pair}
    assert heard == {s.lower() for s in VOICE}  # the voice message itself was searched, as bytes
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


def test_an_incident_names_only_the_linked_cases_its_reader_may_open(world: World) -> None:
    """A teacher reads her quick record, but not that it was linked to a meldpunt report she
    may not see: the incident names only the cases its reader may open."""
    quick = next(i for i, pupil in world.incidents.items() if pupil == INCIDENT[0])
    report = next(c for c in world.linked if world.protocols.get(c) != "melding-ernstig-incident")
    incidents = world.app.engine.incidents
    assert incidents.get(principal(world.app, "mevr.smit"), quick).cases == (report,)
    assert incidents.get(principal(world.app, "juf.anna"), quick).cases == ()
    assert report not in str(incidents.at_school(principal(world.app, "juf.anna"), "de-linde"))
