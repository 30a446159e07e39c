"""Protocols: loading new versions (by the administrator or a protocol owner) and reading
the stored ones. Protocol texts name no people, so reading them needs no case access."""

from __future__ import annotations

import builtins
from collections.abc import Sequence
from dataclasses import dataclass

from engine.access import OPERATOR_ROLE, PROTOCOL_OWNER, Principal, opening_roles
from engine.account_ports import Notice
from engine.errors import ProtocolError
from engine.ports import SchoolRecord, StoredProtocol, UnitOfWork
from engine.protocol.diff import Change, diff_protocols
from engine.protocol.floors import replacement_problems
from engine.protocol.loader import load_protocol_text
from engine.protocol.model import Protocol
from engine.protocol.variants import resolve_variant
from engine.protocol.yamlsource import Located, read_yaml
from engine.rebase import PROTOCOL_NOTICE, Rebase, notice_key, now_in_base, on_base_version
from engine.refusals import refused
from engine.terms import local_date
from engine.usecases.base import Services, known_school
from engine.usecases.trials import Trials
from engine.usecases.users import principals
from engine.views import Openable


@dataclass(frozen=True)
class ProtocolVersion:
    stored: StoredProtocol
    protocol: Protocol


@dataclass
class Protocols:
    services: Services

    def load(
        self, principal: Principal, protocol: Protocol, *, scope: str | None = None
    ) -> tuple[StoredProtocol, bool]:
        """Store a validated protocol; new content under a known id becomes its next version.
        ``scope``: a school's own protocol is offered only at that school; None: the board's.

        Only the administrator loads directly (the command line, the bundled protocols); a
        protocol owner proposes (``Proposals.propose``), and a second person approves it
        (four eyes): a direct load by one person would bypass that."""
        if not (principal.is_operator() or principal.owns_protocols()):
            raise refused(principal, "een protocol laden", [PROTOCOL_OWNER])
        if not principal.is_operator() and not self.manages(principal, scope):
            if scope is None:  # an installation that serves several boards: only its administrator
                raise refused(
                    principal,
                    "een protocol laden voor alle scholen van de installatie",
                    [OPERATOR_ROLE],
                    why="deze installatie bedient meer besturen; laad het protocol voor een school van uw bestuur",
                )
            raise refused(
                principal,
                "een eigen protocol van de school laden",
                [PROTOCOL_OWNER],
                school=scope,
                school_name=self.services.school_name(scope),
            )
        if not principal.is_operator():
            raise refused(
                principal,
                "een protocol laden zonder goedkeuring",
                [OPERATOR_ROLE],
                held=[PROTOCOL_OWNER],
                why="een nieuwe versie of variant geldt pas als een tweede persoon haar goedkeurt (vier ogen)",
                advice="Stel haar voor (trede protocol propose, of uploaden op de pagina Protocollen); "
                "een andere protocoleigenaar of het bevoegd gezag keurt haar goed.",
            )
        s = self.services
        self.parse_for(protocol.text, protocol.file, scope)  # its bases: the board's, or this school's own
        self.require_floors(protocol, scope)
        Trials.of(s).require(protocol, school=scope)  # a failing proefscenario blocks loading
        with s.uow(write=True) as uow:
            if scope is not None:
                known_school(uow, scope)
            created = uow.protocols.add(protocol, s.clock.now(), scope)
            stored = uow.protocols.by_hash(protocol.content_hash)
            s.remember(protocol)
            if created:
                tell_variant_owners(s, uow, stored)
            uow.commit()
        return stored, created

    def rebases(self, principal: Principal, variant_id: str | None = None) -> builtins.list[Rebase]:
        """The variants this protocol owner keeps whose base has a newer version, each with
        what the base changed and its text applied to the newest base version, validated."""
        s = self.services
        with s.uow() as uow:
            newest = latest_in(s, uow)
        found = []
        for version in newest:
            base = version.protocol.spec.extends
            if base is None or (variant_id is not None and version.stored.id != variant_id):
                continue
            if not (principal.is_operator() or self.manages(principal, version.stored.scope)):
                continue
            newer = _newest_base(newest, base.id, version.stored.scope)
            if newer is None or newer.stored.version <= base.version:
                continue
            found.append(self._rebased(version, base.id, base.version, newer))
        return found

    def _rebased(self, variant: ProtocolVersion, base_id: str, old: int, new: ProtocolVersion) -> Rebase:
        before = self.get(base_id, old).protocol
        text = on_base_version(variant.stored.text, variant.stored.file, new.stored.version)
        changes = diff_protocols(before, new.protocol)
        common = (variant.stored, base_id, old, new.stored.version, changes, text)
        warnings = now_in_base(text, variant.stored.file, before, new.protocol)
        try:
            return Rebase(*common, protocol=self.parse(text, variant.stored.file), warnings=warnings)
        except ProtocolError as exc:
            return Rebase(*common, problems=exc.problems, warnings=warnings)

    @staticmethod
    def manages(principal: Principal, scope: str | None) -> bool:
        """Whether this protocol owner keeps the protocols of that school (None: those of every
        school; in an installation serving several boards, only the administrator does)."""
        if scope is None:
            return any(m.role == PROTOCOL_OWNER and m.scope() is None for m in principal.memberships)
        return PROTOCOL_OWNER in principal.roles_for(scope)

    def managed(self, principal: Principal) -> builtins.list[StoredProtocol]:
        """The stored protocols this protocol owner sees in their management pages: those of
        every school and those of their own schools (not another board's school variants)."""
        return [p for p in self.list() if p.scope is None or principal.is_operator() or self.manages(principal, p.scope)]

    def require_floors(self, protocol: Protocol, scope: str | None) -> None:
        """A version for one school under the id of a board protocol replaces the board's
        version there (``offered_at``: the newer of the two), as a variant does: it may not
        take out what the law requires of the board's newest version (engine/protocol/floors.py).
        Refused with the elements it lacks; nothing to check for the board's own versions."""
        if scope is None:
            return
        with self.services.uow() as uow:
            board = [p for p in uow.protocols.list() if p.id == protocol.id and p.scope is None]
        if not board:
            return
        newest = max(board, key=lambda p: p.version)
        problems = replacement_problems(
            self._resolved(newest.text, newest.file),
            self._resolved(protocol.text, protocol.file),
            self.services.school_name(scope),
        )
        if problems:
            raise ProtocolError(problems)

    def _resolved(self, text: str, file: str) -> Located:
        """A protocol text with its bases merged in (as stored: it loaded before)."""
        located, _ = read_yaml(text, file)
        merged, _ = resolve_variant(located, self.services.stored_base, renames=False)
        return merged

    def parse_for(self, text: str, file: str, scope: str | None) -> Protocol:
        """Validate a protocol text written for ``scope`` (a school; None: the board): a
        variant builds on the board's versions or that school's own (``stored_base_at``)."""
        return load_protocol_text(text, file, self.services.stored_base_at(scope))

    def parse(self, text: str, file: str) -> Protocol:
        """Validate a protocol text against the stored bases (a variant's base must be loaded)."""
        return load_protocol_text(text, file, self.services.stored_base)

    def list(self) -> list[StoredProtocol]:
        with self.services.uow() as uow:
            return uow.protocols.list()

    def latest(self) -> builtins.list[ProtocolVersion]:
        """The newest version of every protocol."""
        with self.services.uow() as uow:
            return latest_in(self.services, uow)

    def openable(self, principal: Principal) -> builtins.list[Openable]:
        """The protocols this user may open cases of, each with the schools where they may."""
        with self.services.uow() as uow:
            return openable_in(self.services, uow, principal, uow.schools.list())

    def get(self, protocol_id: str, version: int | None = None) -> ProtocolVersion:
        with self.services.uow() as uow:
            stored = uow.protocols.get(protocol_id, version)
        return ProtocolVersion(stored, self.services.protocol(stored.content_hash))

    def versions(self, protocol_id: str) -> builtins.list[StoredProtocol]:
        return [p for p in self.list() if p.id == protocol_id]

    def diff_with_base(self, protocol: Protocol) -> builtins.list[Change] | None:
        base_ref = protocol.spec.extends
        if base_ref is None:
            return None
        text, file = self.services.stored_base(base_ref.id, base_ref.version)
        return diff_protocols(load_protocol_text(text, file, self.services.stored_base), protocol)

    def count(self) -> int:
        """How many protocol versions are stored; answers only when the database does."""
        with self.services.uow() as uow:
            return uow.protocols.count()


