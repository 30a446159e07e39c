"""Publication with four eyes: a protocol (a school's variant, a board's new version) is
proposed, shown as a diff against what runs now, and published only when a second
authorised person approves it — another protocol owner of that school or board, or the
bevoegd gezag; never the one who proposed it — from an effective date.

Every step is a row in the append-only, hash-chained proposals log (who, in which role,
when, why); the published text becomes a protocol version like any load. A proposal's
proefscenario's must pass when it is proposed, again when it is approved and again when it
is published; at publication its text is checked again as a load is (the legal floors
included).

A proposal records its base: the version of its protocol that was current for its scope
when it was proposed. It is approved and published only while that is still the current
one; when another version was published meanwhile (another proposal, or a load), it is
``vervallen`` instead, and the proposer proposes the change again on the newer version. It
lapses too when, at publication, its scenarios or the legal floors fail, or its approver
may no longer decide. An approved proposal may be withdrawn (``ingetrokken``) with a
reason before it takes effect, by its proposer or by someone who may decide on it.

Four eyes means two persons, not two user names: each step records digests of the actor's
linked provider identities and e-mail address (``person_of``); an approver whose account
shares one with the proposer's (as recorded, or now) is refused like the proposer. Two
accounts of one person that share neither are not recognised: one account per person is the
board's duty (docs/protocol-format.md).

From the effective date new cases open under the published version; running cases stay on
the version they were opened with (a case is pinned to its protocol, DESIGN invariant 4)
until someone migrates them explicitly (``trede case migrate``).
"""

from __future__ import annotations

import builtins
import hashlib
from dataclasses import dataclass, replace
from datetime import date, datetime

from engine.access import PROTOCOL_OWNER, Principal
from engine.account_ports import Notice
from engine.errors import InputError, PermissionDenied, ProposalLapsed, ProtocolError, ProtocolNotFound
from engine.inputs import AHEAD, require_text
from engine.ports import ProposalEntry, StoredProtocol, UnitOfWork
from engine.protocol.diff import Change, diff_protocols
from engine.protocol.model import Protocol
from engine.rebase import Rebase
from engine.refusals import refused
from engine.terms import local_date
from engine.usecases.base import Services, known_school
from engine.usecases.protocols import Protocols, tell_variant_owners
from engine.usecases.trials import Trials
from engine.usecases.users import principal_of, principals
from engine.views import (
    PROPOSAL_APPROVED,
    PROPOSAL_LAPSED,
    PROPOSAL_NOTICE,
    PROPOSAL_REJECTED,
    PROPOSAL_WITHDRAWN,
    proposal_key,
)

BOARD = "bevoegd_gezag"
APPROVERS = (PROTOCOL_OWNER, BOARD)
PROPOSED, APPROVED, REJECTED, PUBLISHED = "voorgesteld", "goedgekeurd", "afgewezen", "gepubliceerd"
LAPSED, WITHDRAWN = "vervallen", "ingetrokken"  # ended without publication: by trede, or by a person
SYSTEM = "trede"  # who publishes an approved proposal on its effective date (or marks it vervallen)
# in-app notices (uow.notifications; about no case, the proposal in the key): a proposal to judge,
# and the proposer's own proposal decided
DECIDED_NOTICE = {APPROVED: PROPOSAL_APPROVED, REJECTED: PROPOSAL_REJECTED}
NEWER = "Er is intussen een nieuwere versie gepubliceerd; stel de wijziging opnieuw voor op basis van versie {version}."
SAME_TEXT = "Deze tekst is intussen al gepubliceerd, als versie {version}."


@dataclass(frozen=True)
class Proposal:
    id: str
    protocol_id: str
    scope: str | None
    text: str
    file: str
    content_hash: str
    proposed_by: str
    proposed_at: datetime
    status: str  # voorgesteld | goedgekeurd | afgewezen | gepubliceerd | vervallen | ingetrokken
    decided_by: str | None = None
    decided_at: datetime | None = None
    effective_on: date | None = None
    reason: str = ""  # why it was rejected, lapsed or withdrawn
    version: int | None = None
    steps: tuple[ProposalEntry, ...] = ()
    base_version: int | None = None  # the version current when proposed (0: none; None: not recorded)

    @property
    def open(self) -> bool:
        return self.status == PROPOSED

    @property
    def pending(self) -> bool:
        """Not ended yet: open, or approved and waiting for its effective date."""
        return self.status in (PROPOSED, APPROVED)


