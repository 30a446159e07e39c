"""The database schema, as SQLModel tables. Migrations in adapters/sql/migrations follow it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Column, DateTime, Index, LargeBinary, Text, UniqueConstraint, text
from sqlalchemy import false as sa_false
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator
from sqlmodel import Field, SQLModel


class UTCDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes on every backend (SQLite keeps no time zone of its own)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)  # type: ignore[no-any-return]
        return value.astimezone(UTC)  # type: ignore[no-any-return]


def _utc(**kw: Any) -> Any:
    return Field(sa_column=Column(UTCDateTime(), **kw))


def _text(**kw: Any) -> Any:
    return Field(sa_column=Column(Text, **kw))


class Meta(SQLModel, table=True):
    __tablename__ = "trede_meta"
    key: str = Field(primary_key=True)
    value: str


class ProtocolRow(SQLModel, table=True):
    __tablename__ = "protocol_versions"
    content_hash: str = Field(primary_key=True)
    protocol_id: str = Field(index=True)
    version: int
    title: str
    text: str = _text(nullable=False)
    file: str
    loaded_at: datetime = _utc(nullable=False)
    scope: str | None = None  # a school's own protocol (its id); None: the whole board

    __table_args__ = (Index("ux_protocol_versions_id_version", "protocol_id", "version", unique=True),)


class CaseRow(SQLModel, table=True):
    __tablename__ = "cases"
    id: str = Field(primary_key=True)
    protocol_id: str
    protocol_version: int
    protocol_hash: str = Field(foreign_key="protocol_versions.content_hash")
    school: str = Field(index=True)
    subject: str
    group: str | None = Field(default=None, index=True)  # the pupil's group, for a leerkracht's view
    step: str
    closed: bool
    facts: str = _text(nullable=False)
    seq: int
    last_hash: str
    opened_at: datetime = _utc(nullable=False)
    updated_at: datetime = _utc(nullable=False)
    closed_at: datetime | None = _utc(nullable=True)
    opened_by: str | None = Field(default=None)  # a melder sees only the reports they opened
    counts: str = _text(nullable=False, server_default="{}")  # how often each action was recorded
    last_recorded_at: datetime | None = _utc(nullable=True)  # the last event's recorded_at (issue 24)

    __table_args__ = (
        Index("ix_cases_protocol_step", "protocol_id", "step"),
        # The yearly report counts per class and step, and joins deadlines and step changes to
        # their case's class, from this index alone (migration 0040): never the wide rows
        Index("ix_cases_report", "id", "protocol_hash", "school", "group", "step", "closed"),
    )


STEP_CHANGE = "to_step IS NOT NULL AND (from_step IS NULL OR to_step <> from_step)"


class EventRow(SQLModel, table=True):
    __tablename__ = "events"
    case_id: str = Field(primary_key=True, foreign_key="cases.id")
    seq: int = Field(primary_key=True)
    type: str
    recorded_at: datetime = _utc(nullable=False)
    effective_at: datetime = _utc(nullable=False)
    actor: str
    role: str
    trigger: str | None = None
    from_step: str | None = None
    to_step: str | None = None
    protocol_hash: str
    calendar_version: str
    prev_hash: str
    hash: str
    record: str = _text(nullable=False)  # the canonical JSON the hash is computed over

    __table_args__ = (
        # A report's time per step reads only the step changes (about one event in eight),
        # from this index alone (migration 0039)
        Index(
            "ix_events_step_changes",
            "case_id",
            "seq",
            "from_step",
            "to_step",
            "effective_at",
            postgresql_where=text(STEP_CHANGE),
            sqlite_where=text(STEP_CHANGE),
        ),
    )


class DeadlineRow(SQLModel, table=True):
    __tablename__ = "deadlines"
    case_id: str = Field(primary_key=True, foreign_key="cases.id")
    key: str = Field(primary_key=True)
    id: str
    kind: str
    step: str
    label: str
    status: str
    basis: str
    rule: str
    duration: str
    start: str
    start_date: str | None = None
    due_date: str | None = None
    due_at: datetime | None = _utc(nullable=True)
    calendar_version: str | None = None
    extensions: str = _text(nullable=False)
    closed_seq: int | None = None
    target_date: str | None = None  # the calendar end when the Atw extended the term
    occurrence: int = Field(default=1, sa_column_kwargs={"server_default": "1"})  # of a recurring timer

    __table_args__ = (
        Index(
            "ix_deadlines_open_due",
            "due_at",
            postgresql_where=text("status = 'open'"),
            sqlite_where=text("status = 'open'"),
        ),
    )


class LetterRow(SQLModel, table=True):
    __tablename__ = "letters"
    case_id: str = Field(primary_key=True, foreign_key="cases.id")
    seq: int = Field(primary_key=True)  # the event that generated it
    name: str
    html: str = _text(nullable=False)
    pdf: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    sha256_html: str
    sha256_pdf: str


class AttachmentRow(SQLModel, table=True):
    """A file added to a case; its name and SHA-256 are in the event that added it."""

    __tablename__ = "attachments"
    case_id: str = Field(primary_key=True, foreign_key="cases.id")
    seq: int = Field(primary_key=True)  # the event that added it
    media_type: str
    size: int
    sha256: str
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))  # empty once erased


class SchoolRow(SQLModel, table=True):
    __tablename__ = "schools"
    id: str = Field(primary_key=True)
    name: str
    board: str
    region: str
    # The school's legal context: which route the law gives it, and where letters come from.
    denominatie: str | None = None  # openbaar | bijzonder
    sector: str | None = None  # po | vo | so
    address: str | None = None
    board_name: str | None = None
    board_address: str | None = None


class SafetyRoleRow(SQLModel, table=True):
    """A person in one of the school's safety roles (engine/safety_roles.py, issue 28)."""

    __tablename__ = "school_safety_roles"
    school: str = Field(primary_key=True, foreign_key="schools.id")
    position: int = Field(primary_key=True)
    role: str
    name: str
    contact: str = ""
    published: bool = False