def latest_in(services: Services, uow: UnitOfWork) -> list[ProtocolVersion]:
    """The newest version of every protocol, read in the caller's unit of work: the board's
    newest and each school's own newest, so a version loaded for one school never takes the
    board's version away from the others."""
    newest: dict[tuple[str, str | None], StoredProtocol] = {}
    for stored in uow.protocols.list():
        newest[(stored.id, stored.scope)] = stored
    return [ProtocolVersion(p, services.protocol(p.content_hash)) for p in newest.values()]


def openable_in(
    services: Services, uow: UnitOfWork, principal: Principal, schools: Sequence[SchoolRecord]
) -> list[Openable]:
    """The protocols ``principal`` may open cases of, at which of ``schools`` (the register).
    At a school with its own variant of a protocol only that variant is offered there, not
    its base: of several variants of one base for one school, the one loaded last."""
    by_name = [s.id for s in sorted(schools, key=lambda s: s.name)]
    newest = latest_in(services, uow)
    places: dict[str, list[str]] = {}
    for school in by_name:
        for version in offered_at(newest, school):
            if any(opening_roles(principal, version.protocol, school, g) for g in (None, *_groups(principal, school))):
                places.setdefault(version.stored.content_hash, []).append(school)
    return [Openable(v.stored, v.protocol, places[v.stored.content_hash]) for v in newest if v.stored.content_hash in places]