def _fold(entries: list[ProposalEntry]) -> Proposal:
    first = entries[0]
    proposal = Proposal(
        first.proposal_id,
        first.protocol_id,
        first.scope,
        first.text,
        first.file,
        first.content_hash,
        first.actor,
        first.at,
        PROPOSED,
        steps=tuple(entries),
        base_version=first.base_version,
    )
    for e in entries[1:]:
        if e.kind in (APPROVED, REJECTED):
            proposal = replace(
                proposal,
                status=e.kind,
                decided_by=e.actor,
                decided_at=e.at,
                effective_on=e.effective_on,
                reason=e.reason,
            )
        elif e.kind == PUBLISHED:
            proposal = replace(proposal, status=PUBLISHED, version=e.version)
        elif e.kind in (LAPSED, WITHDRAWN):
            proposal = replace(proposal, status=e.kind, reason=e.reason)
    return proposal


def person_of(uow: UnitOfWork, username: str) -> str:
    """Who holds this account beyond its user name, as digests (never the values): each
    identity at a provider linked to it, and its e-mail address (compared without case).
    Empty for a name without an account."""
    if uow.users.account(username) is None:
        return ""
    marks = {_mark("oidc", issuer, subject) for issuer, subject in uow.identities.subjects(username)}
    email = (uow.users.email(username) or "").strip().lower()
    if email:
        marks.add(_mark("mail", email))
    return " ".join(sorted(marks))


def _mark(kind: str, *parts: str) -> str:
    return f"{kind}:" + hashlib.sha256("\0".join((kind, *parts)).encode("utf-8")).hexdigest()


