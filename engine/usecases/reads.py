"""Every read an edge needs, for one principal: the access rule, identity protection and
the access log are applied here, once. Edges render what these return."""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date

from engine.access import AUDITOR, HIDDEN, PRIVACY_OFFICER, REPORTER, REPORTER_ROLES, Principal, sees_identity
from engine.account_ports import Notification
from engine.audit import ReplayStep, Verification, replay_steps, verify_case
from engine.case import Case
from engine.commits import Pending
from engine.errors import CaseNotFound, InputError, LetterNotFound
from engine.events import Event, EventType
from engine.letters import StoredLetter
from engine.meldpunt import MESSAGE_LABEL, MESSAGE_NOTICE
from engine.ports import AccessEntry, ReporterViews, UnitOfWork
from engine.rebase import notice_label
from engine.refusals import refused
from engine.scheduling import urgency
from engine.terms import local_date
from engine.triage import ROUTED_LABEL, ROUTED_NOTICE
from engine.usecases.base import Access, Services, access, load_access, log_shown, read_logged
from engine.usecases.figures import verification_statement
from engine.usecases.incidents import case_incidents, log_incidents
from engine.usecases.notes import open_file
from engine.usecases.protocols import openable_in
from engine.usecases.reminders import responsible_roles
from engine.usecases.triage import for_school as triage_for
from engine.views import (
    API_MAX_PAGE,
    API_PAGE,
    CASE_STATUSES,
    PER_PAGE,
    PROPOSAL_NOTICES,
    AuditView,
    CaseDetail,
    CaseFilter,
    CaseLink,
    CasePage,
    CaseView,
    Dossier,
    FeedItem,
    LetterOption,
    Names,
    NoticeView,
    Overview,
    Redactor,
    actions_for,
    links_in,
    proposal_of,
)

OPEN_CASES = CaseFilter()  # the start page's default
READ_CHUNK = 200  # cases read at once while looking for the next ones a user may see


