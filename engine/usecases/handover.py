"""Where a hand-over lands: an action that opens a linked case (``opens`` in a protocol, such
as the meldpunt's hand-over to the stappenplan) opens it where the school's people find it.

- under the school's OWN protocol: the newest variant loaded for that school that extends
  the protocol named in ``opens``, else that protocol itself (the board's);
- in the pupil's group as the pupil register has it, so that the group's teacher sees it
  (a pupil the register does not know: the group of the case it came from, if any);
- in the role the hand-over was taken in, where the new protocol has that role and the
  person holds it there (otherwise the first role they hold in it, as any opening).
"""

from __future__ import annotations

from engine.access import Principal, opening_roles
from engine.ports import StoredProtocol, UnitOfWork
from engine.protocol.model import Protocol
from engine.usecases.base import Services


def school_protocol(services: Services, uow: UnitOfWork, protocol_id: str, school: str) -> str:
    """The protocol a case of ``protocol_id`` opens under at ``school``: the school's own
    variant of it when one is loaded (the newest), else ``protocol_id``."""
    variants = [p for p in uow.protocols.list() if p.scope == school and _extends(services, p, protocol_id)]
    if not variants:
        return protocol_id
    return max(variants, key=lambda p: (p.loaded_at, p.version)).id


def _extends(services: Services, stored: StoredProtocol, protocol_id: str) -> bool:
    base = services.protocol(stored.content_hash).spec.extends
    return base is not None and base.id == protocol_id and stored.id != protocol_id


def pupil_group(uow: UnitOfWork, school: str, subject: str, fallback: str | None) -> str | None:
    """The pupil's group from the school's pupil register; ``fallback`` for a pupil it does not know."""
    pupil = uow.pupils.named(school, subject)
    return pupil.group if pupil is not None and pupil.group else fallback


def handover_role(principal: Principal, protocol: Protocol, school: str, group: str | None, acted_in: str) -> str | None:
    """The role the hand-over was taken in, when the person may open the new case in it;
    None lets the opening take the first role they hold there."""
    return acted_in if acted_in in opening_roles(principal, protocol, school, group) else None
