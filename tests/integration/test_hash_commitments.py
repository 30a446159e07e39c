"""Hashes commit to identities without revealing them (issue 22, item 2).

A viewer who may not know the melder receives every field of an event but the masked ones,
and the event's hash. Were the actor hashed in plain text, guessing user names until the
hash matches would name the melder (the security review did so with ten names against a
school variant in which the melder acts with only a choice input). Every actor now enters
the record as a salted commitment whose value and salt stay beside it; anonymisation erases
both, and records sealed before keep verifying with their plain actor.
"""

from __future__ import annotations

import hashlib
import json
import secrets
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from adapters.signing import Ed25519Checker, Ed25519Signer, generate
from adapters.sql.parallel import ProcessVerifier
from api.bootstrap import App
from api.demo import USERS, load_bundled, seed_accounts
from api.web import create_app
from engine.access import HIDDEN, OPERATOR, Membership, Principal
from engine.events import ERASED, Event, EventType, canonical_text, commitment
from tests.integration.helpers import FAST_HASHER, login, token_for
from tests.integration.test_tamper import guards_off
from tests.support import Driver

PASSWORD = "een-lang-wachtwoord"
MELDER = "hb7.melder"  # the true melder: only the vertrouwenspersoon may know
REGELING_SUBJECT = "Melder-Hb7-Regeling"
VARIANT_SUBJECT = "Melder-Hb7-Variant"
MASKED = "mevr.raad"  # bevoegd gezag: handles the report, may not know who made it
ENTITLED = "mevr.vp"
# A school's variant of the 2016 regulation: the melder tells whether he is available for
# hoor en wederhoor, with one choice and nothing else (no salted free text in the record).
VARIANT = """\
id: klokkenluidersregeling-het-anker
version: 1
extends: {id: klokkenluidersregeling-2016, version: 5}
title: Klokkenluidersregeling Het Anker
source: "Modelregeling 2016, vastgesteld door het bestuur van Het Anker"
inputs:
  beschikbaar:
    type: keuze
    label: De melder is beschikbaar voor hoor en wederhoor
    options: [ja, nee]
    source: "Het Anker, art. 8"
transitions:
  - trigger: beschikbaarheid_doorgeven
    label: Beschikbaarheid voor hoor en wederhoor doorgeven
    from: "*"
    roles: [melder]
    requires: [beschikbaar]
    source: "Het Anker, art. 8"
"""
RECORDED = {"ontvangen_op": "2026-03-02", "afschrift_verstrekt": "ja"}
OPENING = {"kanaal": "vertrouwenspersoon", "betreft": "niemand"}  # the report's channel, fixed at opening


@dataclass
class World:
    trede: Driver
    app: App
    db: Engine
    regeling: str  # a case under the bundled 2016 regulation
    variant: str  # a case under the school's variant: the melder acts with a choice only


def principal(app: App, username: str) -> Principal:
    found = app.engine.users.principal(username)
    assert found is not None
    return found


def build(trede: Driver, db: Engine, tmp_path: Path) -> World:
    engine = trede.engine
    load_bundled(engine)
    path = tmp_path / "klokkenluidersregeling-het-anker.yaml"
    path.write_text(VARIANT, encoding="utf-8")
    engine.protocols.load(
        OPERATOR, engine.protocols.parse(path.read_text(encoding="utf-8"), str(path)), scope="het-anker"
    )
    app = App(engine=engine, db=db, password_hasher=FAST_HASHER)
    seed_accounts(app.engine)
    app.engine.users.add(MELDER, "Melder", "b", PASSWORD, [Membership("melder", "het-anker")])
    melder, vp, raad = principal(app, MELDER), principal(app, ENTITLED), principal(app, MASKED)

    regeling = engine.cases.open(
        melder, "klokkenluidersregeling-2016", school="het-anker", subject=REGELING_SUBJECT, inputs=OPENING
    ).id
    engine.cases.fire(vp, regeling, "vastleggen", inputs=RECORDED)
    engine.cases.fire(raad, regeling, "geen_onderzoek", inputs={"motivering": "geen redelijke gronden"})
    engine.cases.letter(vp, regeling, "weigering_onderzoek")  # addressed to the melder: names him

    variant = engine.cases.open(
        melder, "klokkenluidersregeling-het-anker", school="het-anker", subject=VARIANT_SUBJECT, inputs=OPENING
    ).id
    engine.cases.fire(vp, variant, "vastleggen", inputs=RECORDED)
    engine.cases.fire(melder, variant, "beschikbaarheid_doorgeven", inputs={"beschikbaar": "ja"})
    engine.cases.fire(raad, variant, "onderzoek_instellen", inputs={"onderzoeker": "extern bureau"})
    return World(trede, app, db, regeling, variant)


