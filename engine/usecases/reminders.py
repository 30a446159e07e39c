"""Reminders before a deadline and notices when it is late, by mail and in the app.

For every open deadline whose protocol asks for reminders (``remind: [2 werkdagen]``) the
users in the responsible roles at that school and group get one reminder per reminder
moment; for every late deadline they (and the roles to escalate to) get one notice. Each
notification is recorded under a unique key before it is sent, so no worker sends one twice.
Mails carry no names of pupils or melders: only the deadline, its date and a link.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass
from datetime import date, time, timedelta

from engine.access import case_roles
from engine.account_ports import Notice, Notification
from engine.case import DeadlineStatus
from engine.letters import dutch_date
from engine.ports import ActiveDeadline, Mailer
from engine.protocol.model import Protocol
from engine.rebase import notice_label
from engine.terms import AMSTERDAM, local_date, workdays_before
from engine.usecases.base import Services
from engine.usecases.users import principals

HORIZON = timedelta(days=45)  # longer than any reminder lead time a protocol uses
FIRED_NOTICE_WINDOW = timedelta(days=7)  # a worker that was down for a week still tells


@dataclass
class Reminders:
    services: Services
    mailer: Mailer | None = None
    case_link: Callable[[str], str] | None = None  # where the case is, as the web edge says

    def run(self) -> tuple[int, int]:
        """Record what is due to be told, then send the mails: one per notice, or for those
        who chose it one overview a day from DIGEST_HOUR; returns (recorded, mails sent)."""
        recorded = self.record()
        if self.mailer is None:
            return recorded, 0
        with self.services.uow() as uow:
            daily = uow.users.digest_users()
        mailed = self.send_pending("mail", skip=daily)
        now = self.services.clock.now().astimezone(AMSTERDAM)
        if daily and now.time() >= DIGEST_HOUR:
            mailed += self.send_digests("mail", daily, now.date())
        return recorded, mailed

    def record(self) -> int:
        """Who must hear of which deadline: the people who hold a responsible role in that
        case under the same rule that lets them see it (a melder only in their own report).
        Each notice is recorded once (by any worker, for each due date); returns how many are new."""
        s = self.services
        now = s.clock.now()
        today = local_date(now)
        with s.uow() as uow:
            active = uow.cases.active_until(now + HORIZON, now - FIRED_NOTICE_WINDOW)
            cases = uow.cases.get_many(sorted({item.case_id for item in active})) if active else {}
            people = principals(uow) if active else []  # an idle round reads no register
        notices = []
        for item in active:
            protocol = s.protocol(item.protocol_hash)
            case = cases[item.case_id]
            for kind, roles in self._due_notices(protocol, item, today):
                for person in people:
                    if set(case_roles(person, case, protocol)) & roles:
                        for channel in ("app", "mail"):
                            due = item.deadline.due_date or ""
                            notices.append(Notice(item.case_id, item.deadline.key, kind, person.username, channel, due))
        if not notices:
            return 0
        with s.uow() as uow:  # no write lock while reading the known ones: most rounds add nothing
            added = uow.notifications.record(notices, s.clock.now())
            uow.commit()
        return added

    def send_pending(self, channel: str, limit: int = 100, skip: Collection[str] = ()) -> int:
        """Mail unsent notices one by one (not those of the users in ``skip``), each marked
        sent in the same unit of work that claimed it (another worker skips it meanwhile)."""
        sent = 0
        for _ in range(limit):
            with self.services.uow() as uow:  # not the write lock while the mail goes out
                note = uow.notifications.next_unsent(channel, skip)
                if note is None:
                    break
                self._mail(note, uow.users.email(note.username))
                uow.notifications.mark_sent([note.id], self.services.clock.now())
                uow.commit()
                sent += 1
        return sent

    def send_digests(self, channel: str, users: Collection[str], today: date) -> int:
        """One overview per user per day of their unsent notices, claimed by setting the day
        first (row lock on PostgreSQL), so two workers never both send it; returns how many
        overviews went out."""
        sent = 0
        for username in sorted(users):
            with self.services.uow() as uow:
                notes = uow.notifications.unsent(username, channel)
                if not notes or not uow.users.claim_digest(username, today):
                    continue  # nothing to tell, or today's overview went out already
                self._digest(uow.users.email(username), notes)
                uow.notifications.mark_sent([n.id for n in notes], self.services.clock.now())
                uow.commit()
                sent += 1
        return sent

    def _due_notices(self, protocol: Protocol, item: ActiveDeadline, today: date) -> Iterable[tuple[str, set[str]]]:
        d = item.deadline
        responsible, escalate, remind = responsible_roles(protocol, d.id)
        if d.due_date is None:
            return
        if d.status == DeadlineStatus.OVERDUE:
            yield "verlopen", responsible | escalate
            return
        if d.status == DeadlineStatus.FIRED:  # a timer that fired and escalates: tell those roles
            if escalate:
                yield "uitgevoerd", escalate
            return
        due = date.fromisoformat(d.due_date)
        for lead in remind:
            amount = int(lead.split()[0])  # reminders are given in werkdagen before the deadline
            if today >= workdays_before(due, amount, self.services.calendar):
                yield f"herinnering {lead}", responsible

    def _link(self, case_id: str) -> str:
        return self.case_link(case_id) if self.case_link else f"zaak {case_id} in trede"

    def _mail(self, note: Notification, address: str | None) -> None:
        if not address or self.mailer is None:
            return
        heading, sentence, label, block = self._told(note)
        body = f"{sentence} {block}\n\n{NO_NAMES}\n"
        self.mailer.send(address, f"{heading}: {label}", body)

    def _digest(self, address: str | None, notes: list[Notification]) -> None:
        """Today's overview: every notice not yet mailed, most pressing first."""
        if not address or self.mailer is None:
            return
        order = {"verlopen": 0, "uitgevoerd": 1}
        ranked = sorted(notes, key=lambda n: (order.get(n.kind, 2), n.due_date))
        told = [self._told(n) for n in ranked]
        parts = [f"{i}. {heading} {block}" for i, (heading, _, _, block) in enumerate(told, 1)]
        late = sum(1 for n in notes if n.kind == "verlopen")
        subject = f"Overzicht van vandaag: {len(notes)} termijn{'en' if len(notes) != 1 else ''}"
        subject += f", waarvan {late} verlopen" if late else ""
        body = "Dit zijn de termijnen waarover trede u sinds het vorige overzicht iets te melden heeft.\n\n"
        body += "\n\n".join(parts) + f"\n\n{NO_NAMES}\nU kiest zelf of u dit overzicht of losse e-mails krijgt (Instellingen).\n"
        self.mailer.send(address, subject, body)

    def _told(self, note: Notification) -> tuple[str, str, str, str]:
        """(heading, sentence, deadline label, the lines that name the protocol, term and case)."""
        if note.case_id is None:  # about a protocol: a new base version of a variant
            label = notice_label(note.deadline_key)
            block = f"voor een schoolvariant.\n   {label}\n   Zie Protocollen in trede."
            return "Nieuwe basisversie", "Er is een nieuwe versie van het basisprotocol van uw variant", label, block
        with self.services.uow() as uow:
            case = uow.cases.get(note.case_id)
        protocol = self.services.protocol(case.protocol_hash)
        deadline = case.deadlines.get(note.deadline_key)
        label = deadline.label if deadline else note.deadline_key
        heading, sentence = NOTICE_WORDS.get(note.kind.split()[0], NOTICE_WORDS["herinnering"])
        block = (
            f"in een zaak volgens '{protocol.spec.title}'.\n"
            f"   Termijn: {label}\n   Uiterlijk: {dutch_date(note.due_date)}\n"
            f"   Open de zaak: {self._link(note.case_id)}"
        )
        return heading, sentence, label, block