@dataclass
class Proposals:
    services: Services

    # --- who may ----------------------------------------------------------------

    def _may_propose(self, principal: Principal, scope: str | None) -> None:
        if not (principal.owns_protocols() and Protocols.manages(principal, scope)):
            raise refused(
                principal,
                "een protocol voorstellen",
                [PROTOCOL_OWNER],
                school=scope,
                school_name=self.services.school_name(scope) if scope else None,
                board_wide=scope is None,
            )

    @staticmethod
    def _approver_role(principal: Principal, scope: str | None) -> str | None:
        """The role in which this person may decide on a proposal for ``scope``."""
        for role in APPROVERS:
            if scope is None:
                if any(m.role == role and m.scope() is None for m in principal.memberships):
                    return role
            elif role in principal.roles_for(scope):
                return role
        return None

    def _decider(self, principal: Principal, proposal: Proposal, deed: str) -> str:
        """The role in which this person decides; refused when they may not, or proposed it."""
        role = self._approver_role(principal, proposal.scope)
        school_name = self.services.school_name(proposal.scope) if proposal.scope else None
        if role is None:
            raise refused(
                principal,
                deed,
                list(APPROVERS),
                school=proposal.scope,
                school_name=school_name,
                board_wide=proposal.scope is None,
            )
        if principal.username == proposal.proposed_by:
            raise self._four_eyes(principal, proposal, deed, role, "u heeft dit voorstel zelf gedaan")
        return role

    def _four_eyes(self, principal: Principal, proposal: Proposal, deed: str, role: str, why: str) -> PermissionDenied:
        return refused(
            principal,
            deed,
            list(APPROVERS),
            school=proposal.scope,
            school_name=self.services.school_name(proposal.scope) if proposal.scope else None,
            held=[role],
            why=f"{why}; een voorstel wordt beoordeeld door een tweede persoon (vier ogen)",
            advice="vraag een andere protocoleigenaar of het bevoegd gezag om het voorstel te beoordelen",
        )

    @staticmethod
    def _same_person(uow: UnitOfWork, proposal: Proposal, username: str, recorded: str = "") -> str | None:
        """Why ``username`` is the proposer under another account, in the decider's words;
        None when nothing says so. Compared: what the proposal's first step recorded and what
        the proposer's account holds now, with what ``recorded`` holds (the approval's step)
        and what ``username``'s account holds now."""
        proposer = set(proposal.steps[0].person.split()) | set(person_of(uow, proposal.proposed_by).split())
        decider = set(recorded.split()) | set(person_of(uow, username).split())
        shared = proposer & decider
        if any(mark.startswith("oidc:") for mark in shared):
            return "dit account hoort bij dezelfde persoon als dat van de indiener (dezelfde inlog bij de identiteitsprovider)"
        if shared:
            return "dit account heeft hetzelfde e-mailadres als dat van de indiener, en geldt dus als dezelfde persoon"
        return None

    def _second_person(self, uow: UnitOfWork, principal: Principal, proposal: Proposal, deed: str, role: str) -> None:
        why = self._same_person(uow, proposal, principal.username)
        if why is not None:
            raise self._four_eyes(principal, proposal, deed, role, why)

    # --- actions ----------------------------------------------------------------

    def propose(self, principal: Principal, text: str, file: str, *, scope: str | None = None) -> Proposal:
        """Validate the text (its base must be loaded), run its proefscenario's, and store it
        as a proposal on the version of its protocol current now (its base): it is not
        offered for new cases until approved."""
        self._may_propose(principal, scope)
        s = self.services
        protocol = Protocols(s).parse_for(text, file, scope)
        Protocols(s).require_floors(protocol, scope)  # a school's own version of a board protocol
        Trials.of(s).require(protocol, school=scope)
        proposal_id = s.new_id()
        with s.uow(write=True) as uow:
            if scope is not None:
                known_school(uow, scope)
            _not_stored(uow, protocol)
            uow.proposals.add(
                ProposalEntry(
                    proposal_id,
                    PROPOSED,
                    protocol.id,
                    scope,
                    principal.username,
                    PROTOCOL_OWNER,
                    s.clock.now(),
                    text=protocol.text,
                    file=protocol.file,
                    content_hash=protocol.content_hash,
                    base_version=_current(uow, protocol.id, scope)[0],
                    person=person_of(uow, principal.username),
                )
            )
            # everyone else who may decide on it hears of it in the app
            deciders = [
                p.username
                for p in principals(uow, APPROVERS)
                if p.username != principal.username and self._approver_role(p, scope) is not None
            ]
            self._notify(uow, proposal_id, PROPOSAL_NOTICE, deciders)
            uow.commit()
        return self.get(principal, proposal_id)

    def carry_over(
        self, principal: Principal, variant_id: str, *, school: str | None = None
    ) -> tuple[Proposal, Rebase]:
        """Propose a variant on the newest version of its base: its own text with only its
        ``extends`` moved, validated, its proefscenario's run on it. A carried-over variant
        is a publication like any other, so a second authorised person approves it. Asking
        again while that proposal is open returns it (nothing is proposed twice)."""
        if not principal.owns_protocols():
            raise refused(principal, "een variant overnemen op een nieuwe basisversie", [PROTOCOL_OWNER])
        found = [
            r
            for r in Protocols(self.services).rebases(principal, variant_id)
            if school is None or r.variant.scope == school
        ]
        if not found:
            raise InputError("protocol", f"voor '{variant_id}' is er geen nieuwe basisversie om over te nemen")
        chosen = found[0]
        if chosen.protocol is None or chosen.problems:
            raise ProtocolError(chosen.problems)
        waiting = self.waiting(principal, chosen)
        if waiting is not None:
            return waiting, chosen
        return self.propose(principal, chosen.text, chosen.variant.file, scope=chosen.variant.scope), chosen

    def waiting(self, principal: Principal, rebase: Rebase) -> Proposal | None:
        """The open proposal of exactly this rebased variant, if someone made it."""
        if rebase.protocol is None:
            return None
        same = [
            p
            for p in self.list(principal)
            if p.open and p.scope == rebase.variant.scope and p.content_hash == rebase.protocol.content_hash
        ]
        return same[0] if same else None

    def approve(self, principal: Principal, proposal_id: str, *, effective_on: date | None = None) -> Proposal:
        """Approve (a second person) from ``effective_on``: today (the default) up to a year
        ahead (``engine.inputs.AHEAD``, as other dates ahead; a later day would be judged on
        a protocol and a law as they are now). Published at once when that day has come,
        else on that day by ``publish_due`` (the worker).

        Refused when another version of the protocol was published since it was proposed:
        the proposal is then marked vervallen (``ProposalLapsed``)."""
        s = self.services
        deed = "dit protocolvoorstel goedkeuren"
        proposal = self._read(proposal_id)
        role = self._decider(principal, proposal, deed)
        self._still_open(proposal)
        day = _effective_day(effective_on, local_date(s.clock.now()))
        with s.uow() as uow:
            self._second_person(uow, principal, proposal, deed, role)
            stale = _outdated(uow, proposal) is not None
        if not stale:  # a proposal that lapses needs no run
            protocol = self._protocol(proposal, checked=True)
            Trials.of(s).require(protocol, school=proposal.scope, again=True)  # the calendar may have changed
        lapsed: ProposalLapsed | None = None
        with s.uow(write=True) as uow:
            uow.proposals.lock()
            current = _fold(uow.proposals.entries(proposal_id))
            self._still_open(current)
            self._second_person(uow, principal, current, deed, role)
            lapsed = self._lapse_if_outdated(uow, current)
            if lapsed is None:
                uow.proposals.add(
                    ProposalEntry(
                        proposal_id,
                        APPROVED,
                        proposal.protocol_id,
                        proposal.scope,
                        principal.username,
                        role,
                        s.clock.now(),
                        effective_on=day,
                        person=person_of(uow, principal.username),
                    )
                )
                self._notify(uow, proposal_id, DECIDED_NOTICE[APPROVED], [proposal.proposed_by])
            uow.commit()
        if lapsed is not None:
            raise lapsed
        self._publish_due({proposal_id: principal})
        return self.get(principal, proposal_id)

    def reject(self, principal: Principal, proposal_id: str, *, reason: str) -> Proposal:
        """Reject with a reason (a second person; the proposer withdraws instead)."""
        require_text("reden", reason)
        s = self.services
        deed = "dit protocolvoorstel afwijzen"
        proposal = self._read(proposal_id)
        role = self._decider(principal, proposal, deed)
        self._still_open(proposal)
        with s.uow(write=True) as uow:
            uow.proposals.lock()
            current = _fold(uow.proposals.entries(proposal_id))
            self._still_open(current)
            self._second_person(uow, principal, current, deed, role)
            uow.proposals.add(
                ProposalEntry(
                    proposal_id,
                    REJECTED,
                    proposal.protocol_id,
                    proposal.scope,
                    principal.username,
                    role,
                    s.clock.now(),
                    reason=reason.strip(),
                    person=person_of(uow, principal.username),
                )
            )
            self._notify(uow, proposal_id, DECIDED_NOTICE[REJECTED], [proposal.proposed_by])
            uow.commit()
        return self.get(principal, proposal_id)

    def withdraw(self, principal: Principal, proposal_id: str, *, reason: str) -> Proposal:
        """Withdraw (intrekken) a proposal that is not published yet, with a reason: an
        approved one by its proposer or by anyone who may decide on it; an open one by its
        proposer (a decider rejects it). Stopping a change needs no second person."""
        require_text("reden", reason)
        s = self.services
        proposal = self._read(proposal_id)
        role = self._withdrawer(principal, proposal)
        with s.uow(write=True) as uow:
            uow.proposals.lock()
            current = _fold(uow.proposals.entries(proposal_id))
            if not current.pending:
                raise InputError("voorstel", f"dit voorstel kan niet meer worden ingetrokken: het is {current.status}")
            if current.open and principal.username != current.proposed_by:
                raise InputError(
                    "voorstel",
                    "een voorstel dat nog niet is beoordeeld trekt alleen de indiener in; wijs het af met een reden",
                )
            uow.proposals.add(
                ProposalEntry(
                    proposal_id,
                    WITHDRAWN,
                    proposal.protocol_id,
                    proposal.scope,
                    principal.username,
                    role,
                    s.clock.now(),
                    effective_on=current.effective_on,
                    reason=reason.strip(),
                    person=person_of(uow, principal.username),
                )
            )
            told = [n for n in (current.proposed_by, current.decided_by) if n and n != principal.username]
            self._notify(uow, proposal_id, PROPOSAL_WITHDRAWN, told)
            uow.commit()
        return self.get(principal, proposal_id)

    def _withdrawer(self, principal: Principal, proposal: Proposal) -> str:
        """The role in which this person may withdraw the proposal."""
        if principal.username == proposal.proposed_by and Protocols.manages(principal, proposal.scope):
            return PROTOCOL_OWNER
        role = self._approver_role(principal, proposal.scope)
        if role is None:
            raise refused(
                principal,
                "dit protocolvoorstel intrekken",
                list(APPROVERS),
                school=proposal.scope,
                school_name=self.services.school_name(proposal.scope) if proposal.scope else None,
                board_wide=proposal.scope is None,
            )
        return role

    def publish_due(self) -> list[StoredProtocol]:
        """Publish every approved proposal whose effective date has come (the worker runs
        this each round): it becomes the protocol's next version, for new cases.

        Each is checked again first, and marked vervallen instead (its proposer and approver
        told) when its base is no longer the current version, when its text no longer loads
        (the legal floors included) or its scenarios fail, or when its approver may no
        longer decide on it (their roles now, and four eyes by person)."""
        return self._publish_due({})

    def _publish_due(self, vouched: dict[str, Principal]) -> list[StoredProtocol]:
        """``vouched``: approvers checked a moment ago, in this call (an approval from today)."""
        s = self.services
        today = local_date(s.clock.now())
        with s.uow() as uow:
            entries = uow.proposals.entries_where_last(APPROVED)
        # the earliest effective, then the earliest approved (in the log's order) first: a
        # later one on the same base then lapses
        approved_at = {e.proposal_id: n for n, e in enumerate(entries) if e.kind == APPROVED}
        due = sorted(
            (p for p in _folded(entries) if p.status == APPROVED and p.effective_on and p.effective_on <= today),
            key=lambda p: (p.effective_on or today, approved_at[p.id]),
        )
        if not due:
            return []
        checked = {p.id: self._check_again(p, fresh=p.id not in vouched) for p in due}  # outside the write lock
        published: builtins.list[StoredProtocol] = []
        with s.uow(write=True) as uow:
            uow.proposals.lock()
            for proposal in due:
                current = _fold(uow.proposals.entries(proposal.id))
                if current.status != APPROVED:
                    continue  # published, withdrawn or lapsed meanwhile
                protocol = checked[proposal.id]
                if isinstance(protocol, str):
                    self._lapse(uow, current, protocol)
                    continue
                if self._lapse_if_outdated(uow, current) is not None:
                    continue
                gone = self._approver_gone(uow, current, vouched.get(proposal.id))
                if gone is not None:
                    self._lapse(uow, current, gone)
                    continue
                created = uow.protocols.add(protocol, s.clock.now(), proposal.scope)
                stored = uow.protocols.by_hash(protocol.content_hash)
                s.remember(protocol)
                if created:  # as a load does: the owners of variants on an earlier version hear of it
                    tell_variant_owners(s, uow, stored)
                uow.proposals.add(
                    ProposalEntry(
                        proposal.id,
                        PUBLISHED,
                        proposal.protocol_id,
                        proposal.scope,
                        SYSTEM,
                        SYSTEM,
                        s.clock.now(),
                        version=stored.version,
                        effective_on=proposal.effective_on,
                    )
                )
                published.append(stored)
            uow.commit()
        return published

    def _check_again(self, proposal: Proposal, *, fresh: bool) -> Protocol | str:
        """The proposal's protocol, loaded again as a load is (its bases, the legal floors as
        trede knows them now) with its scenarios run again; else why it cannot be published."""
        try:
            protocol = self._protocol(proposal, checked=True)
            Protocols(self.services).require_floors(protocol, proposal.scope)
            Trials.of(self.services).require(protocol, school=proposal.scope, again=fresh)
        except ProtocolError as exc:
            shown = "; ".join(p.message for p in exc.problems[:3])
            more = f" (en nog {len(exc.problems) - 3})" if len(exc.problems) > 3 else ""
            return (
                f"Bij de publicatie is het protocol opnieuw gecontroleerd, met zijn proefscenario's, en dat "
                f"keurt het nu af: {shown}{more}. Pas de wijziging aan en stel haar opnieuw voor."
            )
        return protocol

    def _approver_gone(self, uow: UnitOfWork, proposal: Proposal, vouched: Principal | None) -> str | None:
        """Why the approval no longer counts: the approver has no account or may no longer
        decide for the proposal's school (or board), or is the proposer under another account."""
        name = proposal.decided_by or ""
        approver = vouched if vouched is not None else principal_of(uow, uow.users.account(name))
        where = self.services.school_name(proposal.scope) if proposal.scope else "het bestuur"
        if approver is None or self._approver_role(approver, proposal.scope) is None:
            return (
                f"De goedkeuring telt niet meer: {name} mag voorstellen voor {where} niet meer beoordelen. "
                "Stel de wijziging opnieuw voor; een tweede persoon beoordeelt haar dan."
            )
        approval = next((e for e in reversed(proposal.steps) if e.kind == APPROVED), None)
        same = self._same_person(uow, proposal, approver.username, approval.person if approval else "")
        if approver.username == proposal.proposed_by or same is not None:
            return f"De goedkeuring telt niet meer: {same or 'de indiener keurde het zelf goed'} (vier ogen)."
        return None

    def _lapse_if_outdated(self, uow: UnitOfWork, proposal: Proposal) -> ProposalLapsed | None:
        """Mark the proposal vervallen when its base is no longer the current version."""
        found = _outdated(uow, proposal)
        if found is None:
            return None
        version, same_text = found
        reason = (SAME_TEXT if same_text else NEWER).format(version=version)
        self._lapse(uow, proposal, reason)
        return ProposalLapsed(proposal.id, reason, current_version=version)

    def _lapse(self, uow: UnitOfWork, proposal: Proposal, reason: str) -> None:
        uow.proposals.add(
            ProposalEntry(
                proposal.id,
                LAPSED,
                proposal.protocol_id,
                proposal.scope,
                SYSTEM,
                SYSTEM,
                self.services.clock.now(),
                effective_on=proposal.effective_on,
                reason=reason,
            )
        )
        told = [n for n in (proposal.proposed_by, proposal.decided_by) if n]
        self._notify(uow, proposal.id, PROPOSAL_LAPSED, told)

    def _notify(self, uow: UnitOfWork, proposal_id: str, kind: str, usernames: builtins.list[str]) -> None:
        """An in-app notice of ``kind`` about this proposal for each of ``usernames`` who has
        an account: about no case, the proposal named in its key (``proposal_key``)."""
        day = local_date(self.services.clock.now()).isoformat()
        notices = [
            Notice(None, proposal_key(kind, proposal_id), kind, name, "app", day)
            for name in dict.fromkeys(usernames)
            if uow.users.account(name) is not None
        ]
        uow.notifications.record(notices, self.services.clock.now())

    # --- reads ------------------------------------------------------------------

    def list(self, principal: Principal) -> list[Proposal]:
        """The proposals this person may see: of the schools (or board) they own protocols
        of or decide for; newest first."""
        with self.services.uow() as uow:
            found = _all(uow)
        mine = [p for p in found if self._sees(principal, p)]
        return sorted(mine, key=lambda p: p.proposed_at, reverse=True)

    def get(self, principal: Principal, proposal_id: str) -> Proposal:
        proposal = self._read(proposal_id)
        if not self._sees(principal, proposal):
            raise InputError("voorstel", f"voorstel '{proposal_id[:40]}' bestaat niet")
        return proposal

    def diff(self, principal: Principal, proposal_id: str) -> tuple[str, builtins.list[Change]]:
        """What the proposal changes against what runs now where it would apply: the current
        version of the same protocol for its school (the board's or the school's own; another
        school's own version is neither what runs there nor the reader's to see) or for the
        board, else (a new variant) its base. Returns what it is compared with, and the changes."""
        proposal = self.get(principal, proposal_id)
        protocol = self._protocol(proposal)
        here = (None,) if proposal.scope is None else (None, proposal.scope)
        with self.services.uow() as uow:
            current = sorted(
                (
                    p
                    for p in uow.protocols.list()
                    if p.id == protocol.id and p.scope in here and p.content_hash != protocol.content_hash
                ),
                key=lambda p: p.version,
            )
        if current:
            before = self.services.protocol(current[-1].content_hash)
            return f"{before.id} versie {current[-1].version}", diff_protocols(before, protocol)
        base = protocol.spec.extends
        if base is not None:
            changes = Protocols(self.services).diff_with_base(protocol) or []
            return f"basisprotocol {base.id} versie {base.version}", changes
        return "(nieuw protocol)", []

    def protocol(self, principal: Principal, proposal_id: str) -> Protocol:
        return self._protocol(self.get(principal, proposal_id))

    def may_decide(self, principal: Principal, proposal: Proposal) -> bool:
        """Whether this person is offered approve and reject: may decide for its school (or
        board), is not the proposer (by name or as a person), and it is still open."""
        if not (
            proposal.open
            and principal.username != proposal.proposed_by
            and self._approver_role(principal, proposal.scope) is not None
        ):
            return False
        with self.services.uow() as uow:
            return self._same_person(uow, proposal, principal.username) is None

    def may_withdraw(self, principal: Principal, proposal: Proposal) -> bool:
        """Whether this person is offered to withdraw it (``withdraw``)."""
        if not proposal.pending or (proposal.open and principal.username != proposal.proposed_by):
            return False
        try:
            self._withdrawer(principal, proposal)
        except PermissionDenied:
            return False
        return True

    def outdated(self, proposal: Proposal) -> int | None:
        """The version published since this pending proposal was proposed (it will lapse
        when someone approves it or it is due), or None."""
        if not proposal.pending:
            return None
        with self.services.uow() as uow:
            found = _outdated(uow, proposal)
        return found[0] if found else None

    def _sees(self, principal: Principal, proposal: Proposal) -> bool:
        return principal.is_operator() or self._approver_role(principal, proposal.scope) is not None

    def _read(self, proposal_id: str) -> Proposal:
        with self.services.uow() as uow:
            entries = uow.proposals.entries(proposal_id)
        if not entries:
            raise InputError("voorstel", f"voorstel '{proposal_id[:40]}' bestaat niet")
        return _fold(entries)

    def _protocol(self, proposal: Proposal, *, checked: bool = False) -> Protocol:
        """The proposal's protocol; ``checked`` (to approve or publish it): its bases only
        where it would apply (``Protocols.parse_for``), as when it was proposed."""
        if checked:
            return Protocols(self.services).parse_for(proposal.text, proposal.file, proposal.scope)
        return Protocols(self.services).parse(proposal.text, proposal.file)

    @staticmethod
    def _still_open(proposal: Proposal) -> None:
        if not proposal.open:
            raise InputError("voorstel", f"over dit voorstel is al beslist: het is {proposal.status}")


