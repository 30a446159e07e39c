"""Who may see and do what in a case: the access policy, free of any web framework.

A user holds roles through memberships: at one school (optionally limited to some groups,
as for a leerkracht) or board-wide (school ``None``: bevoegd gezag, auditor, protocol owner).
A board-wide membership covers the schools of the user's own board only: one installation
may serve several boards (``within_board`` resolves it when the principal is built).
A user may see a case when they hold one of the case's protocol roles for its school and
group; an auditor may also read every case whose protocol does not protect an identity
(whistleblower cases are visible only to the roles their protocol names).

Routing (a role marked ``routed: true``): that role sees a case only when the case's fact
``behandelaars`` names it, as the meldpunt's triage records it (engine/triage.py).

Need to know (a protocol's ``need_to_know``): in a report the melder chose a channel, and
only the roles of that channel see it; every holder of the role the report concerns (the
directeur, the bevoegd gezag) is kept out of it altogether, whatever else they hold. The
melder always sees their own report.

The reporting roles (``melder``, and ``medewerker`` in the meldplicht) are special: a
user holds them only in the reports they made themselves, so a melder never sees another
melder's report.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from enum import Enum

from engine.case import Case
from engine.protocol.model import Protocol
from engine.protocol.schema import NOBODY, NeedToKnowSpec
from engine.triage import routed_roles

AUDITOR = "auditor"
PROTOCOL_OWNER = "protocol_eigenaar"
PRIVACY_OFFICER = "privacyfunctionaris"
REPORTER = "melder"
REPORTER_ROLES = frozenset({REPORTER, "medewerker", "klager"})  # held only in one's own case
OPERATOR_ROLE = "beheer"
DEPARTURE_ROLES = frozenset({"directeur", PRIVACY_OFFICER})
BOARD_ROLES = frozenset({"bevoegd_gezag", AUDITOR, PROTOCOL_OWNER})
HIDDEN = "(afgeschermd)"


@dataclass(frozen=True)
class Membership:
    role: str
    school: str | None = None  # None: every school of the board
    groups: frozenset[str] = field(default_factory=frozenset)  # empty: every group
    # board-wide: the schools of the user's board; None: every school (an installation that
    # serves one board, or the server's operator)
    board_schools: frozenset[str] | None = None

    def covers(self, school: str, group: str | None) -> bool:
        scope = self.scope()
        if scope is not None and school not in scope:
            return False
        return not self.groups or group in self.groups

    def scope(self) -> frozenset[str] | None:
        """The schools this membership applies in; None: every school."""
        return frozenset({self.school}) if self.school is not None else self.board_schools


@dataclass(frozen=True)
class Principal:
    username: str
    display_name: str
    memberships: tuple[Membership, ...]
    board: str | None = None  # the board the user belongs to (None: the operator, tests)

    def roles(self) -> set[str]:
        return {m.role for m in self.memberships}

    def roles_for(self, school: str, group: str | None = None) -> set[str]:
        return {m.role for m in self.memberships if m.covers(school, group)}

    def roles_at(self, school: str) -> set[str]:
        """Every role held at this school, in any of its groups (or board-wide)."""
        return {m.role for m in self.memberships if (scope := m.scope()) is None or school in scope}

    def schools(self) -> set[str] | None:
        """The schools this user works in; None when some membership covers every school."""
        return _union(self.memberships)

    def board_wide(self, role: str) -> Membership | None:
        """This user's board-wide membership in ``role``, if any (it covers the schools of
        their own board: ``Membership.scope``)."""
        return next((m for m in self.memberships if m.role == role and m.school is None), None)

    def acts_for_board(self, role: str, board: str) -> bool:
        """Whether this user holds ``role`` board-wide for ``board``: one installation may
        serve several boards, and a board-wide role is one of the user's own board."""
        return self.board_wide(role) is not None and self.board in (None, board)

    def schools_as(self, *roles: str) -> set[str] | None:
        """The schools where this user holds one of ``roles`` (a board-wide membership: the
        schools of their board); None: every school."""
        return _union([m for m in self.memberships if m.role in roles])

    def is_auditor(self) -> bool:
        return AUDITOR in self.roles()

    def is_operator(self) -> bool:
        return OPERATOR_ROLE in self.roles()

    def owns_protocols(self) -> bool:
        return PROTOCOL_OWNER in self.roles()

    def reads_access_log(self) -> bool:
        return bool({PRIVACY_OFFICER, AUDITOR} & self.roles())

    def handles_access_requests(self) -> bool:
        return PRIVACY_OFFICER in self.roles()

    def records_departures(self, school: str) -> bool:
        """The directeur or the privacy officer records that a pupil has left their school."""
        return bool(DEPARTURE_ROLES & self.roles_for(school))

    def access_log_schools(self) -> set[str] | None:
        """Schools whose access log this user may read; None: all (board-wide)."""
        return self.schools_as(PRIVACY_OFFICER, AUDITOR)


def _union(memberships: Iterable[Membership]) -> set[str] | None:
    found: set[str] = set()
    for m in memberships:
        scope = m.scope()
        if scope is None:
            return None
        found |= scope
    return found


def within_board(memberships: tuple[Membership, ...], board: str, school_boards: Mapping[str, str]) -> tuple[Membership, ...]:
    """A user's memberships with each board-wide one limited to the schools of their own
    board (``school_boards``: school -> board, the whole register). Where every school is
    that board's, they stay as they are: they cover every school there is."""
    own = frozenset(school for school, owner in school_boards.items() if owner == board)
    if len(own) == len(school_boards):
        return memberships
    return tuple(replace(m, board_schools=own) if m.school is None else m for m in memberships)