DIGEST_HOUR = time(7, 0)  # the daily overview goes out from this hour (Amsterdam)
NO_NAMES = "(Deze e-mail bevat bewust geen namen; u ziet de zaak na inloggen.)"

# What a notice of each kind says (a reminder's kind is "herinnering <lead>").
NOTICE_WORDS = {
    "verlopen": ("Termijn verlopen", "De termijn is verlopen"),
    "uitgevoerd": ("Termijn verstreken, de volgende stap is gezet", "De termijn is verstreken en trede heeft de volgende stap gezet"),
    "herinnering": ("Herinnering", "Een termijn loopt af"),
}


def responsible_roles(protocol: Protocol, deadline_id: str) -> tuple[set[str], set[str], list[str]]:
    """Who must act on a deadline, who hears when it is late, and the reminder lead times.

    An obligation: its roles, escalating to its escalate roles. A timer that fires an action:
    the roles that may take that action. A timer that escalates: the roles it escalates to.
    """
    if deadline_id in protocol.obligation_index:
        obligation = protocol.obligation_index[deadline_id][1]
        return set(obligation.roles), set(obligation.escalate), list(obligation.remind)
    if deadline_id in protocol.timer_index:
        timer = protocol.timer_index[deadline_id][1]
        trigger = timer.on_expiry.fire
        if trigger is not None:
            roles = {role for t in protocol.transitions if t.trigger == trigger for role in t.roles}
            return roles, set(timer.on_expiry.roles), list(timer.remind)
        return set(timer.on_expiry.roles), set(), list(timer.remind)
    return set(), set(), []