@pytest.fixture
def world(trede: Driver, db: Engine, tmp_path: Path) -> World:
    return build(trede, db, tmp_path)


GUESSES = sorted({u for u, _, _ in USERS} | {MELDER, REGELING_SUBJECT, VARIANT_SUBJECT})


def substituted(value: Any, guess: str) -> Any:
    """``value`` with every masked part replaced by the guess."""
    if isinstance(value, str):
        return value.replace(HIDDEN, guess)
    if isinstance(value, dict):
        return {k: substituted(v, guess) for k, v in value.items()}
    if isinstance(value, list):
        return [substituted(v, guess) for v in value]
    return value


def guessed(received: dict[str, Any], guesses: Iterable[str]) -> list[str]:
    """The guesses that reproduce the event's hash from exactly what the viewer received."""
    body = {k: v for k, v in received.items() if k != "hash"}
    found = []
    for guess in guesses:
        candidates = ({**substituted(body, guess), "actor": guess}, substituted(body, guess))
        if any(hashlib.sha256(canonical_text(c).encode("utf-8")).hexdigest() == received["hash"] for c in candidates):
            found.append(guess)
    return found


def received_by(world: World, username: str, case_id: str) -> Iterator[tuple[str, dict[str, Any]]]:
    """Every event as this viewer receives it: through the engine's audit replay and event
    list, the REST API, and the dossier's JSON."""
    engine, viewer = world.app.engine, principal(world.app, username)
    for step in engine.reads.replay(viewer, case_id, verify=True).steps:
        yield "replay", step.event.to_dict()
    for event in engine.reads.events(viewer, case_id):
        yield "events", event.to_dict()
    web = create_app(world.app)
    with TestClient(web, base_url="https://testserver") as client:
        response = client.get(f"/api/v1/cases/{case_id}/events", headers=token_for(world.app, username))
        assert response.status_code == 200
        for event in response.json():
            yield "rest", event
    with TestClient(web, base_url="https://testserver") as client:
        assert login(client, username) == "/"
        response = client.get(f"/audit/zaken/{case_id}/dossier.json")
        assert response.status_code == 200
        for event in response.json()["events"]:
            yield "dossier", event


def stored_events(world: World, case_id: str) -> list[Event]:
    """The events as stored, unmasked (storage, not a viewer)."""
    with world.trede.uow() as uow:
        return uow.cases.events(case_id)


def stored_opener(world: World, case_id: str) -> str:
    with world.trede.uow() as uow:
        return uow.cases.get(case_id).opened_by


def salts(db: Engine, case_id: str) -> list[str]:
    with db.connect() as conn:
        rows = conn.execute(text("SELECT salt FROM personal_data WHERE case_id = :c"), {"c": case_id}).all()
    return [salt for (salt,) in rows if salt]


def test_no_guessed_name_reproduces_a_hash_a_masked_viewer_receives(world: World) -> None:
    for case_id in (world.regeling, world.variant):
        received = list(received_by(world, MASKED, case_id))
        assert {route for route, _ in received} == {"replay", "events", "rest", "dossier"}
        by_melder = [e for _, e in received if e["role"] == "melder"]
        assert by_melder and all(e["actor"] == HIDDEN for e in by_melder)  # masked, and still the melder's events
        for route, event in received:
            assert guessed(event, GUESSES) == [], (case_id, route, event["seq"])
        # neither the melder's name nor any salt reaches this viewer, in any form
        shown = json.dumps([e for _, e in received])
        assert MELDER not in shown
        assert not [s for s in salts(world.db, case_id) if s in shown]
    # the variant's melder event carries nothing salted but the actor: the finding's case
    [choice_only] = [e for r, e in received_by(world, MASKED, world.variant) if r == "rest" and e["role"] == "melder"][
        1:
    ]
    assert choice_only["inputs"] == {"beschikbaar": "ja"}