class SchoolLogoRow(SQLModel, table=True):
    """The logo at the head of a school's letters (engine/logos.py checked it). Replaced or
    removed at will: a letter carries its logo inside itself, so made letters never change."""

    __tablename__ = "school_logos"
    school: str = Field(primary_key=True, foreign_key="schools.id")
    media_type: str
    width: int
    height: int
    content: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    uploaded_at: datetime = _utc(nullable=False)
    uploaded_by: str


class UserRow(SQLModel, table=True):
    __tablename__ = "users"
    username: str = Field(primary_key=True)
    display_name: str
    board: str
    password_hash: str
    totp_secret: str | None = None
    totp_last_step: int | None = None  # the time step of the last accepted code: no replay
    active: bool
    email: str | None = None
    mail_digest: bool = Field(default=False, sa_column_kwargs={"server_default": sa_false()})  # one mail a day
    digest_sent_on: date | None = None  # the (Amsterdam) day the last daily overview went out


class MembershipRow(SQLModel, table=True):
    __tablename__ = "memberships"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(foreign_key="users.username", index=True)
    role: str
    school: str | None = Field(default=None, foreign_key="schools.id")
    groups: str = _text(nullable=False)  # JSON list; empty: all groups


class SessionRow(SQLModel, table=True):
    __tablename__ = "sessions"
    token_hash: str = Field(primary_key=True)
    username: str = Field(foreign_key="users.username", index=True)
    csrf_token: str
    created_at: datetime = _utc(nullable=False)
    last_seen: datetime = _utc(nullable=False)
    second_factor_done: bool
    flash: str | None = _text(nullable=True)  # a message for the next page (JSON), shown once


class ApiTokenRow(SQLModel, table=True):
    __tablename__ = "api_tokens"
    token_hash: str = Field(primary_key=True)
    username: str = Field(foreign_key="users.username", index=True)
    label: str
    created_at: datetime = _utc(nullable=False)
    revoked: bool
    expires_at: datetime | None = _utc(nullable=True)


class IdentityRow(SQLModel, table=True):
    """A person at the board's identity provider, linked to a trede user (OpenID Connect)."""

    __tablename__ = "identities"
    issuer: str = Field(primary_key=True)
    subject: str = Field(primary_key=True)  # the provider's stable id ("sub")
    username: str = Field(foreign_key="users.username", index=True)
    linked_at: datetime = _utc(nullable=False)
    linked_by: str  # "e-mail" (first login by the address an administrator set) or an administrator