def _not_stored(uow: UnitOfWork, protocol: Protocol) -> None:
    """A text stored already is not proposed again (publishing it would change nothing)."""
    try:
        stored = uow.protocols.by_hash(protocol.content_hash)
    except ProtocolNotFound:
        return
    where = f", voor {stored.scope}" if stored.scope else ""
    raise InputError("protocol", f"deze tekst is al geladen als {stored.id} versie {stored.version}{where}; er is niets voor te stellen")


def _current(uow: UnitOfWork, protocol_id: str, scope: str | None) -> tuple[int, str]:
    """The version of ``protocol_id`` new cases get in ``scope`` now (a school: the board's
    and its own; the board: any), and its content hash; (0, "") when there is none."""
    try:
        stored = uow.protocols.get(protocol_id, school=scope)
    except ProtocolNotFound:
        return 0, ""
    return stored.version, stored.content_hash


def _outdated(uow: UnitOfWork, proposal: Proposal) -> tuple[int, bool] | None:
    """The current version when it is no longer the proposal's base (and whether it is the
    proposal's own text, published another way); None while the base is current. A proposal
    recorded before bases were has none: any version of its protocol loaded since counts."""
    version, content_hash = _current(uow, proposal.protocol_id, proposal.scope)
    if proposal.base_version is not None:
        changed = version != proposal.base_version
    else:
        changed = any(
            p.id == proposal.protocol_id
            and p.scope in (None, proposal.scope)
            and p.loaded_at > proposal.proposed_at
            for p in uow.protocols.list()
        )
    return (version, content_hash == proposal.content_hash) if changed else None


def _effective_day(asked: date | None, today: date) -> date:
    """The day an approval takes effect: today by default; never in the past, and at most a
    year ahead (``AHEAD``, as other dates that may lie ahead)."""
    day = asked or today
    if day < today:
        raise InputError("ingangsdatum", f"de ingangsdatum {day.isoformat()} ligt in het verleden; kies vandaag of later")
    if day > today + AHEAD:
        latest = (today + AHEAD).isoformat()
        raise InputError(
            "ingangsdatum",
            f"de ingangsdatum {day.isoformat()} ligt meer dan een jaar vooruit; kies een dag tot en met {latest}",
        )
    return day


def _all(uow: UnitOfWork) -> list[Proposal]:
    return _folded(uow.proposals.entries())


def _folded(entries: list[ProposalEntry]) -> list[Proposal]:
    grouped: dict[str, list[ProposalEntry]] = {}
    for entry in entries:
        grouped.setdefault(entry.proposal_id, []).append(entry)
    return [_fold(steps) for steps in grouped.values()]
