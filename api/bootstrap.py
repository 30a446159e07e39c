"""The composition root: the one place adapters are wired into the engine."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from argon2 import PasswordHasher
from sqlalchemy import Engine as SqlEngine

from adapters.calendar_nl import DutchCalendar, load_school_settings
from adapters.clock import SystemClock
from adapters.letter_renderer import JinjaLetters
from adapters.sql.accounts import Accounts
from adapters.sql.database import DEFAULT_URL, make_engine, normalise_url, require_initialised
from adapters.sql.uow import SqlUnitOfWorkFactory
from engine.clock import Clock, OffsetClock
from engine.errors import StorageError
from engine.service import Engine


def database_url(explicit: str | None = None) -> str:
    return normalise_url(explicit or os.environ.get("TREDE_DATABASE_URL") or DEFAULT_URL)


@dataclass
class App:
    engine: Engine
    db: SqlEngine
    sandbox: bool
    password_hasher: PasswordHasher | None = None  # tests use a cheaper one

    @property
    def accounts(self) -> Accounts:
        return Accounts(self.db, self.engine.clock, self.password_hasher)


def school_calendar() -> DutchCalendar:
    """Schools' holiday regions and deviations: TREDE_SCHOOLS_FILE, or ./schools.yaml if present."""
    path = Path(os.environ.get("TREDE_SCHOOLS_FILE", "schools.yaml"))
    if not path.exists():
        if "TREDE_SCHOOLS_FILE" in os.environ:
            raise StorageError(f"Het scholenbestand {path} bestaat niet.", file=str(path))
        return DutchCalendar()
    try:
        return DutchCalendar(schools=load_school_settings(path))
    except ValueError as exc:
        raise StorageError(str(exc), file=str(path)) from None


def bootstrap(url: str | None = None, clock: Clock | None = None) -> App:
    db = make_engine(database_url(url))
    require_initialised(db)
    uow = SqlUnitOfWorkFactory(db)
    with uow() as unit:
        sandbox = unit.settings.sandbox
        offset = unit.settings.clock_offset
    base = clock or SystemClock()
    engine = Engine(
        uow=uow,
        clock=OffsetClock(base, offset) if sandbox else base,
        calendar=school_calendar(),
        letters=JinjaLetters(),
    )
    return App(engine=engine, db=db, sandbox=sandbox)
