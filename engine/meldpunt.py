"""The public meldpunt: a report without an account, followed with a receipt code.

The code is the reporter's only key: 16 characters of Crockford's base32 (80 random bits),
shown once, stored only as a SHA-256 (a guess cannot be checked offline faster than the
code space allows). The reporter may add a password; it is stored as scrypt. The reporter
acts in the case as a one-off principal that holds the melder role in that report only: no
account, nothing that links the report to a person unless they wrote it down themselves.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass, field
from datetime import datetime

from engine.access import REPORTER, REPORTER_ROLES, Membership, Principal
from engine.errors import InputError
from engine.protocol.model import Protocol

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford's base32: no I, L, O, U
CODE_LENGTH = 16
MESSAGE_TO_REPORTER = "bericht_aan_melder"  # an input a protocol uses to write to the reporter
MESSAGE_NOTICE = "bericht"  # the kind of an in-app notice that the reporter wrote
MESSAGE_LABEL = "nieuw bericht"  # what such a notice links to on the start page
REPORTER_PREFIX = "melder-"
MESSAGE_LIMIT = 5_000
PASSWORD_MIN = 8


@dataclass(frozen=True)
class Receipt:
    """What the reporter takes home: the code, shown once."""

    code: str
    case_id: str

    @property
    def shown(self) -> str:
        return "-".join(self.code[i : i + 4] for i in range(0, len(self.code), 4))


@dataclass(frozen=True)
class StoredReceipt:
    code_hash: str
    case_id: str
    reporter: str  # the one-off principal's name in the case
    password_hash: str | None
    created_at: datetime


@dataclass(frozen=True)
class Message:
    by_reporter: bool
    at: datetime
    text: str


ORAL_RECORD = "mondelinge_melding_vastleggen"  # a handler records an oral report (Wbk, the 2016 regulation)
RECORD_CORRECTION = "verslag_corrigeren"
RECORD_APPROVAL = "verslag_goedkeuren"
# what a reporter may do through the code beyond writing: check the record of their oral report
RECORD_ACTIONS = frozenset({RECORD_CORRECTION, RECORD_APPROVAL})


@dataclass(frozen=True)
class RecordCorrection:
    at: datetime
    text: str
    by_reporter: bool  # False: a handler wrote down what the melder said in person


@dataclass(frozen=True)
class OralRecord:
    """The record of an oral report, as its melder checks it: the record, every correction
    in order, and whether (and when) the melder approved it."""

    channel: str
    spoken_on: str  # the date of the conversation or voice message, as recorded
    text: str
    consent_to_recording: bool
    corrections: tuple[RecordCorrection, ...] = ()
    approved_at: datetime | None = None


@dataclass(frozen=True)
class ReporterView:
    """A report as its reporter sees it: plain status, what they reported, the messages."""

    case_id: str
    status: str
    explanation: str
    closed: bool
    reported: dict[str, str]  # label -> value, as they sent it
    messages: list[Message] = field(default_factory=list)
    can_write: bool = True
    # Who answers the reporter now: the labels of the roles that write to them in this step
    # (a role, never a person's name; a school's variant may say more in the step's description)
    contact: tuple[str, ...] = ()
    cannot_write: str = ""  # why the reporter can no longer write, in their words (empty: they can)
    ask_satisfaction: bool = False  # closed, and the board asks how satisfied they are (once)
    satisfaction: int | None = None  # their answer (1-5), once given
    oral: OralRecord | None = None  # the record of their oral report, to check, correct and approve


def new_code() -> str:
    return "".join(secrets.choice(ALPHABET) for _ in range(CODE_LENGTH))


def normalise_code(typed: str) -> str:
    """What a person typed, as the code: case, spaces and dashes do not matter, and the
    letters people confuse with digits are read as those digits."""
    text = typed.upper().translate(str.maketrans("OILU", "011V"))
    return "".join(c for c in text if c in ALPHABET)


def code_hash(code: str) -> str:
    return hashlib.sha256(f"trede-meldpunt:{code}".encode()).hexdigest()


def hash_password(password: str) -> str:
    if len(password) < PASSWORD_MIN:
        raise InputError("wachtwoord", f"kies een wachtwoord van minstens {PASSWORD_MIN} tekens, of laat het leeg")
    if len(password) > 200:
        raise InputError("wachtwoord", "het wachtwoord is te lang (ten hoogste 200 tekens)")
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode(), salt=salt, n=2**14, r=8, p=1)
    return f"scrypt${salt.hex()}${digest.hex()}"


def password_matches(stored: str, password: str) -> bool:
    try:
        _, salt, digest = stored.split("$")
        found = hashlib.scrypt(password[:200].encode(), salt=bytes.fromhex(salt), n=2**14, r=8, p=1)
    except ValueError:
        return False
    return hmac.compare_digest(found.hex(), digest)


def reporter(school: str, name: str | None = None) -> Principal:
    """The one-off principal of one report: the melder role at that school, nothing else."""
    username = name or f"{REPORTER_PREFIX}{secrets.token_hex(8)}"
    return Principal(username, "Melder", (Membership(REPORTER, school),))


def answering_roles(protocol: Protocol, step: str) -> tuple[str, ...]:
    """The roles that write to the reporter in this step: those of an action there that
    requires a message to them (in the meldpunt: the intern begeleider)."""
    found = (r for t in protocol.transitions_from(step) if MESSAGE_TO_REPORTER in t.requires for r in t.roles)
    return tuple(dict.fromkeys(found))


def listening_roles(protocol: Protocol, step: str) -> tuple[str, ...]:
    """Who hears that the reporter wrote: the roles that answer them in this step; in a
    protocol without such an action, every handling role that can act in it."""
    answering = answering_roles(protocol, step)
    if answering:
        return answering
    acting = (r for t in protocol.transitions_from(step) for r in t.roles if r not in REPORTER_ROLES)
    return tuple(dict.fromkeys(acting))