# The server's administrator at the command line: loads protocols, verifies chains, runs
# timers in a sandbox; holds no role in any case, so reads no case's contents.
OPERATOR = Principal(OPERATOR_ROLE, "Beheerder", (Membership(OPERATOR_ROLE),))


def case_roles(principal: Principal, case: Case, protocol: Protocol) -> list[str]:
    """The protocol roles this user may act in for this case, in the protocol's order.
    A reporting role counts only in the reporter's own report."""
    held = principal.roles_for(case.school, case.group)
    own = case.opened_by == principal.username
    roles = [role for role in protocol.spec.roles if role in held and (role not in REPORTER_ROLES or own)]
    routed_only = [role for role in roles if protocol.spec.roles[role].routed]
    if routed_only:  # a role marked routed sees a report only when it was routed to it
        routed = routed_roles(case.facts)
        roles = [role for role in roles if role not in routed_only or role in routed]
    rule = protocol.spec.need_to_know
    if rule is None:
        return roles
    allowed = need_to_know_roles(rule, case, principal, protocol.spec.roles)
    return [role for role in roles if role in REPORTER_ROLES or role in allowed]


def need_to_know_roles(
    rule: NeedToKnowSpec, case: Case, principal: Principal, roles: Iterable[str] = ()
) -> frozenset[str]:
    """The protocol roles that may see this report: those of the channel the melder chose,
    without the role it concerns (and with the role standing in for it). None at all for
    someone who holds the role concerned at the case's school, in any group or board-wide:
    a report about the directeur never reaches a directeur. A case without a known channel
    is seen by nobody but its melder.

    Without a channel (the concerns-only form) the protocol's ``roles`` see it, except a
    stand-in role, which sees it only while it stands in; a case whose concerned role was
    never recorded is seen by nobody but its melder (fail closed)."""
    if rule.channel is None:
        if rule.concerns is None or rule.concerns not in case.facts:
            return frozenset()
        allowed = set(roles) - set(rule.stand_in.values())
    else:
        channel = rule.channels.get(str(case.facts.get(rule.channel, "")))
        if channel is None:
            return frozenset()
        allowed = set(channel.roles)
    concerned = str(case.facts.get(rule.concerns, NOBODY)) if rule.concerns else NOBODY
    if concerned != NOBODY:
        if concerned in principal.roles_at(case.school):
            return frozenset()
        allowed.discard(concerned)
        allowed -= set(rule.excludes.get(concerned, ()))  # those who work under the role concerned
        if concerned in rule.stand_in:
            allowed.add(rule.stand_in[concerned])
    return frozenset(allowed)


def can_view(principal: Principal, case: Case, protocol: Protocol) -> bool:
    if case_roles(principal, case, protocol):
        return True
    # An auditor reads without a role only where the protocol neither protects an identity
    # nor limits a report to those who need to know it.
    spec = protocol.spec
    return AUDITOR in principal.roles_for(case.school, case.group) and spec.identity is None and spec.need_to_know is None


class Reach(Enum):
    """Which cases of one protocol at one school and group a principal may see, decided
    without reading a case: ``ALL``, ``NONE``, or ``EACH`` (it depends on the case itself:
    its opener, its routing or its need to know, so each case is decided by ``can_view``)."""

    ALL = "all"
    NONE = "none"
    EACH = "each"


def reach(principal: Principal, protocol: Protocol, school: str, group: str | None) -> Reach:
    """``can_view`` for every case of ``protocol`` at ``school`` in ``group`` at once (a report
    counts them in the database). ``ALL`` only where ``case_roles`` keeps a role whatever the
    case holds: a held role that is neither a reporting nor a routed role, in a protocol
    without need to know; or an auditor's reading right. ``NONE`` where no role of the
    protocol is held there and no auditor reads it."""
    spec = protocol.spec
    held = principal.roles_for(school, group)
    roles = [role for role in spec.roles if role in held]
    if spec.need_to_know is None and any(r not in REPORTER_ROLES and not spec.roles[r].routed for r in roles):
        return Reach.ALL
    if AUDITOR in held and spec.identity is None and spec.need_to_know is None:
        return Reach.ALL
    return Reach.EACH if roles else Reach.NONE


def sees_identity(protocol: Protocol, case: Case, role: str | None) -> bool:
    """Whether a role may see who reported: always where the protocol protects no identity;
    else only the roles it names, the melder in their own report, or after consent."""
    identity = protocol.spec.identity
    if identity is None or role in REPORTER_ROLES:
        return True
    if role is not None and role in identity.visible_to:
        return True
    return bool(identity.consent and case.facts.get(identity.consent) == "ja")


LEADING_ROLES = frozenset({"directeur", "bevoegd_gezag"})


def migrating_roles(protocol: Protocol) -> list[str]:
    """Who may move a case to another version of its protocol: the roles that lead a case of it.
    Those are the directeur and the bevoegd gezag where the protocol has them, and the roles its
    missed terms are escalated to (the behandelaar of a whistleblower report); never a reporting
    role, and not a leerkracht or intern begeleider who only takes steps in it. Moving a case
    changes the rules it runs by, which is a decision for whoever answers for the case."""
    spec = protocol.spec
    leading = set(LEADING_ROLES)
    for step in spec.steps.values():
        for timer in step.timers:
            leading |= set(timer.on_expiry.roles)
        for obligation in step.obligations:
            leading |= set(obligation.escalate)
    for remedy in (spec.remedies or {}).values():
        for decision in remedy.decision:
            leading |= set(decision.escalate)
    return [role for role in spec.roles if role in leading and role not in REPORTER_ROLES]


def opening_roles(principal: Principal, protocol: Protocol, school: str, group: str | None) -> list[str]:
    """The roles in which this user may open a case of this protocol at that school and group."""
    held = principal.roles_for(school, group)
    return [role for role in protocol.spec.roles if role in held]
