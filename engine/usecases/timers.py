"""Time passing: deadlines that fall due fire their timer, lapse, or become overdue.
Run by the worker as the system, never on behalf of a person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from engine.case import Case, DeadlineStatus, apply
from engine.clock import OffsetClock
from engine.errors import SandboxRequired, TimersDoNotSettle, TimeTravel, TredeError
from engine.events import Event
from engine.ports import DueDeadline, UnitOfWork
from engine.usecases.base import Services

MAX_ROUNDS = 10_000  # due moments in one run: years of weekly check-ins in a large school


@dataclass
class Timers:
    services: Services

    def advance_clock(self, until: datetime) -> None:
        """Simulate time passing, only in a sandbox database."""
        s = self.services
        with s.uow(write=True) as uow:
            if not uow.settings.sandbox or not isinstance(s.clock, OffsetClock):
                raise SandboxRequired()
            now = s.clock.now()
            if until < now:
                raise TimeTravel(until.isoformat(), now.isoformat())
            offset = uow.settings.clock_offset + (until - now)
            uow.settings.set_clock_offset(offset)
            uow.commit()
        s.clock.offset = offset

    def run(self, until: datetime | None = None, batch: int = 200) -> list[Event]:
        """Expire everything due, earliest first, until nothing is due any more.

        A fired timer can start a step whose own timer is already due: that one fires too,
        in a later round. With ``until`` (sandbox only), time passes from one due moment to
        the next, so every expiry happens at its own moment and in due order, also across
        cases; the clock ends at ``until``. Bounded by MAX_ROUNDS against a protocol whose
        timers keep each other going without end."""
        fired: list[Event] = []
        if until is not None and until < self.services.clock.now():
            self.advance_clock(until)  # refuses: time does not go back
        for _ in range(MAX_ROUNDS):
            moment = self._next_due(until) if until is not None else None
            if until is not None:
                self._advance_to(moment or until)
            events = self._drain(batch)
            fired += events
            if not events and (until is None or moment is None or self._next_due(until) == moment):
                if until is not None:
                    self._advance_to(until)  # what could not expire stays open for the worker
                return fired
        raise TimersDoNotSettle(MAX_ROUNDS)

    def _advance_to(self, moment: datetime) -> None:
        """The sandbox clock keeps running between steps: never ask it to go back."""
        if moment > self.services.clock.now():
            self.advance_clock(moment)

    def due_now(self) -> bool:
        with self.services.uow() as uow:
            return bool(uow.cases.due(self.services.clock.now(), 1))

    def _next_due(self, until: datetime) -> datetime | None:
        with self.services.uow() as uow:
            first = uow.cases.due(until, 1)
        return max(first[0].due_at, self.services.clock.now()) if first else None

    def _drain(self, batch: int) -> list[Event]:
        """Expire what is due now, batch after batch, while batches make progress."""
        fired: list[Event] = []
        while True:
            events, claimed = self.expire_batch(batch)
            fired += events
            if not events or claimed < batch:
                return fired

    def expire_batch(self, limit: int) -> tuple[list[Event], int]:
        """Claim up to ``limit`` due deadlines and expire them in one transaction.

        On PostgreSQL the claim locks the cases and skips those another worker or a person
        holds, so nothing else writes to a claimed case until this commits; a worker that
        dies releases its claim with its transaction. So the batch normally commits as one
        (one fsync for many timers). Should anything fail, the batch is redone with one
        savepoint per deadline, so that a single bad case cannot hold up the others.
        """
        try:
            return self._expire_claimed(limit, isolated=False)
        except TredeError:
            return self._expire_claimed(limit, isolated=True)

    def _expire_claimed(self, limit: int, *, isolated: bool) -> tuple[list[Event], int]:
        with self.services.uow(write=True) as uow:
            now = self.services.clock.now()
            due = uow.cases.claim_due(now, limit)
            fired = self._expire_isolated(uow, due, now) if isolated else self._expire_together(uow, due, now)
            uow.commit()
        return fired, len(due)

    def _expire_together(self, uow: UnitOfWork, due: list[DueDeadline], now: datetime) -> list[Event]:
        """Read the claimed cases at once and write all expiries in one go."""
        cases = uow.cases.get_many(list(dict.fromkeys(d.case_id for d in due)))
        changes: list[tuple[Case, Case, Event]] = []
        for item in due:
            case = cases[item.case_id]
            event = self._expiry_of(case, item.key, now)
            if event is not None:
                cases[item.case_id] = after = apply(case, event)
                changes.append((case, after, event))
        if changes:
            uow.cases.record_many(changes)
        return [event for _, _, event in changes]

    def _expire_isolated(self, uow: UnitOfWork, due: list[DueDeadline], now: datetime) -> list[Event]:
        fired = []
        for item in due:
            try:
                with uow.savepoint():
                    case = uow.cases.get(item.case_id)
                    event = self._expiry_of(case, item.key, now)
                    if event is not None:
                        uow.cases.record(case, apply(case, event), event)
            except TredeError:
                continue  # left open; the next round tries again
            if event is not None:
                fired.append(event)
        return fired

    def _expiry_of(self, case: Case, key: str, now: datetime) -> Event | None:
        deadline = case.deadlines.get(key)
        if deadline is None or deadline.status != DeadlineStatus.OPEN or not deadline.due_at or deadline.due_at > now:
            return None
        return self.services.decider.expiry(self.services.protocol(case.protocol_hash), case, deadline, now)
