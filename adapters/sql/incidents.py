"""The incident log and the incident categories' versions (issue 28; engine/incidents.py)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Collection, Sequence
from dataclasses import replace
from datetime import datetime

from sqlalchemy import Connection, func, insert, select, text, update

from adapters.sql.chains import INCIDENT_LOCK, advisory_lock, linked
from adapters.sql.tables import IncidentCategoriesRow, IncidentKeyRow, IncidentLogRow, IncidentPersonalRow
from engine.incidents import (
    INCIDENT_GENESIS,
    ChainedIncidentEntry,
    EntryType,
    IncidentCategories,
    IncidentEntry,
    incident_chain,
    parse_categories,
)

LOG = IncidentLogRow.__table__  # type: ignore[attr-defined]
CATEGORIES = IncidentCategoriesRow.__table__  # type: ignore[attr-defined]
KEYS = IncidentKeyRow.__table__  # type: ignore[attr-defined]
PERSONAL = IncidentPersonalRow.__table__  # type: ignore[attr-defined]
CATEGORIES_LOCK = INCIDENT_LOCK + 1  # two loads of the categories number on one after the other
KEY_LOCK = 7405  # with a hash of the key: two submissions of one quick record, one after the other


class SqlIncidents:
    def __init__(self, conn: Connection, pending: list[IncidentEntry] | None = None) -> None:
        self.conn = conn
        self.pending = pending

    def append(self, entries: Sequence[IncidentEntry]) -> None:
        if self.pending is not None:
            self.pending.extend(entries)
        else:
            append_incidents(self.conn, entries)

    def chain(self) -> list[ChainedIncidentEntry]:
        rows = self.conn.execute(select(LOG).order_by(LOG.c.id))
        return [ChainedIncidentEntry(r.id, r.incident_id, r.school, r.record, r.prev_hash, r.hash) for r in rows]

    def entries(self, schools: Collection[str] | None, incident_id: str | None = None) -> list[IncidentEntry]:
        query = select(LOG.c.record).order_by(LOG.c.id)
        kept = select(PERSONAL)
        if schools is not None:
            query = query.where(LOG.c.school.in_(sorted(schools)))
            kept = kept.where(PERSONAL.c.incident_id.in_(select(LOG.c.incident_id).where(LOG.c.school.in_(sorted(schools)))))
        if incident_id is not None:
            query = query.where(LOG.c.incident_id == incident_id)
            kept = kept.where(PERSONAL.c.incident_id == incident_id)
        personal: dict[str, dict[str, tuple[str | None, str]]] = {}
        for row in self.conn.execute(kept):
            personal.setdefault(row.incident_id, {})[row.ref] = (row.value, row.salt)
        found = []
        for record in self.conn.execute(query).scalars():
            entry = ChainedIncidentEntry(0, "", "", record, "", "").entry()
            if entry.type == EntryType.RECORDED:
                entry = replace(entry, personal=personal.get(entry.incident_id, {}))
            found.append(entry)
        return found

    def personal(self) -> dict[tuple[str, str], tuple[str | None, str]]:
        return {(r.incident_id, r.ref): (r.value, r.salt) for r in self.conn.execute(select(PERSONAL))}

    def erase_personal(self, incident_id: str) -> None:
        self.conn.execute(update(PERSONAL).where(PERSONAL.c.incident_id == incident_id).values(value=None, salt=""))

    def add_categories(self, categories: IncidentCategories, file: str, loaded_at: datetime) -> int | None:
        if self.conn.dialect.name == "postgresql":  # two loads at once number on one after the other
            self.conn.execute(text(advisory_lock(CATEGORIES_LOCK)))
        known = self.conn.execute(
            select(CATEGORIES.c.version).where(CATEGORIES.c.content_hash == categories.content_hash)
        ).scalar()
        if known is not None:
            return None
        version = int(self.conn.execute(select(func.coalesce(func.max(CATEGORIES.c.version), 0))).scalar_one()) + 1
        self.conn.execute(
            insert(CATEGORIES).values(
                version=version, content_hash=categories.content_hash, text=categories.text, file=file, loaded_at=loaded_at
            )
        )
        return version

    def categories(self, version: int | None = None) -> IncidentCategories | None:
        query = select(CATEGORIES)
        if version is not None:
            query = query.where(CATEGORIES.c.version == version)
        row = self.conn.execute(query.order_by(CATEGORIES.c.version.desc()).limit(1)).first()
        if row is None:
            return None
        parsed = parse_categories(row.text, row.file)
        # the stored hash, not the text's: a changed text shows in categories_versions
        return _versioned(parsed, row.version, row.content_hash, row.loaded_at)

    def keyed(self, school: str, username: str, key: str) -> str | None:
        if self.conn.dialect.name == "postgresql":  # SQLite: the writer already holds the write lock
            self.conn.execute(
                text("SELECT pg_advisory_xact_lock(:lock, hashtext(:k))"),
                {"lock": KEY_LOCK, "k": f"{school}\x1f{username}\x1f{key}"},
            )
        found = self.conn.execute(
            select(KEYS.c.incident_id).where(KEYS.c.school == school, KEYS.c.username == username, KEYS.c.key == key)
        ).scalar()
        return None if found is None else str(found)

    def add_key(self, school: str, username: str, key: str, incident_id: str, at: datetime) -> None:
        self.conn.execute(
            insert(KEYS).values(school=school, username=username, key=key, incident_id=incident_id, created_at=at)
        )

    def categories_versions(self) -> list[tuple[int, str, str]]:
        rows = self.conn.execute(select(CATEGORIES).order_by(CATEGORIES.c.version))
        return [(r.version, r.content_hash, hashlib.sha256(r.text.encode("utf-8")).hexdigest()) for r in rows]


def _versioned(parsed: IncidentCategories, version: int, content_hash: str, loaded_at: datetime) -> IncidentCategories:
    return replace(parsed, version=version, content_hash=content_hash, loaded_at=loaded_at)


def append_incidents(conn: Connection, entries: Sequence[IncidentEntry]) -> None:
    """Extend the chain. PostgreSQL: one writer at a time, under an advisory lock held to the
    commit; called at the commit, so no lock is taken after it (engine/commits.py)."""
    if not entries:
        return
    if conn.dialect.name == "postgresql":
        conn.execute(text(advisory_lock(INCIDENT_LOCK)))
    head = conn.execute(select(LOG.c.hash, LOG.c.record).order_by(LOG.c.id.desc()).limit(1)).first()
    kept = [
        {"incident_id": e.incident_id, "ref": ref, "value": value, "salt": salt}
        for e in entries
        for ref, (value, salt) in e.personal.items()
    ]
    if kept:
        conn.execute(insert(PERSONAL), kept)
    chain = linked(
        entries,
        head.hash if head else INCIDENT_GENESIS,
        datetime.fromisoformat(json.loads(head.record)["at"]) if head else None,
        at=lambda e: e.at,
        moved=lambda e, last: replace(e, at=last),
        digest=lambda prev, e: incident_chain(prev, e.record()),
    )
    conn.execute(
        insert(LOG),
        [{"incident_id": e.incident_id, "school": e.school, "record": e.record(), "prev_hash": prev, "hash": own} for e, prev, own in chain],
    )