def offered_at(newest: Sequence[ProtocolVersion], school: str) -> list[ProtocolVersion]:
    """What ``school`` is offered: the board's protocols and its own, except those its own
    variants replace (``_replaced_at_schools``); of one protocol id, the newer of the board's
    version and the school's own. The one rule for the new-case form, the meldpunt and a
    hand-over."""
    here = [v for v in newest if v.stored.scope in (None, school)]
    top: dict[str, ProtocolVersion] = {}
    for v in here:
        if v.stored.id not in top or v.stored.version > top[v.stored.id].stored.version:
            top[v.stored.id] = v
    replaced = _replaced_at_schools(newest).get(school, set())
    return [v for v in here if top[v.stored.id] is v and v.stored.id not in replaced]


def offered_instead(newest: Sequence[ProtocolVersion], protocol_id: str, school: str) -> str:
    """The protocol a case of ``protocol_id`` opens under at ``school``: the school's own
    variant of it that is offered there, else ``protocol_id`` itself."""
    for version in offered_at(newest, school):
        base = version.protocol.spec.extends
        if version.stored.scope == school and base is not None and base.id == protocol_id:
            return version.stored.id
    return protocol_id


def _replaced_at_schools(newest: Sequence[ProtocolVersion]) -> dict[str, set[str]]:
    """Per school, the protocols its own variants replace there: the base of each variant
    loaded for that school, and an older variant of the same base (the newest one stays)."""
    offered: dict[tuple[str, str], str] = {}  # (school, base id) -> the variant offered there
    replaced: dict[str, set[str]] = {}
    for version in sorted(newest, key=lambda v: v.stored.loaded_at):  # stable: the store's order on a tie
        base = version.protocol.spec.extends
        school = version.stored.scope
        if school is None or base is None:
            continue
        earlier = offered.get((school, base.id))
        if earlier is not None:
            replaced.setdefault(school, set()).add(earlier)
        offered[(school, base.id)] = version.stored.id
        replaced.setdefault(school, set()).add(base.id)
    return replaced


def tell_variant_owners(services: Services, uow: UnitOfWork, base: StoredProtocol) -> int:
    """Tell the protocol owners of every variant on an earlier version of ``base`` (at the
    schools where it is offered) that a new base version is there; returns how many notices."""
    behind = [
        v
        for v in latest_in(services, uow)
        if (extends := v.protocol.spec.extends) is not None
        and extends.id == base.id
        and extends.version < base.version
        and base.scope in (None, v.stored.scope)  # another school's own base version is not this variant's
    ]
    if not behind:
        return 0  # the register is read only when someone is to be told
    owners = principals(uow, [PROTOCOL_OWNER])
    day = local_date(base.loaded_at).isoformat()
    notices = [
        Notice(None, notice_key(v.stored.id, base.id, base.version), PROTOCOL_NOTICE, owner.username, "app", day)
        for v in behind
        for owner in owners
        if Protocols.manages(owner, v.stored.scope)
    ]
    return uow.notifications.record(notices, base.loaded_at)


def _newest_base(newest: Sequence[ProtocolVersion], base_id: str, school: str | None) -> ProtocolVersion | None:
    """The newest version of a base offered where a variant applies (its school, or the board)."""
    found = [v for v in newest if v.stored.id == base_id and v.stored.scope in (None, school)]
    return max(found, key=lambda v: v.stored.version, default=None)


def _groups(principal: Principal, school: str) -> list[str]:
    return sorted({g for m in principal.memberships if m.school in (school, None) for g in m.groups})
