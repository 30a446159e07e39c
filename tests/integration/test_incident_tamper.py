"""The incident log against a database administrator who switches the guards off (issue 28):
an edited, removed or inserted entry, an edited column and an edited categories text are
named by `trede audit verify` without a checkpoint; a removed tail, by a signed checkpoint."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from adapters.signing import Ed25519Checker, Ed25519Signer, generate
from api.demo import load_bundled
from engine.access import OPERATOR
from engine.clock import FixedClock
from engine.events import ERASED
from engine.incidents import EntryType
from tests.conftest import make_trede
from tests.integration.test_tamper import guards_off
from tests.support import Driver, person

ROOT = Path(__file__).parents[2]
GUARDED = ("incident_log", "incident_categories")


def _with_incidents(db: Engine, clock: FixedClock) -> Driver:
    trede = make_trede(db, clock)
    trede.engine.incidents.load_categories(
        OPERATOR, (ROOT / "protocols" / "categorieen" / "incidenten.yaml").read_text(encoding="utf-8"), "incidenten.yaml"
    )
    anna = person("juf.anna", "leerkracht", school="de-linde")
    for kind in ("pesten", "vernieling", "discriminatie"):
        trede.engine.incidents.record(
            anna, school="de-linde", kind=kind, place="plein", seriousness="middel", happened=date(2026, 3, 2),
            involved=[("Leerling-Mees", "slachtoffer")],
        )
    assert trede.engine.checkpoints.verify_store(OPERATOR).ok
    return trede


def _raw(db: Engine, sql: str) -> None:
    with guards_off(db) as conn:
        if db.dialect.name == "postgresql":
            for table in GUARDED:
                conn.execute(text(f"ALTER TABLE {table} DISABLE TRIGGER USER"))
        for statement in sql.split(";"):
            conn.execute(text(statement))


def test_the_database_refuses_to_change_or_remove_an_entry(db: Engine, clock: FixedClock) -> None:
    _with_incidents(db, clock)
    for sql in ("UPDATE incident_log SET school = 'het-anker'", "DELETE FROM incident_log", "DELETE FROM incident_categories"):
        with pytest.raises(DBAPIError), db.begin() as conn:
            conn.execute(text(sql))


@pytest.mark.parametrize(
    ("attack", "sql", "named"),
    [
        ("record edited", "UPDATE incident_log SET record = replace(record, 'middel', 'licht') WHERE id = 3", "regel 3 is gewijzigd"),
        ("column edited", "UPDATE incident_log SET school = 'het-anker' WHERE id = 3", "regel 3: de kolommen"),
        ("entry removed", "DELETE FROM incident_log WHERE id = 2", "regel 2 sluit niet aan"),
        (
            "categories edited",
            "UPDATE incident_categories SET text = replace(text, 'label: Pesten,', 'label: Plagen,')",
            "incidentcategorieën versie 1: de opgeslagen tekst is gewijzigd",
        ),
    ],
)
def test_tampering_is_named_without_a_checkpoint(db: Engine, clock: FixedClock, attack: str, sql: str, named: str) -> None:
    trede = _with_incidents(db, clock)
    _raw(db, sql)
    report = trede.engine.checkpoints.verify_store(OPERATOR)
    assert not report.ok
    assert any(named in p for p in report.problems), (attack, report.problems)


def test_a_removed_last_entry_is_named_against_a_signed_checkpoint(db: Engine, clock: FixedClock) -> None:
    trede = _with_incidents(db, clock)
    private, public = generate()
    checkpoint = trede.engine.checkpoints.make(OPERATOR, Ed25519Signer.from_pem(private))
    assert checkpoint.statement.incident_log == 4  # the categories loaded, three incidents
    _raw(db, "DELETE FROM incident_log WHERE id = (SELECT max(id) FROM incident_log)")
    assert trede.engine.checkpoints.verify_store(OPERATOR).ok  # a removed tail leaves a chain that holds
    report = trede.engine.checkpoints.verify(OPERATOR, checkpoint, Ed25519Checker.from_pem(public))
    assert not report.ok
    assert any("incidentenlog is ingekort" in p for p in report.problems), report.problems


# --- retention: the pseudonyms are erased and the chain still verifies ------------------------


def _pseudonyms(db: Engine) -> list[tuple[str | None, str]]:
    with db.connect() as conn:
        return [(r.value, r.salt) for r in conn.execute(text("SELECT value, salt FROM incident_personal ORDER BY incident_id, ref"))]


def test_the_record_holds_no_pseudonym_only_its_salted_commitment(db: Engine, clock: FixedClock) -> None:
    _with_incidents(db, clock)
    with db.connect() as conn:
        records = [r[0] for r in conn.execute(text("SELECT record FROM incident_log"))]
    assert records and not any("Leerling-Mees" in r for r in records)
    assert _pseudonyms(db)[0][0] == "Leerling-Mees"


def test_retention_erases_the_pseudonyms_after_twelve_months_and_verify_stays_green(db: Engine, clock: FixedClock) -> None:
    trede = _with_incidents(db, clock)
    clock.advance(timedelta(days=364))  # before the term: nothing erased
    assert trede.engine.incidents.apply_retention() == []
    clock.advance(timedelta(days=2))
    trede.engine.retention.apply()  # the retention round erases the incidents' pseudonyms too
    assert trede.engine.incidents.apply_retention() == []  # once
    assert _pseudonyms(db) == [(None, "")] * 3  # value and salt gone
    anna = person("juf.anna", "leerkracht", school="de-linde")
    shown = trede.engine.incidents.at_school(anna, "de-linde")
    assert [i.involved[0].pseudonym for i in shown] == [ERASED] * 3
    report = trede.engine.checkpoints.verify_store(OPERATOR)
    assert report.ok, report.problems
    with db.connect() as conn:
        types = [json.loads(r[0])["type"] for r in conn.execute(text("SELECT record FROM incident_log ORDER BY id"))]
    assert types.count(EntryType.ERASED) == 3


def test_a_pseudonym_linked_to_a_kept_case_stays(db: Engine, clock: FixedClock) -> None:
    trede = _with_incidents(db, clock)
    load_bundled(trede.engine)
    case = trede.open_case("grensoverschrijdend-gedrag", school="de-linde", subject="Leerling-Mees", actor="t", role="leerkracht", group="5a").id
    first = trede.engine.incidents.at_school(person("dhr.bos", "directeur", school="de-linde"), "de-linde")[0]
    trede.engine.incidents.link(person("dhr.bos", "directeur", school="de-linde"), first.id, case)
    clock.advance(timedelta(days=400))
    assert first.id not in trede.engine.incidents.apply_retention()
    assert [v for v, _ in _pseudonyms(db)].count("Leerling-Mees") == 1  # the linked one; the others erased


@pytest.mark.parametrize(
    ("attack", "sql", "named"),
    [
        ("erased in the database", "UPDATE incident_personal SET value = NULL, salt = ''", "gewist zonder dat het log dat vastlegt"),
        ("pseudonym changed", "UPDATE incident_personal SET value = 'Leerling-Vink'", "past niet bij het record"),
        ("row removed", "DELETE FROM incident_personal", "gewist zonder dat het log dat vastlegt"),
    ],
)
def test_a_pseudonym_erased_or_changed_outside_retention_is_named(
    db: Engine, clock: FixedClock, attack: str, sql: str, named: str
) -> None:
    trede = _with_incidents(db, clock)
    if attack == "erased in the database":  # the guards allow erasing: the chain must tell
        with db.begin() as conn:
            conn.execute(text(sql))
    else:
        with pytest.raises(DBAPIError), db.begin() as conn:
            conn.execute(text(sql))
        with guards_off(db) as conn:
            if db.dialect.name == "postgresql":
                conn.execute(text("ALTER TABLE incident_personal DISABLE TRIGGER USER"))
            conn.execute(text(sql))
    report = trede.engine.checkpoints.verify_store(OPERATOR)
    assert not report.ok
    assert sum(named in p for p in report.problems) == 3, (attack, report.problems)
