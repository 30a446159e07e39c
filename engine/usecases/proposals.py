"""Publication with four eyes: a protocol (a school's variant, a board's new version) is
proposed, shown as a diff against what runs now, and published only when a second
authorised person approves it — another protocol owner of that school or board, or the
bevoegd gezag; never the one who proposed it — from an effective date.

Every step is a row in the append-only proposals log (who, in which role, when, why);
the published text becomes a protocol version like any load. A proposal's proefscenario's
must pass when it is proposed and again when it is approved.

From the effective date new cases open under the published version; running cases stay on
the version they were opened with (a case is pinned to its protocol, DESIGN invariant 4)
until someone migrates them explicitly (``trede case migrate``).
"""

from __future__ import annotations

import builtins
from dataclasses import dataclass, replace
from datetime import date, datetime

from engine.access import PROTOCOL_OWNER, Principal
from engine.account_ports import Notice
from engine.errors import InputError, ProtocolError
from engine.inputs import require_text
from engine.ports import ProposalEntry, StoredProtocol, UnitOfWork
from engine.protocol.diff import Change, diff_protocols
from engine.protocol.model import Protocol
from engine.rebase import Rebase
from engine.refusals import refused
from engine.terms import local_date
from engine.usecases.base import Services, known_school
from engine.usecases.protocols import Protocols
from engine.usecases.trials import Trials
from engine.usecases.users import principals
from engine.views import PROPOSAL_APPROVED, PROPOSAL_NOTICE, PROPOSAL_REJECTED, proposal_key