class OidcLoginRow(SQLModel, table=True):
    """A login that went to the identity provider and has not come back yet (used once)."""

    __tablename__ = "oidc_logins"
    state_hash: str = Field(primary_key=True)
    nonce: str
    verifier: str
    next: str
    created_at: datetime = _utc(nullable=False)


class LoginAttemptRow(SQLModel, table=True):
    __tablename__ = "login_attempts"
    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(index=True)
    client: str | None = Field(default=None, index=True)  # the client's address
    at: datetime = _utc(nullable=False)
    succeeded: bool


class NotificationRow(SQLModel, table=True):
    __tablename__ = "notifications"
    id: int | None = Field(default=None, primary_key=True)
    case_id: str | None = Field(default=None, foreign_key="cases.id")  # None: about a protocol
    deadline_key: str
    kind: str  # "herinnering" or "verlopen"
    username: str = Field(foreign_key="users.username", index=True)
    channel: str  # "mail" or "app"
    due_date: str
    created_at: datetime = _utc(nullable=False)
    sent_at: datetime | None = _utc(nullable=True)

    __table_args__ = (
        # once per occurrence: a recurring timer's next due date is a new notice
        UniqueConstraint(
            "case_id", "deadline_key", "kind", "username", "channel", "due_date", name="ux_notifications_once"
        ),
    )


class FeedTokenRow(SQLModel, table=True):
    __tablename__ = "feed_tokens"
    token_hash: str = Field(primary_key=True)
    username: str = Field(foreign_key="users.username", index=True)
    created_at: datetime = _utc(nullable=False)
    revoked: bool


class PersonalDataRow(SQLModel, table=True):
    __tablename__ = "personal_data"
    case_id: str = Field(primary_key=True, foreign_key="cases.id")
    seq: int = Field(primary_key=True)
    ref: str = Field(primary_key=True)  # "inputs.motivering", "data.subject"
    value: str | None = _text(nullable=True)  # None once erased by retention
    salt: str


class AccessLogRow(SQLModel, table=True):
    __tablename__ = "access_log"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = _utc(nullable=False)
    username: str
    roles: str
    case_id: str = Field(index=True)
    school: str
    what: str  # "zaak", "api", "audit", "dossier", "brief"
    prev_hash: str | None = None  # the log is a hash chain (engine.checkpoints.access_chain)
    hash: str | None = None


class ReporterAccessLogRow(SQLModel, table=True):
    """Views made in a reporting role (engine.ports.ReporterEntry): apart from the named log,
    in its own chain, with a keyed commitment instead of the user name and only the day."""

    __tablename__ = "reporter_access_log"
    id: int | None = Field(default=None, primary_key=True)
    day: date
    reader: str = Field(index=True)  # HMAC of the user name with the installation's secret
    roles: str
    case_id: str = Field(index=True)
    school: str
    what: str
    prev_hash: str  # engine.checkpoints.reporter_chain
    hash: str


class CheckpointRow(SQLModel, table=True):
    """Signed statements of the whole trail (append-only); the key is never stored here."""

    __tablename__ = "checkpoints"
    id: int | None = Field(default=None, primary_key=True)
    made_at: datetime = _utc(nullable=False)
    key_id: str
    statement: str = _text(nullable=False)
    signature: str


class PupilRow(SQLModel, table=True):
    """A pupil as the school's administration exported them (engine.pupils)."""

    __tablename__ = "pupils"
    school: str = Field(primary_key=True)
    key: str = Field(primary_key=True)  # keyed hash of the school's pupil number
    name: str  # the display name a case uses as pseudonym
    group: str | None = None
    status: str
    missing_since: date | None = None
    left_on: date | None = None


class ReceiptRow(SQLModel, table=True):
    """A meldpunt report's receipt: only the code's hash; no address, no browser, no account."""

    __tablename__ = "receipts"
    code_hash: str = Field(primary_key=True)
    case_id: str = Field(foreign_key="cases.id", index=True)
    reporter: str  # the one-off principal's name in the case
    password_hash: str | None = None
    created_at: datetime = _utc(nullable=False)


