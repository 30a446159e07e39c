"""The access log betrays no melder (issue 22, item 3).

A member of staff who reported a misstand (melder in their own whistleblower reports) and
also teaches a group loads the start page and the API case list once. Those reads cover
both their reports and a case they see as leerkracht. The privacy officer and the auditor
read the access log: no row there may tie the melder's reads of their reports to the
teacher's named reads, by time, order, name, roles or anything else shown. The privacy
officer can still answer the melder's own access request, and the masked rows are covered
by the chain, the checkpoint and ``audit verify``.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from api.bootstrap import App
from api.demo import load_bundled, seed_accounts
from api.web import create_app
from engine.access import HIDDEN, OPERATOR, REPORTER_ROLES, Membership, Principal
from engine.checkpoints import ACCESS_GENESIS, reporter_chain
from engine.clock import FixedClock
from engine.errors import PermissionDenied
from engine.ports import AccessEntry
from tests.integration.helpers import FAST_HASHER, login, token_for
from tests.integration.test_tamper import guards_off
from tests.support import Driver

PASSWORD = "een-lang-wachtwoord"
MELDER = "zq7x.dubbel"  # melder in their own reports at Het Anker, and leerkracht of group 6b there
NAME = "Zq7x Dubbelrol"


class Scenario:
    def __init__(self, trede: Driver, db: Engine, clock: FixedClock) -> None:
        engine = trede.engine
        load_bundled(engine)
        self.app = App(engine=engine, db=db, password_hasher=FAST_HASHER)
        seed_accounts(self.app.engine)
        self.app.engine.users.add(
            MELDER,
            NAME,
            "b",
            PASSWORD,
            [Membership("melder", "het-anker"), Membership("leerkracht", "het-anker", frozenset({"6b"}))],
        )
        self.db, self.clock, self.engine = db, clock, engine
        me = self.who(MELDER)
        self.reports = [
            engine.cases.open(
                me, "klokkenluidersregeling-2016", school="het-anker", subject="Melding-A", role="melder",
                inputs={"kanaal": "vertrouwenspersoon", "betreft": "niemand"},
            ).id,
            engine.cases.open(
                me, "klokkenluiders-wbk-2023", school="het-anker", subject="Melding-B", role="melder", inputs={"betreft": "niemand"}
            ).id,
        ]
        self.taught = engine.cases.open(
            self.who("mr.jan"), "grensoverschrijdend-gedrag", school="het-anker", subject="Leerling-Q6", group="6b",
            role="leerkracht",
        ).id
        self.web = create_app(self.app)

    def who(self, username: str) -> Principal:
        found = self.app.engine.users.principal(username)
        assert found is not None
        return found

    def client(self, username: str, password: str = "trede-demo") -> TestClient:
        client = TestClient(self.web, base_url="https://testserver")
        assert login(client, username, password) == "/"
        return client

    def melder_reads_the_start_page_and_the_api_list(self) -> None:
        self.clock.advance(timedelta(minutes=5))  # a moment of its own, apart from the set-up
        start = self.client(MELDER, PASSWORD).get("/")
        assert start.status_code == 200 and all(r in start.text for r in self.reports) and self.taught in start.text
        listed = self.client(MELDER, PASSWORD).get("/api/v1/cases", headers=token_for(self.app, MELDER))
        assert {c["id"] for c in listed.json()} >= {*self.reports, self.taught}
        self.clock.advance(timedelta(minutes=5))


@pytest.fixture
def scenario(trede: Driver, db: Engine, clock: FixedClock) -> Scenario:
    return Scenario(trede, db, clock)


def unlinkable(entries: list[AccessEntry], reports: list[str]) -> None:
    """The assertion: a listing with a precise time holds no row of the melder's reads of
    their reports. Concretely, for every timed row: its roles hold no reporting role, it
    names a person (never the mask), and no row on a report shares a minute with a named
    row of the melder (which would tie the two together by time or adjacency)."""
    named = [e for e in entries if e.username == MELDER]
    assert named, "the melder's named reads (as leerkracht) are logged"
    minutes = {e.at.replace(second=0, microsecond=0) for e in named}
    for e in entries:
        assert not REPORTER_ROLES & set(e.roles.split(",")), e
        assert e.username != HIDDEN, e
        if e.case_id in reports:
            assert e.username != MELDER, e
            assert e.at.replace(second=0, microsecond=0) not in minutes, e


def test_the_privacy_officer_and_the_auditor_cannot_tie_a_melder_to_their_named_reads(scenario: Scenario) -> None:
    scenario.melder_reads_the_start_page_and_the_api_list()
    for username in ("dhr.privacy", "dhr.audit"):
        reader = scenario.who(username)
        log = scenario.engine.reads.access_log(reader)
        unlinkable(log.entries, scenario.reports)
        assert {e.case_id for e in log.entries if e.username == MELDER} == {scenario.taught}
        # the masked reads exist, but today they are not even counted: a count that grows
        # while one watches would tie it to the named row that appears at the same moment
        assert log.by_reporters == []
        page = scenario.client(username).get("/privacy/toegang")
        assert page.status_code == 200
        unlinkable(page.context["entries"], scenario.reports)  # type: ignore[attr-defined]
        rows = re.findall(r"<tr>(.*?)</tr>", page.text, re.S)
        for row in rows:
            if any(r in row for r in scenario.reports):
                assert HIDDEN not in row and "melder" not in row and NAME not in row, row
    # the next day: per case how often, by whom in which role, never when or by whom
    scenario.clock.advance(timedelta(days=1))
    log = scenario.engine.reads.access_log(scenario.who("dhr.privacy"))
    counted = {(v.case_id, v.roles): v.count for v in log.by_reporters}
    assert counted == {(scenario.reports[0], "melder"): 2, (scenario.reports[1], "melder"): 2}
    page = scenario.client("dhr.audit").get("/privacy/toegang")
    section = page.text.split("Ingezien door een melder", 1)[1]
    assert scenario.reports[0] in section and NAME not in section and MELDER not in section


def test_the_database_holds_the_masked_reads_apart_without_name_or_time(scenario: Scenario) -> None:
    scenario.melder_reads_the_start_page_and_the_api_list()
    with scenario.db.connect() as conn:
        named = conn.execute(text("SELECT case_id, roles FROM access_log WHERE username = :u"), {"u": MELDER}).all()
        masked = conn.execute(text("SELECT * FROM reporter_access_log")).mappings().all()
    assert {c for c, _ in named} == {scenario.taught} and all("melder" not in r for _, r in named)
    assert sorted(r["case_id"] for r in masked if r["what"] in ("lijst", "api")) == sorted(scenario.reports * 2)
    for row in masked:
        assert set(row) == {"id", "day", "reader", "roles", "case_id", "school", "what", "prev_hash", "hash"}
        assert MELDER not in str(dict(row)) and NAME not in str(dict(row))
        assert str(row["day"])[:10] == "2026-03-02" and len(str(row["day"])) == 10  # a day, not a moment


def test_the_melders_own_access_request_lists_their_masked_reads(scenario: Scenario) -> None:
    scenario.melder_reads_the_start_page_and_the_api_list()
    melder = scenario.who(MELDER)
    export = scenario.engine.access_requests.export_own(melder)
    assert export["gebruiker"] == MELDER
    assert {(r["zaak"], r["hoe"]) for r in export["toegang"]} >= {(scenario.taught, "lijst"), (scenario.taught, "api")}
    assert all("T" in r["wanneer"] for r in export["toegang"])
    as_melder = {(r["zaak"], r["hoe"]) for r in export["als_melder"]}
    assert as_melder >= {(c, w) for c in scenario.reports for w in ("lijst", "api")}
    assert all(r["dag"] == "2026-03-02" for r in export["als_melder"])
    # another user's own export does not hold the melder's masked reads
    other = scenario.engine.access_requests.export_own(scenario.who("mr.jan"))
    assert other["als_melder"] == [] and all(r["zaak"] not in scenario.reports for r in other["toegang"])
    with scenario.db.connect() as conn:
        logged = conn.execute(
            text(f"SELECT case_id FROM access_log WHERE username = '{MELDER}' AND what = 'inzage-eigen'")
        ).scalars().all()
        masked = conn.execute(text("SELECT case_id FROM reporter_access_log WHERE what = 'inzage-eigen'")).scalars().all()
    assert scenario.taught in logged and not set(scenario.reports) & set(logged)  # no tie in the named log
    assert set(masked) == set(scenario.reports)
    # and on the web, for the user himself
    client = scenario.client(MELDER, PASSWORD)
    response = client.get("/privacy/mijn-toegang.json")
    assert response.status_code == 200 and {r["zaak"] for r in response.json()["als_melder"]} == set(scenario.reports)
    page = client.get("/privacy/mijn-toegang")
    assert page.status_code == 200 and scenario.reports[1] in page.text


def test_the_privacy_officer_cannot_look_up_who_reported(scenario: Scenario) -> None:
    """A user export by the privacy officer answers the same for a melder as for anyone:
    nothing of the views made in a reporting role, not even whether there are any."""
    scenario.melder_reads_the_start_page_and_the_api_list()
    privacy = scenario.who("dhr.privacy")
    export = scenario.engine.access_requests.export_user(privacy, MELDER)
    other = scenario.engine.access_requests.export_user(privacy, "mr.jan")
    assert export["als_melder"] == other["als_melder"] and isinstance(export["als_melder"], str)
    assert not {r["zaak"] for r in export["toegang"]} & set(scenario.reports)
    assert {(r["zaak"], r["hoe"]) for r in export["toegang"]} >= {(scenario.taught, "lijst"), (scenario.taught, "api")}
    with pytest.raises(PermissionDenied):
        scenario.engine.access_requests.export_user(scenario.who("dhr.audit"), MELDER)
    with scenario.db.connect() as conn:
        masked = conn.execute(text("SELECT count(*) FROM reporter_access_log WHERE what = 'inzage-gebruiker'")).scalar()
    assert masked == 0  # the lookup never touched the melders' log
    client = scenario.client("dhr.privacy")
    for page in (f"/privacy/inzage/gebruiker?gebruiker={MELDER}", f"/privacy/inzage/gebruiker.json?gebruiker={MELDER}"):
        response = client.get(page)
        assert response.status_code == 200 and not any(r in response.text for r in scenario.reports)
    assert scenario.client("dhr.audit").get(f"/privacy/inzage/gebruiker?gebruiker={MELDER}").status_code == 403


def _signer() -> tuple[object, object]:
    from adapters.signing import Ed25519Checker, Ed25519Signer, generate

    private, public = generate()
    return Ed25519Signer.from_pem(private), Ed25519Checker.from_pem(public)


@pytest.mark.parametrize("tamper", ["delete", "alter", "rechain"])
def test_a_deleted_or_altered_masked_row_is_found(scenario: Scenario, tamper: str) -> None:
    scenario.melder_reads_the_start_page_and_the_api_list()
    signer, checker = _signer()
    checks = scenario.engine.checkpoints
    checkpoint = checks.make(OPERATOR, signer)  # type: ignore[arg-type]
    assert checkpoint.statement.reporter_log == 4
    assert checks.verify(OPERATOR, checkpoint, checker).ok  # type: ignore[arg-type]
    assert checks.verify_store(OPERATOR).ok
    with guards_off(scenario.db) as conn:
        rows = conn.execute(text("SELECT * FROM reporter_access_log ORDER BY id")).mappings().all()
        if tamper == "alter":
            conn.execute(text("UPDATE reporter_access_log SET what = 'zaak' WHERE id = :i"), {"i": rows[1]["id"]})
        else:
            conn.execute(text("DELETE FROM reporter_access_log WHERE id = :i"), {"i": rows[0]["id"]})
        if tamper == "rechain":  # the administrator makes the rest consistent again
            prev = ACCESS_GENESIS
            for row in rows[1:]:
                digest = reporter_chain(prev, str(row["day"])[:10], row["reader"], row["roles"], row["case_id"],
                                        row["school"], row["what"])
                conn.execute(
                    text("UPDATE reporter_access_log SET prev_hash = :p, hash = :h WHERE id = :i"),
                    {"p": prev, "h": digest, "i": row["id"]},
                )
                prev = digest
    report = checks.verify(OPERATOR, checkpoint, checker)  # type: ignore[arg-type]
    assert not report.ok and any("melders" in p for p in report.problems), report.problems
    store = checks.verify_store(OPERATOR)
    assert store.ok is (tamper == "rechain"), store.problems  # a rechained log: only the checkpoint tells


def test_the_masked_log_is_append_only(scenario: Scenario) -> None:
    scenario.melder_reads_the_start_page_and_the_api_list()
    from sqlalchemy.exc import DBAPIError

    for statement in ("UPDATE reporter_access_log SET what = 'x'", "DELETE FROM reporter_access_log"):
        with pytest.raises(DBAPIError, match="trede"), scenario.db.begin() as conn:
            conn.execute(text(statement))


def test_views_logged_by_name_before_the_melders_log_existed_are_only_counted(scenario: Scenario) -> None:
    """Rows the old code wrote (a melder's view in the named log, masked only on display)
    are no longer listed with their moment either."""
    old = scenario.clock.now()
    legacy = [AccessEntry(old, MELDER, "melder", scenario.reports[0], "het-anker", "lijst")]
    legacy.append(AccessEntry(old, MELDER, "leerkracht", scenario.taught, "het-anker", "lijst"))
    with scenario.engine.services.uow(write=True) as uow:
        uow.access_log.add_many(legacy)
        uow.commit()
    scenario.clock.advance(timedelta(minutes=5))
    privacy = scenario.who("dhr.privacy")
    today = scenario.engine.reads.access_log(privacy)
    unlinkable(today.entries, scenario.reports)
    assert today.by_reporters == []
    scenario.clock.advance(timedelta(days=1))
    later = scenario.engine.reads.access_log(privacy)
    unlinkable(later.entries, scenario.reports)
    assert [(v.case_id, v.roles, v.count) for v in later.by_reporters] == [(scenario.reports[0], "melder", 1)]