BOARD = "bevoegd_gezag"
APPROVERS = (PROTOCOL_OWNER, BOARD)
PROPOSED, APPROVED, REJECTED, PUBLISHED = "voorgesteld", "goedgekeurd", "afgewezen", "gepubliceerd"
SYSTEM = "trede"  # who publishes an approved proposal on its effective date
# in-app notices (uow.notifications; about no case, the proposal in the key): a proposal to judge,
# and the proposer's own proposal decided
DECIDED_NOTICE = {APPROVED: PROPOSAL_APPROVED, REJECTED: PROPOSAL_REJECTED}


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
    status: str  # voorgesteld | goedgekeurd | afgewezen | gepubliceerd
    decided_by: str | None = None
    decided_at: datetime | None = None
    effective_on: date | None = None
    reason: str = ""
    version: int | None = None
    steps: tuple[ProposalEntry, ...] = ()

    @property
    def open(self) -> bool:
        return self.status == PROPOSED


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
    return proposal


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
            raise refused(
                principal,
                deed,
                list(APPROVERS),
                school=proposal.scope,
                school_name=school_name,
                held=[role],
                why="u heeft dit voorstel zelf gedaan; een voorstel wordt goedgekeurd door een tweede persoon (vier ogen)",
                advice="vraag een andere protocoleigenaar of het bevoegd gezag om het voorstel te beoordelen",
            )
        return role

    # --- actions ----------------------------------------------------------------

    def propose(self, principal: Principal, text: str, file: str, *, scope: str | None = None) -> Proposal:
        """Validate the text (its base must be loaded), run its proefscenario's, and store it
        as a proposal: it is not offered for new cases until approved."""
        self._may_propose(principal, scope)
        s = self.services
        protocol = Protocols(s).parse(text, file)
        Trials.of(s).require(protocol, school=scope)
        proposal_id = s.new_id()
        with s.uow(write=True) as uow:
            if scope is not None:
                known_school(uow, scope)
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
        """Approve (a second person) from ``effective_on`` (default: today); published at
        once when that day has come, else on that day by ``publish_due`` (the worker)."""
        s = self.services
        proposal = self._read(proposal_id)
        role = self._decider(principal, proposal, "dit protocolvoorstel goedkeuren")
        self._still_open(proposal)
        today = local_date(s.clock.now())
        day = effective_on or today
        if day < today:
            raise InputError(
                "ingangsdatum", f"de ingangsdatum {day.isoformat()} ligt in het verleden; kies vandaag of later"
            )
        protocol = self._protocol(proposal)
        Trials.of(s).require(protocol, school=proposal.scope)  # again: the bases may have changed
        with s.uow(write=True) as uow:
            self._still_open(_fold(uow.proposals.entries(proposal_id)))
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
                )
            )
            self._notify(uow, proposal_id, DECIDED_NOTICE[APPROVED], [proposal.proposed_by])
            uow.commit()
        self.publish_due()
        return self.get(principal, proposal_id)

    def reject(self, principal: Principal, proposal_id: str, *, reason: str) -> Proposal:
        """Reject with a reason (a second person; the proposer withdraws by proposing anew)."""
        require_text("reden", reason)
        s = self.services
        proposal = self._read(proposal_id)
        role = self._decider(principal, proposal, "dit protocolvoorstel afwijzen")
        self._still_open(proposal)
        with s.uow(write=True) as uow:
            self._still_open(_fold(uow.proposals.entries(proposal_id)))
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
                )
            )
            self._notify(uow, proposal_id, DECIDED_NOTICE[REJECTED], [proposal.proposed_by])
            uow.commit()
        return self.get(principal, proposal_id)

    def publish_due(self) -> list[StoredProtocol]:
        """Publish every approved proposal whose effective date has come (the worker runs
        this each round): it becomes the protocol's next version, for new cases."""
        s = self.services
        today = local_date(s.clock.now())
        with s.uow() as uow:
            due = [
                p for p in _all(uow) if p.status == APPROVED and p.effective_on is not None and p.effective_on <= today
            ]
        if not due:
            return []
        parsed = {p.id: self._protocol(p) for p in due}  # outside the write lock
        published = []
        with s.uow(write=True) as uow:
            for proposal in due:
                if _fold(uow.proposals.entries(proposal.id)).status != APPROVED:
                    continue  # another worker published it meanwhile
                protocol = parsed[proposal.id]
                uow.protocols.add(protocol, s.clock.now(), proposal.scope)
                stored = uow.protocols.by_hash(protocol.content_hash)
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
        for stored in published:
            s.remember(parsed[next(p.id for p in due if p.content_hash == stored.content_hash)])
        return published

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
        """What the proposal changes against what runs now: the current version of the same
        protocol, else (a new variant) its base. Returns what it is compared with, and the changes."""
        proposal = self.get(principal, proposal_id)
        protocol = self._protocol(proposal)
        with self.services.uow() as uow:
            current = [
                p for p in uow.protocols.list() if p.id == protocol.id and p.content_hash != protocol.content_hash
            ]
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
        board), is not the proposer, and it is still open."""
        return (
            proposal.open
            and principal.username != proposal.proposed_by
            and self._approver_role(principal, proposal.scope) is not None
        )

    def _sees(self, principal: Principal, proposal: Proposal) -> bool:
        return principal.is_operator() or self._approver_role(principal, proposal.scope) is not None

    def _read(self, proposal_id: str) -> Proposal:
        with self.services.uow() as uow:
            entries = uow.proposals.entries(proposal_id)
        if not entries:
            raise InputError("voorstel", f"voorstel '{proposal_id[:40]}' bestaat niet")
        return _fold(entries)

    def _protocol(self, proposal: Proposal) -> Protocol:
        return Protocols(self.services).parse(proposal.text, proposal.file)

    @staticmethod
    def _still_open(proposal: Proposal) -> None:
        if not proposal.open:
            raise InputError("voorstel", f"over dit voorstel is al beslist: het is {proposal.status}")


def _all(uow: UnitOfWork) -> list[Proposal]:
    grouped: dict[str, list[ProposalEntry]] = {}
    for entry in uow.proposals.entries():
        grouped.setdefault(entry.proposal_id, []).append(entry)
    return [_fold(entries) for entries in grouped.values()]