@dataclass
class Reads:
    services: Services

    # --- cases ---------------------------------------------------------------

    def visible(self, uow: UnitOfWork, principal: Principal, *, open_only: bool = False) -> list[Access]:
        """Every case this principal may see, oldest first (no log: callers log what they show);
        only the open ones when ``open_only``."""
        ids = uow.cases.ids(principal.schools(), open_only=open_only)
        cases = uow.cases.get_many(ids) if ids else {}
        return self._seeable_in_order(principal, [cases[c] for c in ids if c in cases])

    def _seeable(self, uow: UnitOfWork, principal: Principal, case_ids: list[str]) -> list[Access]:
        """Those of these cases that exist and this principal may see."""
        return self._seeable_in_order(principal, list((uow.cases.get_many(case_ids) if case_ids else {}).values()))

    def cases(self, principal: Principal, *, what: str = "lijst") -> list[CaseView]:
        """The cases this user may see, each with the actions open to them in all their roles."""
        with self.services.uow() as uow:
            seen = self.visible(uow, principal)
        log_shown(self.services, seen, what)
        return [_all_roles_view(a) for a in seen]

    def case_page(
        self, principal: Principal, *, after: str | None = None, limit: int = API_PAGE, what: str = "api"
    ) -> CasePage:
        """The cases this user may see in the order they were opened, ``limit`` at a time,
        starting after the case ``after``; only the cases returned are viewed and
        logged. A case this user may not see is no starting point: it does not exist for them."""
        if not 1 <= limit <= API_MAX_PAGE:
            raise InputError("limit", f"vraag 1 tot en met {API_MAX_PAGE} zaken tegelijk")
        with self.services.uow() as uow:
            ids = uow.cases.ids(principal.schools())
            start = 0
            if after is not None:
                if after not in ids or not self._seeable(uow, principal, [after]):
                    raise InputError("after", "deze zaak bestaat niet of u mag haar niet zien; begin zonder 'after'")
                start = ids.index(after) + 1
            found: list[Access] = []
            # read in chunks of at least READ_CHUNK: a small page of a few visible cases among
            # a school's thousands is not thousands of reads of two cases each
            size = max(limit + 1, READ_CHUNK)
            while len(found) <= limit and start < len(ids):  # one more than asked: is there a next page?
                chunk = ids[start : start + size]
                start += len(chunk)
                cases = uow.cases.get_many(chunk)
                found += self._seeable_in_order(principal, [cases[c] for c in chunk if c in cases])
        shown = found[:limit]
        log_shown(self.services, shown, what)
        return CasePage([_all_roles_view(a) for a in shown], shown[-1].case.id if len(found) > limit else None)

    def _seeable_in_order(self, principal: Principal, cases: list[Case]) -> list[Access]:
        """Those of these cases this principal may see, in the order given."""
        found = []
        for case in cases:
            try:
                found.append(access(self.services, principal, case))
            except CaseNotFound:
                continue  # not theirs to see
        return found

    def overview(self, principal: Principal, filters: CaseFilter = OPEN_CASES) -> Overview:
        """The start page: one page of the cases matching ``filters``, most urgent first, and
        the first page of those this user can act in now (logged as ``lijst``: only the cases
        shown), this user's notices about cases they may see, the protocols they may open
        cases of, and the schools by name. With the default filter (open) the closed cases
        are neither read nor logged: at a school with a few years of closed cases they are
        most of the work."""
        check_filter(filters)
        with self.services.uow() as uow:
            seen = self.visible(uow, principal, open_only=filters.status == "open")
            notes = uow.notifications.of_user(principal.username, "app", 10)
            proposed = _proposed(uow, notes)
            schools = uow.schools.list()
            openable = openable_in(self.services, uow, principal, schools)
            listed = {a.case.id: a for a in seen}
            # a notice about a closed case still shows with the open ones (read apart: a few)
            closed = sorted({n.case_id for n in notes if n.case_id and n.case_id not in listed}) if filters.status == "open" else []
            noticed = [a for a in self._seeable(uow, principal, closed) if a.case.closed]
        now = self.services.clock.now()
        in_status = [a for a in seen if filters.status == "alle" or a.case.closed == (filters.status == "afgesloten")]
        protocols = sorted({(a.case.protocol_id, a.protocol.spec.title) for a in in_status})
        matching = sorted(
            (a for a in in_status if _filtered(a, filters)),
            key=lambda a: urgency(a.case, now, self.services.calendar),
        )
        acting = [a for a in matching if _can_act(a)]
        pages = max(1, -(-len(matching) // PER_PAGE))
        page = min(filters.page, pages)
        shown = matching[(page - 1) * PER_PAGE : page * PER_PAGE]
        mine = acting[:PER_PAGE]
        # a notice about a case this user may not (or no longer) see is not shown: every case
        # they may see is among those listed (access needs a role at the case's school)
        seeable = {**listed, **{a.case.id: a for a in noticed}}
        notices = _notices(notes, seeable, proposed)
        # a notice names its case (pseudonym, protocol): that case is shown too, on any page
        named = [seeable[c] for n in notices if (c := n.notice.case_id) is not None and c in seeable]
        logged = {a.case.id: a for a in [*shown, *mine, *named]}
        log_shown(self.services, list(logged.values()), "lijst")
        names = Names(schools={s.id: s.name for s in schools})
        return Overview(
            [_all_roles_view(a) for a in shown], notices, openable, names,
            mine=[_all_roles_view(a) for a in mine], total=len(matching), mine_total=len(acting),
            page=page, pages=pages, protocols=protocols,
        )

    def search(self, principal: Principal, query: str) -> list[CaseView]:
        """Cases this user may see whose pseudonym (as this user sees it) contains ``query``,
        or whose case number starts with it; a protected identity is never searched."""
        wanted = query.strip().casefold()
        if len(wanted) < 2:
            raise InputError("q", "zoek op minstens twee tekens van een pseudoniem of zaaknummer")
        with self.services.uow() as uow:
            found = [a for a in self.visible(uow, principal) if _matches(a.view(), wanted)]
        log_shown(self.services, found, "zoeken")
        return [_all_roles_view(a) for a in found]

    def pupil(self, principal: Principal, school: str, subject: str) -> list[CaseView]:
        """Every case of one pupil at one school, across protocols, that this user may see."""
        with self.services.uow() as uow:
            found = [
                a
                for a in self.visible(uow, principal)
                if a.case.school == school and subject != HIDDEN and a.view().subject() == subject
            ]
        log_shown(self.services, found, "leerling")
        return [_all_roles_view(a) for a in found]

    def case(self, principal: Principal, case_id: str, *, role: str | None = None, what: str = "zaak") -> CaseView:
        return self.case_pending(principal, case_id, role=role, what=what).result()

    def case_pending(
        self, principal: Principal, case_id: str, *, role: str | None = None, what: str = "zaak"
    ) -> Pending[CaseView]:
        """``case`` without waiting for the access log's commit: read in the writer's
        transaction with its row (``read_logged``), the view given only once that row is
        durable (``Pending.result``), so an event loop can await that commit without a thread
        blocked on it."""

        def read(uow: UnitOfWork) -> tuple[Access, list[Event]]:
            found = load_access(self.services, uow, principal, case_id, role)
            return found, uow.cases.events(case_id) if found.protocol.spec.identity else []

        return read_logged(self.services, what, read, lambda found, events: found.view(events), reads=(case_id,))

    def detail(self, principal: Principal, case_id: str, *, role: str | None = None, what: str = "zaak") -> CaseDetail:
        """The case page: the case, its timeline, the letters this role may make, and the
        names of its school and of the actors this viewer may know, in one unit of work."""
        with self.services.uow() as uow:
            found = load_access(self.services, uow, principal, case_id, role)
            events = uow.cases.events(case_id)
            links = [
                CaseLink(direction, other, protocol, seq, self._may_see(uow, principal, other))
                for direction, other, protocol, seq in links_in(events)
            ]
            redactor = found.redactor(events)
            shown = redactor.events(events)
            names = _names(uow, found, shown)
            incidents, linkable = case_incidents(self.services, uow, principal, found.case)
            triage = REPORTER in found.protocol.spec.roles and triage_for(uow, found.case.school) is not None
        log_shown(self.services, [found], what)
        log_incidents(self.services, principal, incidents, "zaak-incidenten")
        log_incidents(self.services, principal, linkable, "incident-koppelen")
        spec = found.protocol.spec
        letters = [
            LetterOption(name, letter.label, tuple(letter.asks), tuple(letter.accepts))
            for name, letter in spec.letters.items()
            if found.case.step in letter.steps
            and found.role in letter.roles
            and sees_identity(found.protocol, found.case, found.role)
        ]
        made = {e.data["letter"]: e.seq for e in events if e.type == EventType.LETTER}
        return CaseDetail(found.view(events), shown, letters, made, links, names, incidents, linkable, triage)

    def _may_see(self, uow: UnitOfWork, principal: Principal, case_id: str) -> bool:
        try:
            access(self.services, principal, uow.cases.get(case_id))
        except CaseNotFound:
            return False
        return True

    def events(self, principal: Principal, case_id: str, *, what: str = "gebeurtenissen") -> list[Event]:
        with self.services.uow() as uow:
            found = load_access(self.services, uow, principal, case_id, None)
            events = uow.cases.events(case_id)
        log_shown(self.services, [found], what)
        return found.redactor(events).events(events)

    def letter(self, principal: Principal, case_id: str, name: str) -> StoredLetter:
        """A made letter, to a role that may make it; a letter to the melder only to roles
        that may know who the melder is."""
        with self.services.uow() as uow:
            found = load_access(self.services, uow, principal, case_id, None)
            spec = found.protocol.spec.letters.get(name)
            readers = [r for r in found.roles if spec is not None and r in spec.roles]
            if not readers or not any(sees_identity(found.protocol, found.case, r) for r in readers):
                raise LetterNotFound(case_id, name)
            letter = uow.letters.get(case_id, name)
        log_shown(self.services, [found], "brief")
        return letter

    # --- audit ---------------------------------------------------------------

    def replay(self, principal: Principal, case_id: str, *, verify: bool = False) -> AuditView:
        with self.services.uow(snapshot=True) as uow:  # the case and its events as of one moment
            found = load_access(self.services, uow, principal, case_id, None)
            events = uow.cases.events(case_id)
            verification = self._verification(uow, found, events) if verify else None
        log_shown(self.services, [found], "audit")
        redactor = found.redactor(events)
        return AuditView(found.view(events), _redact_steps(redactor, replay_steps(events)), verification)

    def verify(self, principal: Principal, case_id: str) -> Verification:
        """One case's chain. The server's administrator may check any case: the result
        names the case and the first bad event, nothing of its contents."""
        with self.services.uow(snapshot=True) as uow:
            case = uow.cases.get(case_id)
            events = uow.cases.events(case_id)
            letters = uow.letters.hashes([case_id])
            files = uow.attachments.hashes([case_id])
            found = None if principal.is_operator() else access(self.services, principal, case)
        if found is not None:
            log_shown(self.services, [found], "controle")
        return verify_case(case, events, letters, files)

    def dossier(self, principal: Principal, case_id: str, *, files: bool = False) -> Dossier:
        """The whole record of a case; ``files``: with the attachments and the latest letter
        of each kind, when this viewer may see everything in them (a file cannot be redacted)."""
        with self.services.uow(snapshot=True) as uow:  # verified: the case and its events as of one moment
            found = load_access(self.services, uow, principal, case_id, None)
            events = uow.cases.events(case_id)
            verification = self._verification(uow, found, events)
            redactor = found.redactor(events)
            shown = redactor.events(events)
            opened, letters = [], []
            if files and found.sees_files():
                wanted = [e for e in shown if e.type == EventType.ATTACHMENT and not e.data.get("internal")]
                opened = [f for e in wanted if (f := open_file(uow, e)) is not None]
                made = {e.data["letter"] for e in events if e.type == EventType.LETTER}
                letters = [letter for name in sorted(made) if (letter := uow.letters.get(case_id, name)).pdf]
        log_shown(self.services, [found], "dossier")
        steps = _redact_steps(redactor, replay_steps(events))
        return Dossier(found.view(events), shown, steps, verification, opened, letters)

    def _verification(self, uow: UnitOfWork, found: Access, events: list[Event]) -> Verification:
        ids = [found.case.id]
        return verify_case(found.case, events, uow.letters.hashes(ids), uow.attachments.hashes(ids))

    def verify_all(self, principal: Principal, chunk: int = 500) -> list[Verification]:
        """Every case, read in chunks within one transaction (one consistent snapshot).
        For the server's administrator and board-wide auditors (the cases of their board's
        schools): the results hold ids only."""
        auditor = principal.board_wide(AUDITOR)
        if not (principal.is_operator() or auditor):
            raise refused(principal, "de hashketens van alle zaken controleren", [AUDITOR], board_wide=True)
        with self.services.uow(snapshot=True) as uow:
            ids = uow.cases.ids(None if principal.is_operator() or auditor is None else auditor.scope())
            # read in the order of the events' key (case id, seq): each chunk is a stretch of
            # that index, read front to back; reported in the usual order (by opening)
            keyed = sorted(ids)
            chunks = [keyed[start : start + chunk] for start in range(0, len(keyed), chunk)]
            parallel = self.services.parallel_verifier
            if parallel is not None and len(chunks) >= PARALLEL_FROM_CHUNKS:
                results = parallel(chunks)  # each process reads its chunks in a snapshot of its own
            else:
                results = [v for part in chunks for v in verify_chunk(uow, part)]
            position = {case_id: n for n, case_id in enumerate(ids)}
            results.sort(key=lambda v: position[v.case_id])
            if principal.is_operator() or (auditor is not None and auditor.scope() is None):
                results += [
                    Verification(case_id, False, count, 1, f"de zaak ontbreekt, maar {count} gebeurtenis(sen) ervan zijn er nog")
                    for case_id, count in uow.cases.orphans().items()
                ]
        self._note_verification(results)
        return results

    def _note_verification(self, results: list[Verification]) -> None:
        """The outcome of a full verification, for monitoring (counts only, no case ids)."""
        failed = sum(1 for r in results if not r.ok)
        summary = {"at": self.services.clock.now().isoformat(), "ok": len(results) - failed, "failed": failed}
        signer = self.services.audit_signer
        if signer is None:
            return  # unsigned, monitoring could not tell it from a forged note (engine/usecases/figures.py)
        stated = verification_statement(summary)
        note = {"statement": stated.decode("utf-8"), "key_id": signer.key_id, "signature": signer.sign(stated)}
        with self.services.uow(write=True) as uow:
            uow.settings.note("last_verify", json.dumps(note))
            uow.commit()

    # --- deadlines in a user's own places -------------------------------------

    def calendar_feed(self, principal: Principal) -> list[FeedItem]:
        """The running deadlines this user can act on in a role they hold in the case (the
        roles that must meet them, as reminders go), in the cases they may see and act in (an
        auditor acts in none)."""
        with self.services.uow() as uow:
            acting = [a for a in self.visible(uow, principal) if a.roles]
        log_shown(self.services, acting, "agenda")
        return [
            FeedItem(a.case.id, d.key, d.label, d.due_date, a.protocol.spec.title, d.basis)
            for a in acting
            for d in a.case.active_deadlines()
            if d.due_date and _concerns(a, d.id)
        ]

    def notifications(self, principal: Principal, limit: int = 10) -> list[NoticeView]:
        """This user's notices in the app, for cases they can still see: which case (its
        protocol, and the pseudonym only where this user may see it) and which deadline."""
        with self.services.uow() as uow:
            notes = uow.notifications.of_user(principal.username, "app", limit)
            if not notes:
                return []
            proposed = _proposed(uow, notes)
            cases = uow.cases.get_many(sorted({n.case_id for n in notes if n.case_id is not None}))
        shown: dict[str, Access] = {}
        for case_id, case in cases.items():
            try:
                shown[case_id] = access(self.services, principal, case)
            except CaseNotFound:
                continue  # no longer theirs to see
        return _notices(notes, shown, proposed)

    def access_log(self, principal: Principal, case_id: str | None = None) -> AccessLogView:
        """Who opened which case: for the privacy officer and the auditor of those schools.
        Views made in a reporting role are not among the timed, named rows: they are counted
        per case and role, up to yesterday (a count that grows while one watches would tie it
        to the named row that appears at the same moment)."""
        if not principal.reads_access_log():
            raise refused(principal, "het toegangslog lezen", [PRIVACY_OFFICER, AUDITOR])
        schools = principal.access_log_schools()
        today = local_date(self.services.clock.now())
        with self.services.uow() as uow:
            entries = uow.access_log.list(schools, case_id)
            counted = uow.reporter_log.counts(schools, case_id, today)
        shown = {e.case_id: e.school for e in entries if e.case_id} | {v.case_id: v.school for v in counted}  # '': a report
        now, roles = self.services.clock.now(), ",".join(sorted(principal.roles()))
        # reading the log shows which cases exist: that too is on the record
        read = [AccessEntry(now, principal.username, roles, c, school, "toegangslog") for c, school in shown.items()]
        if read:
            self.services.commits.run(lambda uow: uow.access_log.add_many(read))
        named = [e for e in entries if not entry_in_reporting_role(e)]
        return AccessLogView(named, with_legacy_counts(counted, [e for e in entries if entry_in_reporting_role(e)], today))


@dataclass(frozen=True)
class AccessLogView:
    """The access log as its readers see it: the named views, newest first, and how often
    each case was viewed in a reporting role (never when, nor by whom)."""

    entries: list[AccessEntry]
    by_reporters: list[ReporterViews]


PARALLEL_FROM_CHUNKS = 4  # below this, starting processes costs more than it saves


def verify_chunk(uow: UnitOfWork, case_ids: Sequence[str]) -> list[Verification]:
    """Verify these cases from one unit of work (also what each parallel process runs)."""
    cases = uow.cases.get_many(case_ids)
    events = uow.cases.events_many(case_ids)
    letters = uow.letters.hashes(case_ids)
    files = uow.attachments.hashes(case_ids)
    return [verify_case(cases[c], events.get(c, []), letters, files) for c in case_ids if c in cases]


def entry_in_reporting_role(e: AccessEntry) -> bool:
    return bool(REPORTER_ROLES & set(e.roles.split(",")))


def with_legacy_counts(counted: list[ReporterViews], legacy: list[AccessEntry], today: date) -> list[ReporterViews]:
    """Views in a reporting role written to the named log before the melders' log existed
    (migration 0021): counted like the melders' log, never listed with their moment."""
    if not legacy:
        return counted
    totals = {(v.case_id, v.school, v.roles): v.count for v in counted}
    for e in legacy:
        if local_date(e.at) < today:
            key = (e.case_id, e.school, ",".join(sorted(REPORTER_ROLES & set(e.roles.split(",")))))
            totals[key] = totals.get(key, 0) + 1
    return [ReporterViews(c, school, roles, n) for (c, school, roles), n in sorted(totals.items())]


def _proposed(uow: UnitOfWork, notes: list[Notification]) -> dict[str, str]:
    """The protocol (id) of each proposal a notice is about."""
    ids = {proposal_of(n.deadline_key) for n in notes if n.kind in PROPOSAL_NOTICES}
    return {pid: entries[0].protocol_id for pid in sorted(ids) if (entries := uow.proposals.entries(pid))}


def _notices(notes: list[Notification], shown: dict[str, Access], proposed: dict[str, str]) -> list[NoticeView]:
    """The notices about cases in ``shown`` (those this user may see), as they see them; and
    those about protocol proposals (sent to the people who may judge them, and the proposer)."""
    views = []
    for n in notes:
        if n.kind in PROPOSAL_NOTICES:  # about a proposal this user judges or made
            pid = proposal_of(n.deadline_key)
            if pid in proposed:
                views.append(NoticeView(n, proposed[pid], "", f"voorstel voor {proposed[pid]}"))
            continue
        if n.case_id is None:  # about a protocol this user keeps: a new base version of a variant
            views.append(NoticeView(n, "", "", notice_label(n.deadline_key)))
            continue
        found = shown.get(n.case_id)
        if found is None:
            continue
        deadline = found.case.deadlines.get(n.deadline_key)
        label = (
            deadline.label if deadline
            else MESSAGE_LABEL if n.kind == MESSAGE_NOTICE
            else ROUTED_LABEL if n.kind == ROUTED_NOTICE
            else n.deadline_key
        )
        views.append(NoticeView(n, found.protocol.spec.title, found.view().subject(), label))
    return views


def _names(uow: UnitOfWork, found: Access, shown: list[Event]) -> Names:
    """The case's school and the actors of the events as this viewer sees them (a masked
    actor is no user, so gets no name)."""
    school = uow.schools.get(found.case.school)
    actors = {e.actor for e in shown} - {HIDDEN}
    return Names({school.id: school.name} if school else {}, uow.users.display_names(actors))


def _matches(view: CaseView, wanted: str) -> bool:
    """A case number's start, or part of the pseudonym as this viewer sees it (never a hidden one)."""
    subject = view.subject()
    return view.case.id.startswith(wanted) or (subject != HIDDEN and wanted in subject.casefold())


def _concerns(found: Access, deadline_id: str) -> bool:
    """Whether a deadline is this viewer's: one of the roles they hold in the case can act on
    it (the roles that must meet it, as reminders have them). A role that only hears when it
    is late gets a reminder, not an entry in its calendar: it cannot do anything on that day."""
    must, _, _ = responsible_roles(found.protocol, deadline_id)
    return bool(set(found.roles) & must)


def check_filter(filters: CaseFilter) -> None:
    if filters.status not in CASE_STATUSES:
        raise InputError("status", f"kies als status {', '.join(CASE_STATUSES)}")
    if filters.page < 1:
        raise InputError("pagina", "een paginanummer is 1 of hoger")
    for field_name, value in (("protocol", filters.protocol), ("stap", filters.step), ("groep", filters.group)):
        if len(value) > 100:
            raise InputError(field_name, "gebruik hoogstens 100 tekens")


def _filtered(found: Access, filters: CaseFilter) -> bool:
    case = found.case
    return not (
        (filters.protocol and case.protocol_id != filters.protocol)
        or (filters.step and case.step != filters.step)
        or (filters.group and case.group != filters.group)
    )


def _can_act(found: Access) -> bool:
    """Whether this user can do something in the case now, in any of their roles."""
    return any(actions_for(found.protocol, found.case, role, found.now) for role in found.roles)


def _all_roles_view(found: Access) -> CaseView:
    """The case as listed: the actions open to the user in any of their roles."""
    actions = [a for role in found.roles for a in actions_for(found.protocol, found.case, role, found.now)]
    return replace(found.view(), actions=list({a.trigger: a for a in actions}.values()))


def _redact_steps(redactor: Redactor, steps: list[ReplayStep]) -> list[ReplayStep]:
    if not redactor.active:
        return steps
    def state(value: dict | None) -> dict | None:  # type: ignore[type-arg]
        if value is None:
            return None
        masked = redactor.deep(value)
        masked["opened_by"] = HIDDEN
        return masked  # type: ignore[no-any-return]

    return [ReplayStep(redactor.event(s.event), state(s.before), state(s.after) or {}) for s in steps]


__all__ = ["AccessLogView", "Reads"]
