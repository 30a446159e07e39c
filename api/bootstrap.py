"""The composition root: the one place adapters are wired into the engine, for the web
application, the command line and the worker alike."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from argon2 import PasswordHasher
from sqlalchemy import Engine as SqlEngine

from adapters.calendar_nl import DutchCalendar, load_school_settings
from adapters.clock import SystemClock
from adapters.identity.oidc import OidcClient, OidcSettings
from adapters.letter_renderer import JinjaLetters
from adapters.mail import SmtpMailer
from adapters.passwords import Argon2Passwords, TotpCodes
from adapters.signing import Ed25519Signer
from adapters.sql.database import (
    DEFAULT_URL,
    backup_sqlite,
    grant_application_role,
    init_database,
    make_engine,
    normalise_url,
    owns_the_schema,
    require_initialised,
)
from adapters.sql.parallel import ProcessVerifier
from adapters.sql.sandbox import SqliteSandboxes
from adapters.sql.uow import SqlUnitOfWorkFactory
from engine.clock import Clock
from engine.errors import StorageError
from engine.usecases import Engine
from engine.usecases.trials import Trials

log = logging.getLogger("trede")


def database_url(explicit: str | None = None) -> str:
    return normalise_url(explicit or os.environ.get("TREDE_DATABASE_URL") or DEFAULT_URL)


@dataclass
class App:
    engine: Engine
    db: SqlEngine
    password_hasher: PasswordHasher | None = None  # tests use a cheaper one: set, the engine uses it
    oidc: OidcClient | None = None  # login through the board's identity provider, when configured
    board: str = "bestuur"  # the board a user made at first login belongs to

    def __setattr__(self, name: str, value: Any) -> None:
        super().__setattr__(name, value)
        if name == "password_hasher" and value is not None:
            self.engine.use_passwords(Argon2Passwords(value))

    @property
    def sandbox(self) -> bool:
        return self.engine.sandbox


def multicore() -> bool:
    """Whether verifying every case may use more processes than this one."""
    return (os.cpu_count() or 1) > 1


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


def case_link(base_url: str) -> Callable[[str], str]:
    """A case's address on the web application (for links in mails)."""
    base = base_url.rstrip("/")
    return lambda case_id: f"{base}/zaken/{case_id}"


def bootstrap(url: str | None = None, clock: Clock | None = None, *, mailer: SmtpMailer | None = None) -> App:
    db = make_engine(database_url(url))
    require_initialised(db)
    if owns_the_schema(db):
        log.warning(
            "trede runs as the owner of its tables: these credentials can drop the audit guards; "
            "run as an application role (trede db app-role NAME, docs/deployment.md)"
        )
    signer = Ed25519Signer.from_environment()  # also the key monitoring checks checkpoints with
    engine = Engine.create(
        uow=SqlUnitOfWorkFactory(db),
        clock=clock or SystemClock(),
        calendar=school_calendar(),
        letters=JinjaLetters(),
        passwords=Argon2Passwords(),
        codes=TotpCodes(),
        mailer=mailer or SmtpMailer.from_environment(),
        case_link=case_link(os.environ.get("TREDE_BASE_URL", "http://127.0.0.1:8000")),
        parallel_verifier=ProcessVerifier(db.url.render_as_string(hide_password=False)) if multicore() else None,
        audit_signer=signer,
        audit_checker=signer.checker() if signer else None,
        sandboxes=SqliteSandboxes(),
    )
    try:
        oidc = OidcSettings.from_environment(os.environ.get("TREDE_BASE_URL", "http://127.0.0.1:8000"))
    except (KeyError, ValueError) as exc:
        raise StorageError(f"OpenID Connect is onvolledig ingesteld: {exc}") from None
    return App(engine=engine, db=db, oidc=OidcClient(oidc) if oidc else None, board=os.environ.get("TREDE_BOARD", "bestuur"))


def trials() -> Trials:
    """Proefdraaien without a database: every scenario in a sandbox of its own."""
    return Trials(school_calendar(), SqliteSandboxes())


# --- storage: what the command line does to the database itself, as its owner ---------


def init_storage(url: str | None = None, *, sandbox: bool = False) -> bool:
    """Create or upgrade the schema; False when it already existed."""
    return init_database(make_engine(database_url(url)), sandbox=sandbox)


def grant_app_role(url: str | None, role: str) -> list[str]:
    """PostgreSQL: give ``role`` exactly the rights to run trede; returns the statements run."""
    return grant_application_role(make_engine(database_url(url)), role)


def backup(url: str | None, target: Path) -> None:
    """A consistent copy of a SQLite database while trede runs."""
    backup_sqlite(make_engine(database_url(url)), target)


def shown_url(url: str | None = None) -> str:
    """The database URL as it may be shown: without its password."""
    return make_engine(database_url(url)).url.render_as_string(hide_password=True)