def test_a_masked_viewer_gets_no_hash_of_a_letter_that_names_the_melder(world: World) -> None:
    """The letter's HTML is deterministic: with its hash, a viewer who knows the template
    could render it with each guessed name. The entitled viewer keeps the hashes."""
    for route, event in received_by(world, MASKED, world.regeling):
        if event["type"] == EventType.LETTER:
            assert (event["data"]["sha256_html"], event["data"]["sha256_pdf"]) == (HIDDEN, HIDDEN), route
    [letter] = [
        s.event
        for s in world.app.engine.reads.replay(principal(world.app, ENTITLED), world.regeling).steps
        if s.event.type == EventType.LETTER
    ]
    assert len(letter.data["sha256_html"]) == 64 and len(letter.data["sha256_pdf"]) == 64


def test_who_may_know_the_melder_sees_him_and_the_chain_verifies(world: World) -> None:
    engine = world.app.engine
    for case_id in (world.regeling, world.variant):
        shown = engine.reads.replay(principal(world.app, ENTITLED), case_id, verify=True)
        assert shown.verification is not None and shown.verification.ok
        assert {s.event.actor for s in shown.steps if s.event.role == "melder"} == {MELDER}
        masked = engine.reads.replay(principal(world.app, MASKED), case_id)
        assert {s.event.actor for s in masked.steps if s.event.role == "melder"} == {HIDDEN}
        assert {s.event.actor for s in masked.steps if s.event.role == "vertrouwenspersoon"} == {ENTITLED}
    assert all(v.ok for v in engine.reads.verify_all(OPERATOR))


def sealed_before(self: Event, personal: Iterable[tuple[str, str]] = ()) -> Event:
    """``Event.sealed`` as it was before actors were committed: the actor in plain text."""
    body = self.body()
    kept: dict[str, tuple[str, str]] = {}
    for section, name in personal:
        if name in body[section] and body[section][name] is not None:
            ref = f"{section}.{name}"
            value, salt = str(body[section][name]), secrets.token_hex(16)
            kept[ref] = (value, salt)
            body[section] = {**body[section], name: commitment(ref, value, salt)}
    record = canonical_text(body)
    return replace(self, record=record, hash=hashlib.sha256(record.encode("utf-8")).hexdigest(), personal=kept)


