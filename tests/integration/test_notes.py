"""Notes and attachments, on SQLite and PostgreSQL: in the chain, checked by content,
erased on anonymisation with their hashes kept, and a changed file named on verification."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from api.bootstrap import App
from engine.attachments import MAX_BYTES
from engine.errors import CaseNotFound, InputError, PermissionDenied, ReportClosed
from engine.events import ERASED, EventType
from tests.integration.helpers import login, token_for
from tests.integration.test_tamper import guards_off
from tests.support import Driver as Trede
from tests.support import person

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
NOTE = "Gesprek met moeder van Leerling-N4: zij bevestigt het voorval."
IB = person("mevr.smit", "intern_begeleider", school="de-linde")


def zipped(members: dict[str, str]) -> bytes:
    """An office document is a ZIP; DOCX and ODT are their smallest recognisable forms."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in members.items():
            archive.writestr(name, content)
    return buffer.getvalue()


DOCX = {"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"}
ODT = {"mimetype": "application/vnd.oasis.opendocument.text", "content.xml": "<office:document-content/>"}


def open_case(trede: Trede) -> str:
    case = trede.open_case("proef-escalatie", school="de-linde", subject="Leerling-N4", actor="juf.anna", role="leerkracht")
    trede.fire(case.id, "melden", actor="juf.anna", role="leerkracht", inputs={"ernst": "licht"})
    return case.id


def test_a_note_and_an_attachment_join_the_chain_without_their_text(trede: Trede, db: Engine) -> None:
    case_id = open_case(trede)
    notes = trede.engine.notes
    notes.add_note(IB, case_id, NOTE)
    after = notes.attach(IB, case_id, name="C:\\scans\\oeps-formulier.pdf", content=PDF, description="OEPS, ondertekend")
    events = trede.events(case_id)
    note, attachment = events[-2], events[-1]
    assert (note.type, attachment.type) == (EventType.NOTE, EventType.ATTACHMENT)
    assert note.data["note"] == NOTE and attachment.data["file_name"] == "oeps-formulier.pdf"
    assert attachment.data["sha256"] == hashlib.sha256(PDF).hexdigest()
    assert attachment.data["media_type"] == "application/pdf" and attachment.data["size"] == len(PDF)
    assert after.step == "onderzoek" and after.seq == 4  # a note moves nothing
    with db.connect() as conn:
        records = " ".join(conn.execute(text("SELECT record FROM events WHERE case_id = :c"), {"c": case_id}).scalars())
    assert "moeder" not in records and "oeps-formulier" not in records and "ondertekend" not in records
    assert hashlib.sha256(PDF).hexdigest() in records  # the file's hash is in the chain itself
    assert trede.verify(case_id).ok
    opened = notes.attachment(IB, case_id, attachment.seq)
    assert opened.content == PDF and opened.download_name == "oeps-formulier.pdf"


