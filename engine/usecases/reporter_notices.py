"""The handlers hear in the app that a reporter wrote (the meldpunt's follow page).

The one place that decides who on the staff hears of a reporter's message, recorded the way
deadline notices are (``uow.notifications``, channel "app", once per message and person): everyone who holds,
in that case, a role that answers the reporter in its current step (``listening_roles``).
The notice names nobody; the start page shows the case as each reader may see it. The
other way round needs no notice: the school's message waits on the reporter's code page.
"""

from __future__ import annotations

from collections.abc import Iterable

from engine.access import Principal, case_roles
from engine.account_ports import Notice
from engine.case import Case
from engine.events import Event
from engine.meldpunt import MESSAGE_NOTICE, listening_roles
from engine.protocol.model import Protocol
from engine.terms import local_date


def message_notices(protocol: Protocol, case: Case, event: Event, people: Iterable[Principal]) -> list[Notice]:
    """One in-app notice of the reporter's message ``event`` for each of ``people`` who
    answers the reporter in this case now (the case as it is after the message)."""
    roles = set(listening_roles(protocol, case.step))
    day = local_date(event.recorded_at).isoformat()
    return [
        Notice(case.id, f"{MESSAGE_NOTICE}@{event.seq}", MESSAGE_NOTICE, person.username, "app", day)
        for person in people
        if roles & set(case_roles(person, case, protocol))
    ]