@pytest.fixture
def old_world(trede: Driver, db: Engine, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> World:
    """The same cases, every event sealed the old way; then one event the new way each."""
    monkeypatch.setattr(Event, "sealed", sealed_before)
    world = build(trede, db, tmp_path)
    monkeypatch.undo()
    raad = principal(world.app, MASKED)
    world.app.engine.cases.fire(raad, world.regeling, "afsluiten", inputs={"motivering": "afgerond"})
    world.app.engine.cases.fire(
        principal(world.app, MELDER), world.variant, "beschikbaarheid_doorgeven", inputs={"beschikbaar": "nee"}
    )
    return world


def records(db: Engine, case_id: str) -> list[tuple[int, str, Any]]:
    """(seq, actor column, the record's actor field) of each stored event."""
    with db.connect() as conn:
        rows = conn.execute(
            text("SELECT seq, actor, record FROM events WHERE case_id = :c ORDER BY seq"), {"c": case_id}
        )
        return [(seq, actor, json.loads(record)["actor"]) for seq, actor, record in rows]


def test_old_events_with_a_plain_actor_keep_verifying_beside_new_ones(old_world: World) -> None:
    world = old_world
    stored = records(world.db, world.variant)
    assert [type(actor) for _, _, actor in stored] == [str, str, str, str, dict]
    assert stored[2][1:] == (MELDER, MELDER)  # old: plain in the record and the column
    assert stored[4][1] == stored[4][2]["sha256"] and MELDER not in json.dumps(stored[4])  # new: the digest only
    engine = world.app.engine
    assert all(v.ok for v in engine.reads.verify_all(OPERATOR))
    assert [
        e.actor for e in engine.reads.events(principal(world.app, ENTITLED), world.variant) if e.role == "melder"
    ] == [MELDER] * 3
    private, public = generate()
    checkpoint = engine.checkpoints.make(OPERATOR, Ed25519Signer.from_pem(private))
    assert engine.checkpoints.verify(OPERATOR, checkpoint, Ed25519Checker.from_pem(public)).ok
    # what an old event means: the finding stands for it (append-only, it is not rewritten):
    # the melder's old choice-only event gives his name away to ten guesses; the opening hid
    # it behind the salted pseudonym; the new event by the same melder resists every guess
    received = [e for r, e in received_by(world, MASKED, world.variant) if r == "rest" and e["role"] == "melder"]
    assert [guessed(e, GUESSES) for e in received] == [[], [MELDER], []]


@pytest.mark.parametrize(
    ("attack", "seq", "named"),
    [
        ("UPDATE events SET actor = 'mevr.vp' WHERE case_id = :c AND seq = 3", 3, "actor wijkt af"),
        ("UPDATE events SET actor = 'mr.jan' WHERE case_id = :c AND seq = 5", 5, "actor wijkt af"),
        (
            "UPDATE personal_data SET value = 'mr.jan' WHERE case_id = :c AND seq = 5 AND ref = 'actor'",
            5,
            "(actor) zijn gewijzigd",
        ),
        (
            "UPDATE personal_data SET salt = 'ab' WHERE case_id = :c AND seq = 5 AND ref = 'actor'",
            5,
            "(actor) zijn gewijzigd",
        ),
        (
            "DELETE FROM personal_data WHERE case_id = :c AND seq = 5 AND ref = 'actor'",
            5,
            "zonder vastgelegde anonimisering",
        ),
    ],
    ids=["old-column", "new-column", "new-value", "new-salt", "new-deleted"],
)
def test_a_changed_actor_column_or_value_is_named(old_world: World, attack: str, seq: int, named: str) -> None:
    world = old_world
    with guards_off(world.db) as conn:
        assert conn.execute(text(attack), {"c": world.variant}).rowcount == 1
    [result] = [v for v in world.app.engine.reads.verify_all(OPERATOR) if v.case_id == world.variant]
    assert not result.ok and result.first_bad_seq == seq and named in (result.problem or ""), result
    if attack.startswith("UPDATE events") and seq == 5:
        # the parallel verifier (worker processes, each its own connection) finds the same
        services = world.app.engine.services
        services.parallel_verifier = ProcessVerifier(world.db.url.render_as_string(hide_password=False), processes=2)
        in_parallel = [v for v in world.app.engine.reads.verify_all(OPERATOR, chunk=1) if not v.ok]
        assert in_parallel == [result]


def test_anonymisation_erases_every_actor_and_salt_and_the_chain_still_verifies(old_world: World) -> None:
    world = old_world
    engine = world.app.engine
    privacy = principal(world.app, "dhr.privacy")
    assert stored_opener(world, world.regeling) == MELDER
    after = engine.retention.anonymise(privacy, world.regeling, reason="bewaartermijn verstreken")
    assert after.opened_by == ERASED
    # a case with committed actors throughout: opened, closed and anonymised the new way
    raad, melder = principal(world.app, MASKED), principal(world.app, MELDER)
    new = engine.cases.open(
        melder, "klokkenluidersregeling-het-anker", school="het-anker", subject="Melder-Hb7-Nieuw", inputs=OPENING
    ).id
    engine.cases.fire(principal(world.app, ENTITLED), new, "vastleggen", inputs=RECORDED)
    engine.cases.fire(melder, new, "beschikbaarheid_doorgeven", inputs={"beschikbaar": "ja"})
    engine.cases.fire(raad, new, "geen_onderzoek", inputs={"motivering": "geen gronden"})
    engine.cases.fire(raad, new, "afsluiten", inputs={"motivering": "afgerond"})
    engine.retention.anonymise(privacy, new, reason="bewaartermijn verstreken")
    assert all(v.ok for v in engine.reads.verify_all(OPERATOR))
    with world.db.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT p.seq, p.ref, p.value, p.salt, e.type FROM personal_data p JOIN events e "
                "ON e.case_id = p.case_id AND e.seq = p.seq WHERE p.case_id = :c"
            ),
            {"c": new},
        ).all()
    before = [r for r in rows if r.type != "case_anonymised"]
    assert {r.ref for r in before} >= {"actor", "data.subject", "inputs.motivering"}
    assert all(r.value is None and r.salt == "" for r in before)  # value and salt erased
    assert [r.ref for r in rows if r.type == "case_anonymised"] == ["actor"]  # the privacy officer's act
    events = stored_events(world, new)
    assert [e.actor for e in events] == [ERASED] * 5 + ["dhr.privacy"]
    assert MELDER not in json.dumps([e.to_dict() for e in events])
    # the old-format case keeps its plain actors (they cannot be erased from the record),
    # its new event's actor is erased, and the projection no longer names the opener
    old = stored_events(world, world.regeling)
    assert [e.actor for e in old][:4] == [MELDER, ENTITLED, MASKED, ENTITLED] and old[4].actor == ERASED
    assert stored_opener(world, world.regeling) == ERASED