@pytest.mark.parametrize(
    ("name", "content", "kind"),
    [
        ("verslag.docx", zipped(DOCX), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
        ("verslag.odt", zipped(ODT), "application/vnd.oasis.opendocument.text"),
        ("foto.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 64, "image/jpeg"),
        ("scan.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png"),
        ("telefoon.txt", b"Gebeld met vader, 9.15 uur.", "text/plain"),
    ],
)
def test_a_file_is_known_by_its_content(trede: Trede, name: str, content: bytes, kind: str) -> None:
    case_id = open_case(trede)
    trede.engine.notes.attach(IB, case_id, name=name, content=content)
    assert trede.events(case_id)[-1].data["media_type"] == kind


@pytest.mark.parametrize(
    ("name", "content", "said"),
    [
        ("factuur.pdf", b"MZ\x90\x00\x03" + b"\x00" * 100, "dit soort bestand kan niet"),  # a program named .pdf
        ("leeg.pdf", b"", "leeg"),
        ("groot.pdf", b"%PDF-" + b"0" * MAX_BYTES, "te groot"),
        ("archief.zip", b"PK\x03\x04" + b"\x00" * 40, "dit soort bestand kan niet"),
        ("", PDF, "kies een bestand"),
    ],
)
def test_a_file_that_is_not_allowed_is_refused_and_nothing_is_recorded(
    trede: Trede, name: str, content: bytes, said: str
) -> None:
    case_id = open_case(trede)
    before = len(trede.events(case_id))
    with pytest.raises(InputError, match=said):
        trede.engine.notes.attach(IB, case_id, name=name, content=content)
    assert len(trede.events(case_id)) == before


def test_only_those_acting_in_the_case_add_to_it(trede: Trede) -> None:
    case_id = open_case(trede)
    auditor = person("dhr.audit", "auditor")
    with pytest.raises(PermissionDenied):
        trede.engine.notes.add_note(auditor, case_id, "mag niet")
    with pytest.raises(InputError, match="schrijf eerst"):
        trede.engine.notes.add_note(IB, case_id, "   ")


def test_anonymisation_erases_notes_and_files_but_keeps_their_hashes(trede: Trede, db: Engine) -> None:
    case_id = open_case(trede)
    trede.engine.notes.add_note(IB, case_id, NOTE)
    trede.engine.notes.attach(IB, case_id, name="brief.pdf", content=PDF)
    trede.fire(case_id, "afsluiten", actor="dhr.bos", role="directeur", inputs={"motivering": "gestopt"})
    trede.anonymise(case_id, actor="mevr.privacy", reason="bewaartermijn voorbij")
    events = trede.events(case_id)
    assert events[2].data["note"] == ERASED and events[3].data["file_name"] == ERASED
    assert events[3].data["sha256"] == hashlib.sha256(PDF).hexdigest()  # the hash outlives the file
    with db.connect() as conn:
        stored = conn.execute(text("SELECT content, sha256 FROM attachments WHERE case_id = :c"), {"c": case_id}).one()
    assert bytes(stored.content) == b"" and stored.sha256 == hashlib.sha256(PDF).hexdigest()
    assert trede.verify(case_id).ok
    with pytest.raises(InputError, match="geanonimiseerd"):
        trede.engine.notes.add_note(IB, case_id, "nog iets")


def test_a_stored_file_cannot_be_changed_or_removed(trede: Trede, db: Engine) -> None:
    case_id = open_case(trede)
    trede.engine.notes.attach(IB, case_id, name="brief.pdf", content=PDF)
    for statement in (
        "UPDATE attachments SET content = :x WHERE case_id = :c",
        "UPDATE attachments SET sha256 = 'x' WHERE case_id = :c",
        "DELETE FROM attachments WHERE case_id = :c",
    ):
        with pytest.raises(DBAPIError, match="trede"), db.begin() as conn:
            conn.execute(text(statement), {"c": case_id, "x": b"%PDF-vervalst"})
    assert trede.verify(case_id).ok


@pytest.mark.parametrize(
    "attack",
    [
        "UPDATE attachments SET content = :x WHERE case_id = :c",  # another file in its place
        "UPDATE attachments SET content = :x, sha256 = :h WHERE case_id = :c",  # with a matching row hash
        "DELETE FROM attachments WHERE case_id = :c",
        "UPDATE attachments SET content = :e WHERE case_id = :c",  # 'erased' without an anonymisation
    ],
)
def test_a_file_changed_behind_the_guards_is_named(trede: Trede, db: Engine, attack: str) -> None:
    case_id = open_case(trede)
    trede.engine.notes.attach(IB, case_id, name="brief.pdf", content=PDF)
    forged = b"%PDF-1.4 vervalst"
    with guards_off(db) as conn:
        conn.execute(text(attack), {"c": case_id, "x": forged, "h": hashlib.sha256(forged).hexdigest(), "e": b""})
    result = trede.verify(case_id)
    assert not result.ok and result.problem == "bijlage bij gebeurtenis 3 ontbreekt of is gewijzigd"
    assert [r.case_id for r in trede.verify_all() if not r.ok] == [case_id]


# --- on the web -------------------------------------------------------------------------


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found
    return found.group(1)


def test_on_the_case_page_a_refused_note_keeps_its_text_and_a_file_comes_back_as_sent(
    app: App, web: TestClient, trede: Trede
) -> None:
    case = app.engine.cases.open(
        app.engine.users.principal("juf.anna"), "grensoverschrijdend-gedrag", school="de-linde", subject="Leerling-W8", group="5a"  # type: ignore[arg-type]
    )
    assert login(web, "mevr.smit", "trede-demo") == "/"
    page = web.get(f"/zaken/{case.id}").text
    long = "Verslag van het gesprek. " * 1000  # 25,000 characters: over the limit of 20,000
    refused = web.post(f"/zaken/{case.id}/notities", data={"csrf": csrf_of(page), "notitie": long, "datum": "3-3-2026"})
    assert refused.status_code == 422
    assert "Notitie: te lang (25000 tekens; ten hoogste 20000)" in refused.text
    assert long.strip() in refused.text.replace("&#39;", "'") and 'value="3-3-2026"' in refused.text
    assert '<details class="action" id="notitie-toevoegen" open>' in refused.text
    web.post(f"/zaken/{case.id}/notities", data={"csrf": csrf_of(page), "notitie": "Kort gesprek gevoerd."})
    sent = web.post(
        f"/zaken/{case.id}/bijlagen",
        data={"csrf": csrf_of(page), "omschrijving": "gescand"},
        files={"bestand": ("oeps.pdf", PDF, "application/pdf")},
        follow_redirects=False,
    )
    assert sent.status_code == 303
    shown = web.get(f"/zaken/{case.id}").text
    assert "Kort gesprek gevoerd." in shown and "oeps.pdf" in shown and hashlib.sha256(PDF).hexdigest() in shown
    seq = int(re.search(rf'/zaken/{case.id}/bijlagen/(\d+)"', shown).group(1))  # type: ignore[union-attr]
    download = web.get(f"/zaken/{case.id}/bijlagen/{seq}")
    assert download.content == PDF and download.headers["content-type"] == "application/pdf"
    assert "attachment" in download.headers["content-disposition"] and "sandbox" in download.headers["content-security-policy"]
    dossier = zipfile.ZipFile(io.BytesIO(web.get(f"/audit/zaken/{case.id}/dossier.zip").content))
    names = dossier.namelist()
    assert f"bijlagen/{seq:03d}-oeps.pdf" in names and dossier.read(f"bijlagen/{seq:03d}-oeps.pdf") == PDF
    sums = dict(line.split("  ")[::-1] for line in dossier.read("SHA256SUMS").decode().splitlines())
    assert all(hashlib.sha256(dossier.read(name)).hexdigest() == digest for name, digest in sums.items())
    # another school's teacher does not find the file
    web.post("/uitloggen", data={"csrf": csrf_of(shown)})
    assert login(web, "mr.jan", "trede-demo") == "/"
    assert web.get(f"/zaken/{case.id}/bijlagen/{seq}").status_code == 404


def test_a_body_too_large_gets_a_dutch_page(web: TestClient) -> None:
    assert login(web, "mevr.smit", "trede-demo") == "/"
    response = web.post("/zaken/x/acties/melden", content=b"a=" + b"x" * 2_100_000,
                        headers={"content-type": "application/x-www-form-urlencoded"})
    assert response.status_code == 413 and response.headers["content-type"].startswith("text/html")
    assert "te groot" in response.text and 'lang="nl"' in response.text
    too_many = web.post("/zaken/x/acties/melden", data={f"veld{i}": "x" for i in range(80)})
    assert too_many.status_code == 400 and "te veel velden" in too_many.text and "<html" in too_many.text


def test_a_melder_sees_their_own_notes_but_not_the_handlers(app: App) -> None:
    engine = app.engine
    melder = person("zq.melder", "melder", school="het-anker")
    vp = app.engine.users.principal("mevr.vp")
    assert vp is not None
    case = engine.cases.open(
        melder,
        "klokkenluidersregeling-2016",
        school="het-anker",
        subject="Melder-Q1",
        role="melder",
        inputs={"kanaal": "vertrouwenspersoon", "betreft": "niemand"},
    )
    engine.notes.add_note(melder, case.id, "Ik heb nog een e-mail gevonden.")
    engine.notes.add_note(vp, case.id, "Interne inschatting: ernstig.")
    engine.notes.attach(vp, case.id, name="inschatting.txt", content=b"Intern stuk")
    seen = engine.reads.detail(melder, case.id).events
    own, theirs, file = seen[-3], seen[-2], seen[-1]
    assert own.data["note"] == "Ik heb nog een e-mail gevonden."
    assert theirs.data == {"internal": True} and file.data == {"internal": True}
    assert "Interne inschatting" not in str(engine.reads.dossier(melder, case.id).to_dict())
    with pytest.raises(CaseNotFound):
        engine.notes.attachment(melder, case.id, file.seq)
    assert engine.reads.detail(vp, case.id).events[-2].data["note"] == "Interne inschatting: ernstig."


def test_the_api_adds_a_note_and_a_file_and_hands_the_file_back_with_its_hash(app: App, web: TestClient) -> None:
    auth = token_for(app, "mevr.smit")
    anna = app.engine.users.principal("juf.anna")
    assert anna is not None
    case = app.engine.cases.open(anna, "grensoverschrijdend-gedrag", school="de-linde", subject="Leerling-A9", group="5a")
    note = web.post(f"/api/v1/cases/{case.id}/notes", json={"text": "Telefoon met vader."}, headers=auth)
    assert note.status_code == 201 and note.json()["type"] == "note_added" and note.json()["data"]["note"] == "Telefoon met vader."
    sent = web.post(
        f"/api/v1/cases/{case.id}/attachments",
        files={"file": ("brief.pdf", PDF, "application/pdf")},
        data={"description": "getekend"},
        headers=auth,
    )
    assert sent.status_code == 201 and sent.json()["data"]["sha256"] == hashlib.sha256(PDF).hexdigest()
    got = web.get(f"/api/v1/cases/{case.id}/attachments/{sent.json()['seq']}", headers=auth)
    assert got.content == PDF and got.headers["x-trede-sha256"] == hashlib.sha256(PDF).hexdigest()
    refused = web.post(
        f"/api/v1/cases/{case.id}/attachments", files={"file": ("x.pdf", b"MZ\x00\x01", "application/pdf")}, headers=auth
    )
    assert refused.status_code == 422 and refused.json()["field"] == "bestand"
    assert "dit soort bestand" in refused.json()["detail"]


def test_an_access_request_export_holds_the_notes_about_the_pupil_without_other_pupils(trede: Trede) -> None:
    case_id = open_case(trede)
    other = trede.open_case("proef-escalatie", school="de-linde", subject="Leerling-Z2", actor="juf.anna", role="leerkracht")
    assert other.subject == "Leerling-Z2"
    trede.engine.notes.add_note(IB, case_id, "Leerling-N4 en Leerling-Z2 kregen ruzie op het plein.")
    trede.engine.notes.attach(IB, case_id, name="verslag Leerling-Z2.txt", content=b"Verslag")
    export = trede.engine.access_requests.export(person("dhr.privacy", "privacyfunctionaris"), "Leerling-N4")
    [zaak] = export["zaken"]
    note, attachment = zaak["gebeurtenissen"][-2], zaak["gebeurtenissen"][-1]
    assert note["wat"] == "Notitie" and note["notitie"] == "Leerling-N4 en [andere leerling] kregen ruzie op het plein."
    assert attachment["bijlage"]["naam"] == "verslag [andere leerling].txt"
    assert zaak["gebeurtenissen"][1]["wat"] == "Melding vastleggen" and "Ernst van het incident" in zaak["gebeurtenissen"][1]["invoer"]


def test_a_melder_with_an_account_adds_nothing_after_the_school_closed_the_conversation(app: App, web: TestClient) -> None:
    """As the meldpunt's own messages: once the school closed the report, its melder writes
    no note and adds no file, through the engine or the API; the handlers still may."""
    engine = app.engine
    melder = person("zq.melder", "melder", school="de-linde")
    ib = app.engine.users.principal("mevr.smit")
    assert ib is not None
    case = engine.cases.open(
        melder,
        "meldpunt",
        school="de-linde",
        subject="Melder-Q2",
        role="melder",
    )
    engine.cases.fire(melder, case.id, "melden", inputs={"beschrijving": "Ze pakken mijn tas af."})
    engine.notes.add_note(melder, case.id, "Het gebeurde weer.")  # while the conversation is open
    closed = engine.cases.fire(ib, case.id, "afsluiten", inputs={"motivering": "afgehandeld"})
    assert closed.closed
    recorded = len(engine.reads.events(ib, case.id))
    with pytest.raises(ReportClosed):
        engine.notes.add_note(melder, case.id, "Nog één ding.")
    with pytest.raises(ReportClosed):
        engine.notes.attach(melder, case.id, name="foto.txt", content=b"nog een foto")
    assert len(engine.reads.events(ib, case.id)) == recorded  # nothing recorded
    engine.notes.add_note(ib, case.id, "Nagekomen telefoongesprek met de ouders.")  # the school still may
    assert len(engine.reads.events(ib, case.id)) == recorded + 1
