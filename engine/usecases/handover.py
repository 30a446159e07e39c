"""Where a hand-over lands: an action that opens a linked case (``opens`` in a protocol, such
as the meldpunt's hand-over to the stappenplan) opens it where the school's people find it.

- under the school's OWN protocol: the variant of the protocol named in ``opens`` that the
  new-case form offers at that school (``protocols.offered_instead``), else that protocol;
- in the pupil's group as the pupil register has it, so that the group's teacher sees it
  (a pupil the register does not know: the group of the case it came from, if any);
- in the role the hand-over was taken in, where the new protocol has that role and the
  person holds it there (otherwise the first role they hold in it, as any opening).
"""

from __future__ import annotations

from engine.access import Principal, opening_roles
from engine.ports import UnitOfWork
from engine.protocol.model import Protocol
from engine.usecases.base import Services
from engine.usecases.protocols import latest_in, offered_instead


def school_protocol(services: Services, uow: UnitOfWork, protocol_id: str, school: str) -> str:
    """The protocol a case of ``protocol_id`` opens under at ``school``: the school's own
    variant of it, as the new-case form offers it there (``offered_instead``)."""
    return offered_instead(latest_in(services, uow), protocol_id, school)


def pupil_group(uow: UnitOfWork, school: str, subject: str, fallback: str | None) -> str | None:
    """The pupil's group from the school's pupil register; ``fallback`` for a pupil it does not know."""
    pupil = uow.pupils.named(school, subject)
    return pupil.group if pupil is not None and pupil.group else fallback


def handover_role(principal: Principal, protocol: Protocol, school: str, group: str | None, acted_in: str) -> str | None:
    """The role the hand-over was taken in, when the person may open the new case in it;
    None lets the opening take the first role they hold there."""
    return acted_in if acted_in in opening_roles(principal, protocol, school, group) else None