class DepartureRow(SQLModel, table=True):
    """A pupil who left a school: retention rules that end at departure read it."""

    __tablename__ = "departures"
    school: str = Field(primary_key=True)
    subject: str = Field(primary_key=True)  # the pupil's pseudonym, as on their cases
    left_on: date
    recorded_at: datetime = _utc(nullable=False)
    recorded_by: str



class ProposalRow(SQLModel, table=True):
    """The log of protocol proposals (four eyes): one row per step — voorgesteld,
    goedgekeurd, afgewezen, gepubliceerd, vervallen, ingetrokken. Append-only: the state is
    the last row."""

    __tablename__ = "protocol_proposals"
    id: int | None = Field(default=None, primary_key=True)
    proposal_id: str = Field(index=True)
    kind: str
    protocol_id: str
    scope: str | None = None
    actor: str
    role: str
    at: datetime = _utc(nullable=False)
    text: str = Field(default="", sa_column=Column(Text, nullable=False))
    file: str = ""
    content_hash: str = ""
    effective_on: date | None = None
    reason: str = Field(default="", sa_column=Column(Text, nullable=False))
    version: int | None = None
    base_version: int | None = None  # voorgesteld: the version it was proposed on (migration 0038)
    person: str = Field(default="", sa_column=Column(Text, nullable=False, server_default=""))
    prev_hash: str = ""  # the chain over the whole log (migration 0028)
    hash: str = ""


class IncidentPersonalRow(SQLModel, table=True):
    """The pseudonyms of the incident log (issue 28): the record holds a salted commitment,
    the value and salt stay here until retention erases both (erase-only, like personal_data)."""

    __tablename__ = "incident_personal"
    incident_id: str = Field(primary_key=True)
    ref: str = Field(primary_key=True)  # "p0", "p1", ...: the commitment's $pd
    value: str | None = _text(nullable=True)  # None once erased by retention
    salt: str


class IncidentLogRow(SQLModel, table=True):
    """The incident log (issue 28): one append-only hash chain; the record is the entry's
    canonical JSON (engine.incidents), the columns only index it."""

    __tablename__ = "incident_log"
    id: int | None = Field(default=None, primary_key=True)
    incident_id: str = Field(index=True)
    school: str = Field(index=True)
    record: str = Field(sa_column=Column(Text, nullable=False))
    prev_hash: str
    hash: str


class IncidentKeyRow(SQLModel, table=True):
    """The client keys of quick records (migration 0033): one per school, user and key,
    so that a record sent twice is recorded once (docs/snel-vastleggen.md)."""

    __tablename__ = "incident_keys"
    school: str = Field(primary_key=True)
    username: str = Field(primary_key=True)
    key: str = Field(primary_key=True)
    incident_id: str
    created_at: datetime = _utc(nullable=False)


class IncidentCategoriesRow(SQLModel, table=True):
    """The loaded versions of the incident categories (append-only)."""

    __tablename__ = "incident_categories"
    version: int = Field(primary_key=True)
    content_hash: str = Field(unique=True)
    text: str = Field(sa_column=Column(Text, nullable=False))
    file: str = ""
    loaded_at: datetime = _utc(nullable=False)


class MonitorResultRow(SQLModel, table=True):
    """One imported version of a school's monitor results for a school year (issue 28):
    the rows as JSON (engine.evaluation.MonitorImport); append-only."""

    __tablename__ = "monitor_results"
    school: str = Field(primary_key=True)
    school_year: str = Field(primary_key=True)
    version: int = Field(primary_key=True)
    rows: str = Field(sa_column=Column(Text, nullable=False))
    file: str = ""
    content_hash: str = ""
    imported_at: datetime = _utc(nullable=False)
    imported_by: str = ""


class TriageRow(SQLModel, table=True):
    """The loaded versions of each board's meldpunt triage data (issue 29; append-only)."""

    __tablename__ = "meldpunt_triage"
    __table_args__ = (UniqueConstraint("board", "version", name="uq_meldpunt_triage_board_version"),)
    id: int | None = Field(default=None, primary_key=True)
    board: str = Field(index=True)
    version: int
    content_hash: str
    text: str = Field(sa_column=Column(Text, nullable=False))
    file: str = ""
    loaded_at: datetime = _utc(nullable=False)
