"""The one rule the three hash-chained logs share (adapters/sql/chains.py): each entry is
linked to the one before it, and an entry timed before it (a clock that went back) is moved up
to its time. The stored hashes are those the logs made before the rule was shared: checked here
against the loops the access log and the incident log had."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, datetime, timedelta

from adapters.sql.chains import linked
from engine.checkpoints import ACCESS_GENESIS, access_chain
from engine.events import canonical_text
from engine.incidents import INCIDENT_GENESIS, EntryType, IncidentEntry, incident_chain
from engine.ports import AccessEntry

T0 = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
# the third entry's clock went back two minutes, the fourth's one minute
TIMES = [T0, T0 + timedelta(minutes=1), T0 - timedelta(minutes=1), T0]


def test_the_access_log_links_as_it_did() -> None:
    entries = [AccessEntry(at, "juf.anna", "leerkracht", f"zaak-{n}", "de-linde", "zaak") for n, at in enumerate(TIMES)]
    last = T0 - timedelta(hours=1)
    before = []  # the loop DriverCases.append_access had
    prev, moment = "a" * 64, last
    for e in entries:
        if e.at < moment:
            e = replace(e, at=moment)
        moment = e.at
        digest = access_chain(prev, e.at, e.username, e.roles, e.case_id, e.school, e.what)
        before.append((e, prev, digest))
        prev = digest
    now = list(linked(
        entries, "a" * 64, last, at=lambda e: e.at, moved=lambda e, t: replace(e, at=t),
        digest=lambda p, e: access_chain(p, e.at, e.username, e.roles, e.case_id, e.school, e.what),
    ))
    assert now == before
    assert [e.at for e, _, _ in now] == [T0, T0 + timedelta(minutes=1), T0 + timedelta(minutes=1), T0 + timedelta(minutes=1)]
    assert all(now[n][1] == now[n - 1][2] for n in range(1, len(now))) and now[0][1] == "a" * 64 != ACCESS_GENESIS


def test_the_incident_log_links_as_it_did() -> None:
    entries = [IncidentEntry(EntryType.LINKED, f"i{n}", "de-linde", at, "juf.anna", "leerkracht", {"case_id": "c"}) for n, at in enumerate(TIMES)]
    head = IncidentEntry(EntryType.RECORDED, "i", "de-linde", T0 + timedelta(seconds=30), "juf.anna", "leerkracht", {}).record()
    before = []  # the loop append_incidents had: the record's own text compared and moved
    prev, last = INCIDENT_GENESIS, json.loads(head)["at"]
    for e in entries:
        record = e.record()
        body = json.loads(record)
        if body["at"] < last:
            body["at"] = last
            record = canonical_text(body)
        last = body["at"]
        digest = incident_chain(prev, record)
        before.append((record, prev, digest))
        prev = digest
    now = [
        (e.record(), p, own)
        for e, p, own in linked(
            entries, INCIDENT_GENESIS, datetime.fromisoformat(json.loads(head)["at"]), at=lambda e: e.at,
            moved=lambda e, t: replace(e, at=t), digest=lambda p, e: incident_chain(p, e.record()),
        )
    ]
    assert now == before
