"""Refusals in the user's terms: why someone may not do what they asked, and whom to ask.

Every ``PermissionDenied`` is built here, from who asks (their memberships) and which roles
may: ``refused`` for a person, ``role_refusal`` where only the acting role is known (the
pure decision code). The reason is one of four (``engine.errors.Refusal``):

- not your group: they hold a role that may, at this school, but for other groups (a
  leerkracht of 5a and a pupil of 6b): ask the roles that cover every group, or the holder
  of their own role for that group;
- not your school: they hold a role that may, elsewhere (another school, or only one school
  where the whole board is meant);
- not your role: other roles may; theirs may not;
- nobody here: no role at all may, here; say so and whom to ask.

Roles are named by their labels: the protocol's where the action belongs to one, else
trede's own (``engine.views.role_label``); never by id.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass

from engine.access import Principal
from engine.errors import PermissionDenied, Refusal, with_article
from engine.protocol.model import Protocol
from engine.views import role_label


def _ordered(roles: Iterable[str], protocol: Protocol | None) -> list[str]:
    order = list(protocol.spec.roles) if protocol is not None else []
    return sorted(set(roles), key=lambda r: (order.index(r) if r in order else len(order), r))


def refused(
    principal: Principal,
    action: str,
    allowed: Collection[str],
    *,
    school: str | None = None,
    school_name: str | None = None,
    group: str | None = None,
    protocol: Protocol | None = None,
    held: Iterable[str] | None = None,
    deed: str = "dit te doen",
    why: str | None = None,
    ask: Sequence[str] | None = None,
    advice: str | None = None,
    board_wide: bool = False,
    elsewhere: bool = False,
) -> PermissionDenied:
    """Why ``principal`` may not ``action`` (a Dutch phrase: "een zaak openen volgens ..."),
    which only the roles ``allowed`` may, at ``school`` for a pupil of ``group`` when given.
    ``held``: the roles to name as theirs (default: what they hold there); ``board_wide``:
    only a membership for every school of the board counts (a full verification);
    ``elsewhere``: the school is another board's, whatever their memberships say."""
    wanted = _ordered(allowed, protocol)
    standing = _Standing.of(principal, school, group, board_wide=board_wide, elsewhere=elsewhere, wanted=wanted)
    mine = _ordered(held if held is not None else standing.named, protocol)
    where = school_name or school
    groups: list[str] = []
    asked = list(ask) if ask is not None else None
    reason = standing.reason(wanted, school, board_wide=board_wide)
    if reason == Refusal.NOT_YOUR_GROUP:
        assert school is not None  # a group counts only at a school
        groups, others_first = _group_refusal(principal, wanted, school, group, protocol)
        asked = asked if asked is not None else others_first
    elif reason == Refusal.NOT_YOUR_SCHOOL and board_wide:
        where = None  # no school: every school of the board
    return PermissionDenied(
        action,
        reason=reason,
        roles=[role_label(protocol, r) for r in mine],
        allowed_roles=[role_label(protocol, r) for r in wanted],
        ask=asked,
        deed=deed,
        why=why,
        advice=advice,
        groups=groups,
        group_known=reason == Refusal.NOT_YOUR_GROUP and group is not None,
        school=where,
    )


@dataclass(frozen=True)
class _Standing:
    """The roles someone holds that count here: anywhere at the school, for the pupil's
    group, and whether a wanted role is theirs somewhere else."""

    anywhere_here: set[str]
    covering: set[str]
    named: set[str]  # the roles to name as theirs
    held_elsewhere: bool

    @classmethod
    def of(
        cls, principal: Principal, school: str | None, group: str | None, *, board_wide: bool, elsewhere: bool, wanted: list[str]
    ) -> _Standing:
        if school is not None:
            anywhere_here, covering = principal.roles_at(school), principal.roles_for(school, group)
        else:
            anywhere_here = covering = principal.roles()
        if board_wide:
            covering = anywhere_here = {m.role for m in principal.memberships if m.scope() is None}
        named = anywhere_here if school is not None else principal.roles()
        held_elsewhere = elsewhere or any(m.role in wanted for m in principal.memberships)
        if elsewhere:
            anywhere_here = covering = set()
        return cls(set(anywhere_here), set(covering), set(named), held_elsewhere)

    def reason(self, wanted: list[str], school: str | None, *, board_wide: bool) -> str:
        """One of ``Refusal``'s reasons."""
        if not wanted:
            return Refusal.NOBODY_HERE
        if school is not None and not board_wide and set(wanted) & self.anywhere_here and not set(wanted) & self.covering:
            return Refusal.NOT_YOUR_GROUP
        if self.held_elsewhere and (board_wide or (school is not None and not set(wanted) & self.anywhere_here)):
            return Refusal.NOT_YOUR_SCHOOL
        return Refusal.NOT_YOUR_ROLE


def _group_refusal(
    principal: Principal, wanted: list[str], school: str, group: str | None, protocol: Protocol | None
) -> tuple[list[str], list[str]]:
    """Their own groups, and whom to ask: the roles that cover every group first, then the
    holder of their own role for the pupil's group. That group is not named: it comes from
    the register, which shows someone only the pupils of their own groups."""
    limited = [m for m in principal.memberships if m.role in wanted and m.groups and _works_at(m.scope(), school)]
    groups = sorted({g for m in limited for g in m.groups})
    own = [r for r in wanted if any(m.role == r for m in limited)]
    others = [with_article(role_label(protocol, r)) for r in wanted if r not in own]
    of_group = [f"{with_article(role_label(protocol, r))} van deze leerling" for r in own] if group else []
    return groups, [*others, *of_group]


def _works_at(scope: frozenset[str] | None, school: str) -> bool:
    return scope is None or school in scope


def role_refusal(
    protocol: Protocol,
    role: str,
    action: str,
    allowed: Collection[str],
    *,
    why: str | None = None,
    advice: str | None = None,
) -> PermissionDenied:
    """Where only the role someone acts in is known (deciding an action): not their role,
    or nobody's here."""
    wanted = _ordered(allowed, protocol)
    labels = [role_label(protocol, r) for r in wanted]
    reason = Refusal.NOT_YOUR_ROLE if wanted else Refusal.NOBODY_HERE
    return PermissionDenied(
        action, reason=reason, roles=[role_label(protocol, role)], allowed_roles=labels, why=why, advice=advice
    )


def recorded(label: str) -> str:
    """The phrase for a protocol's action, as its button says it: "de actie ‘Time-out
    instellen’ uitvoeren" (a label may be a verb, a noun or a fact)."""
    return f"de actie ‘{label}’ uitvoeren"
