"""Incident registration and serious-incident reports (issue 28; engine/incidents.py).

Who: staff at the incident's school record and read incidents there (a board-wide role
covers the board's schools); an auditor reads. The reporting roles (melder), protocol
owners and the privacy officer do not. Every read writes the access log, one row per
incident shown (``incident:<id>`` in the case column), as the cases do.

A serious incident (its kind carries ``serious`` in the loaded categories) opens a case of
the bundled protocol ``melding-ernstig-incident`` in the same transaction, when the bill's
duties apply: the categories say the law is in force, or the school's board switched them
on (an entry in the incident log; default off). That case carries the reporting term from
the categories as a fact, so its deadline, reminders, agenda entry and letter are those of
any case. The case is opened by trede itself (actor ``trede``, role bevoegd gezag).
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, datetime

from engine.access import (
    AUDITOR,
    OPERATOR_ROLE,
    PROTOCOL_OWNER,
    Membership,
    Principal,
    can_view,
)
from engine.case import Case
from engine.durations import Duration
from engine.errors import (
    CaseNotFound,
    IncidentNotFound,
    InputError,
    InvalidEffectiveDate,
    ProtocolNotFound,
    QuickRecordConflict,
)
from engine.events import ERASED
from engine.incidents import (
    PARTS,
    QUICK_PARTS,
    REPORT_PROTOCOL,
    EntryType,
    Incident,
    IncidentCategories,
    IncidentEntry,
    Involved,
    bill_switches,
    committed,
    fold,
    parse_categories,
    recorded_data,
)
from engine.inputs import QUICK_SKEW, check_identifier, check_pseudonym, incident_moment, quick_moment
from engine.ports import AccessEntry, UnitOfWork
from engine.protocol.model import SYSTEM_ROLE
from engine.refusals import refused
from engine.terms import TermRule, compute_term, local_date
from engine.usecases.base import Services, check_school, known_school, load_access, pupil_choices
from engine.usecases.cases import CaseCommands, Firing, Opening

# Who records and reads a school's incidents: its staff, and the coordinators of its safety
# policy (engine/safety_roles.py), by an allow-list: a role added later (a commission, an
# external confidant, a supervisor) sees no pupil's pseudonym unless it is named here.
STAFF = (
    "leerkracht",
    "intern_begeleider",
    "aandachtsfunctionaris",
    "directeur",
    "bevoegd_gezag",
    "anti_pestcoordinator",
    "veiligheidscoordinator",
)
REPORTING_ROLES = ("directeur", "bevoegd_gezag")
SYSTEM_ACTOR = "trede"
BILL = "wetsvoorstel Wet vrij en veilig onderwijs (Kamerstuk 36 777, 27-6-2025)"
MAX_INVOLVED = 50
# How long an incident keeps its pseudonyms (docs/legal-basis.md, 'Incidenten'): as the
# meldbox's reports (seed 001), twelve months after the incident; longer while a linked case
# keeps its own personal data (that case's retention then decides).
RETENTION = "12 maanden"
RETENTION_BASIS = "AVG art. 5 lid 1 onder e; Veiligheidsplan SPCO LEV / M5: geanonimiseerd na 12 maanden"


@dataclass(frozen=True)
class IncidentFilter:
    kind: str | None = None
    place: str | None = None
    seriousness: str | None = None
    since: date | None = None
    until: date | None = None
    serious_only: bool = False
    linked: bool | None = None  # True: linked to a case; False: not linked to any (None: both)

    def matches(self, i: Incident) -> bool:
        day = local_date(i.happened_at)
        return (
            (self.kind is None or i.kind == self.kind)
            and (self.place is None or i.place == self.place)
            and (self.seriousness is None or i.seriousness == self.seriousness)
            and (self.since is None or day >= self.since)
            and (self.until is None or day <= self.until)
            and (not self.serious_only or i.serious)
            and (self.linked is None or bool(i.cases) == self.linked)
        )


@dataclass
class Incidents:
    services: Services
    cases: CaseCommands  # opens a serious incident's reporting case

    # --- categories -----------------------------------------------------------------

    def load_categories(self, principal: Principal, text: str, file: str = "") -> tuple[IncidentCategories, bool]:
        """Load a categories file as a new version (no code change); the same content again
        is no new version. Protocol owners of the board and the operator load them."""
        if not (principal.is_operator() or (PROTOCOL_OWNER in principal.roles() and principal.schools() is None)):
            raise refused(principal, "incidentcategorieën laden", [PROTOCOL_OWNER], board_wide=True)
        parsed = parse_categories(text, file)
        s = self.services
        with s.uow(write=True) as uow:
            now = s.clock.now()
            version = uow.incidents.add_categories(parsed, file, now)
            if version is not None:
                uow.incidents.append([
                    IncidentEntry(
                        EntryType.CATEGORIES, "", "", now, principal.username, _role(principal, PROTOCOL_OWNER),
                        {"version": version, "content_hash": parsed.content_hash, "file": file[:200]},
                    )
                ])
            loaded = uow.incidents.categories(version)
            uow.commit()
        assert loaded is not None
        return loaded, version is not None

    def categories(self, version: int | None = None) -> IncidentCategories:
        with self.services.uow() as uow:
            found = uow.incidents.categories(version)
        if found is None:
            raise InputError("categorieen", "er zijn nog geen incidentcategorieën geladen (trede incidents categories load)")
        return found

    def switch_bill(self, principal: Principal, board: str, on: bool) -> None:
        """A board switches the bill's duties on before the law is in force (or off again)."""
        check_identifier("board", board, 100, "bestuur")
        if not (principal.is_operator() or principal.acts_for_board("bevoegd_gezag", board)):
            # the bevoegd gezag of that board only: one installation may serve several boards
            other = principal.board_wide("bevoegd_gezag") is not None
            raise refused(
                principal, "de plichten uit het wetsvoorstel aan- of uitzetten", ["bevoegd_gezag"], board_wide=True,
                why="dat bestuur is een ander bestuur dan het uwe" if other else None,
            )
        s = self.services
        with s.uow(write=True) as uow:
            uow.incidents.append([
                IncidentEntry(
                    EntryType.BILL, "", "", s.clock.now(), principal.username, _role(principal, "bevoegd_gezag"),
                    {"board": board, "on": on, "bill": BILL},
                )
            ])
            uow.commit()

    def bill_on(self, board: str) -> bool:
        with self.services.uow() as uow:
            return bill_switches(uow.incidents.entries(frozenset({""}))).get(board, False)

    # --- recording ------------------------------------------------------------------

    def record(
        self,
        principal: Principal,
        *,
        school: str,
        kind: str,
        place: str,
        seriousness: str,
        happened: date | datetime,
        involved: Sequence[tuple[str, str]] = (),
        role: str | None = None,
    ) -> Incident:
        """Record an incident at a school where the principal works; a serious one opens its
        reporting case in the same transaction (see the module's doc). ``happened`` is bounded
        by ``engine.inputs.incident_moment``: not in the future, at most three months ago."""
        check_school(school)
        people = _involved(involved)
        s = self.services
        with s.uow(write=True) as uow:
            incident_id = self._record_in(
                uow, principal, school, kind, place, seriousness, lambda now: incident_moment(happened, now), people, role
            )
            uow.commit()
        return self.get(principal, incident_id, log=False)

    def record_once(
        self,
        principal: Principal,
        *,
        key: str,
        school: str,
        kind: str,
        place: str,
        seriousness: str,
        happened: datetime,
        involved: Sequence[tuple[str, str]] = (),
        role: str | None = None,
    ) -> tuple[Incident, bool]:
        """A quick record from the phone (docs/snel-vastleggen.md): recorded once per client
        key. ``key`` is the UUID the device generated at the tap; sent again (a retry after a
        lost answer, a second tab) it gives the incident of the first submission and False;
        sent again saying something else, it is refused (``QuickRecordConflict``): the key's
        first record stands. The key is the user's own at the school: another user's same key
        is another record. ``happened`` is the moment of the tap (bounded by ``quick_moment``);
        the record's own moment is the server's, when it arrives. Only what the phone offers
        is recorded: pupils from the user's own groups in the register (``pupil_choices``,
        as /snel/gegevens lists them) in a pupil's part (``QUICK_PARTS``)."""
        check_school(school)
        key = check_client_key(key)
        people = _involved(involved)
        if happened.tzinfo is None:
            raise InvalidEffectiveDate("geef het moment met tijdzone")
        s = self.services
        with s.uow(write=True) as uow:
            earlier = uow.incidents.keyed(school, principal.username, key)
            if earlier is None:
                earlier = self._record_in(
                    uow, principal, school, kind, place, seriousness, lambda now: quick_moment(happened, now), people, role,
                    only_offered=True,
                )
                uow.incidents.add_key(school, principal.username, key, earlier, s.clock.now())
                uow.commit()
                return self.get(principal, earlier, log=False), True
        first = self.get(principal, earlier, log=False)
        differs = _differs(first, kind, place, seriousness, happened, people, role)
        if differs:
            raise QuickRecordConflict(key, earlier, differs)
        return first, False

    def _record_in(
        self, uow: UnitOfWork, principal: Principal, school: str, kind: str, place: str, seriousness: str,
        when: Callable[[datetime], datetime], people: Sequence[Involved], role: str | None, *, only_offered: bool = False,
    ) -> str:
        """``only_offered``: a quick record, which names only what the phone offers (``_offered``)."""
        s = self.services
        record = known_school(uow, school)
        acting = _staff_role(principal, school, role, "een incident vastleggen", record.name)
        if only_offered:
            _offered(s, uow, principal, school, people)
        categories = uow.incidents.categories()
        if categories is None:
            raise InputError("categorieen", "er zijn nog geen incidentcategorieën geladen (trede incidents categories load)")
        for field, section, value in (("kind", "kinds", kind), ("place", "places", place), ("seriousness", "seriousness", seriousness)):
            known = getattr(categories, section)
            if value not in known:
                raise InputError(field, f"'{str(value)[:40]}' is onbekend; kies uit: {', '.join(known)}")
        now = s.clock.now()
        moment = when(now)
        incident_id = s.new_id()
        serious = categories.kinds[kind].serious
        board = record.board or school
        applies = bool(categories.bill.get("in_force")) or bill_switches(
            uow.incidents.entries(frozenset({""}))
        ).get(board, False)
        no_report = "" if serious is None or applies else (
            f"de meldplicht uit het {BILL} staat voor dit bestuur uit"
        )
        chained, personal = committed(people, [secrets.token_hex(16) for _ in people])
        entries = [
            IncidentEntry(
                EntryType.RECORDED, incident_id, school, now, principal.username, acting,
                recorded_data(categories, kind, place, seriousness, moment, chained, no_report), personal,
            )
        ]
        if serious is not None and applies:
            case_id = self._open_report(uow, categories, incident_id, school, kind, place, seriousness, moment, people)
            entries.append(
                IncidentEntry(EntryType.REPORT_OPENED, incident_id, school, now, SYSTEM_ACTOR, "bevoegd_gezag", {"case_id": case_id})
            )
        uow.incidents.append(entries)
        return incident_id

    def _open_report(
        self, uow: UnitOfWork, categories: IncidentCategories, incident_id: str, school: str, kind: str, place: str,
        seriousness: str, happened: datetime, people: Sequence[Involved],
    ) -> str:
        serious = categories.kinds[kind].serious
        assert serious is not None
        system = Principal(SYSTEM_ACTOR, "trede (automatisch)", (Membership("bevoegd_gezag", school),))
        now = self.services.clock.now()
        case_id = self.services.new_id()
        try:
            self.cases.open_in(uow, system, Opening(REPORT_PROTOCOL, school, f"incident-{incident_id}"), case_id, now)
        except ProtocolNotFound:
            raise InputError(
                "protocol", f"het protocol '{REPORT_PROTOCOL}' is niet geladen; laad het (trede protocol load) voor de meldplicht"
            ) from None
        summary = fold([IncidentEntry(EntryType.RECORDED, incident_id, school, now, SYSTEM_ACTOR, "", recorded_data(
            categories, kind, place, seriousness, happened, people, ""))])[incident_id]
        facts = {
            "incident": incident_id,
            "incident_soort": categories.label("kinds", kind),
            "incident_plaats": categories.label("places", place),
            "incident_ernst": categories.label("seriousness", seriousness),
            "incident_datum": local_date(happened).isoformat(),
            "incident_bekend_op": local_date(now).isoformat(),
            "betrokkenen": summary.parts_summary(),
            "melden_aan": " en ".join(serious.report_to),
            "meldtermijn": serious.term,
            "termijn_bron": f"{serious.source} (incidentcategorieën versie {categories.version})"[:500],
        }
        self.cases.fire_in(uow, system, case_id, Firing("meldplicht_vastleggen", "bevoegd_gezag", facts))
        return case_id

    # --- reading --------------------------------------------------------------------

    def at_school(self, principal: Principal, school: str, filters: IncidentFilter | None = None) -> list[Incident]:
        """The incidents of a school, newest first, as the filters select them."""
        check_school(school)
        s = self.services
        with s.uow() as uow:
            record = known_school(uow, school)
            _reader_role(principal, school, record.name)
            found = fold(uow.incidents.entries(frozenset({school})))
            matching = [i for i in found.values() if (filters or IncidentFilter()).matches(i)]
            shown = sorted(_seen_links(s, uow, principal, matching), key=lambda i: (i.happened_at, i.id), reverse=True)
        self._log(principal, shown, "incidenten")
        return shown

    def schools(self, principal: Principal, *, recording: bool) -> list[str]:
        """The schools where the principal may record incidents (``recording``) or read them,
        in the register's order: what the pages offer; the actions check again."""
        with self.services.uow() as uow:
            known = [r.id for r in uow.schools.list()]
        if recording:
            return [school for school in known if _staff(principal, school)]
        return [school for school in known if _may_read(principal, school)]

    def get(self, principal: Principal, incident_id: str, *, log: bool = True) -> Incident:
        check_identifier("incident", incident_id, 40, "incident")
        with self.services.uow() as uow:
            found = fold(uow.incidents.entries(None, incident_id)).get(incident_id)
            if found is None or not _may_read(principal, found.school):
                raise IncidentNotFound(incident_id)  # another school's incident does not exist for them
            found = _seen_links(self.services, uow, principal, [found])[0]
        if log:
            self._log(principal, [found], "incident")
        return found

    def link(self, principal: Principal, incident_id: str, case_id: str, role: str | None = None) -> Incident:
        """Link an incident to a case of the same school that the principal may see and that
        is still running (linking again changes nothing)."""
        check_identifier("incident", incident_id, 40, "incident")
        check_identifier("case", case_id, 40, "zaak")
        s = self.services
        with s.uow(write=True) as uow:
            found = fold(uow.incidents.entries(None, incident_id)).get(incident_id)
            if found is None or not _may_read(principal, found.school):
                raise IncidentNotFound(incident_id)
            record = known_school(uow, found.school)
            acting = _staff_role(principal, found.school, role, "een incident aan een zaak koppelen", record.name)
            case = load_access(s, uow, principal, case_id, None).case
            if case.school != found.school:
                raise InputError("case", "een incident wordt alleen gekoppeld aan een zaak van dezelfde school")
            if case_id not in found.cases and case.closed:
                # a link keeps the incident's pseudonyms as long as the case keeps its own
                # (apply_retention): a closed case would hold on to them for an incident it
                # never handled
                raise InputError(
                    "case", "deze zaak is afgesloten; een incident koppelt u aan een zaak die nog loopt"
                )
            if case_id not in found.cases:
                uow.incidents.append([
                    IncidentEntry(EntryType.LINKED, incident_id, found.school, s.clock.now(), principal.username, acting, {"case_id": case_id})
                ])
            uow.commit()
        return self.get(principal, incident_id)

    # --- retention ----------------------------------------------------------------

    def apply_retention(self) -> list[str]:
        """Erase the pseudonyms of every incident whose retention term has passed (see
        RETENTION) and that no kept case still needs: each linked case and its report case
        are anonymised (or gone). The erasure is an entry of the log, in the same
        transaction, so that verification tells it from a value removed in the database.
        Returns the incidents erased."""
        s = self.services
        now = s.clock.now()
        with s.uow(write=True) as uow:
            entries = uow.incidents.entries(None)
            done = {e.incident_id for e in entries if e.type == EntryType.ERASED}
            due: list[Incident] = []
            for incident in fold(entries).values():
                if incident.id in done or not incident.involved:
                    continue
                term = compute_term(local_date(incident.happened_at), Duration.parse(RETENTION), TermRule.CALENDAR, s.calendar, "")
                if now < term.due_at or any(_case_keeps(uow, c) for c in (*incident.cases, *filter(None, [incident.report_case]))):
                    continue
                due.append(incident)
            for incident in due:
                uow.incidents.erase_personal(incident.id)
            uow.incidents.append([
                IncidentEntry(
                    EntryType.ERASED, i.id, i.school, now, SYSTEM_ROLE, SYSTEM_ROLE,
                    {"reason": f"bewaartermijn van {RETENTION} na het incident verstreken ({RETENTION_BASIS})", "erased": len(i.involved)},
                )
                for i in due
            ])
            uow.commit()
        return [i.id for i in due]

    def _log(self, principal: Principal, shown: Sequence[Incident], what: str) -> None:
        log_incidents(self.services, principal, shown, what)


def log_incidents(services: Services, principal: Principal, shown: Sequence[Incident], what: str) -> None:
    """One access-log row per incident shown (``incident:<id>``), in one commit."""
    if not shown:
        return
    now = services.clock.now()
    entries = [
        AccessEntry(now, principal.username, ",".join(sorted(principal.roles_at(i.school))), f"incident:{i.id}", i.school, what)
        for i in shown
    ]
    services.commits.run(lambda uow: uow.access_log.add_many(entries))


def case_incidents(
    services: Services, uow: UnitOfWork, principal: Principal, case: Case
) -> tuple[list[Incident], list[Incident]]:
    """Inside the caller's unit of work (the case page's one read): the incidents linked to
    the case (or whose report it is), for who reads the school's incidents; and those of its
    school linked to no case yet, for its staff, to link ('Incident koppelen'; none to a
    closed case)."""
    if not _may_read(principal, case.school):
        return [], []
    found = fold(uow.incidents.entries(frozenset({case.school})))
    linked = [i for i in found.values() if case.id in i.cases or i.report_case == case.id]
    linkable = sorted(
        (i for i in found.values() if not i.cases and i.report_case != case.id), key=lambda i: (i.happened_at, i.id), reverse=True
    ) if _staff(principal, case.school) and not case.closed else []
    return _seen_links(services, uow, principal, linked), linkable


def check_client_key(key: str) -> str:
    """A client's idempotency key: a UUID as the device wrote it (36 characters)."""
    try:
        parsed = uuid.UUID(key)
    except (ValueError, TypeError, AttributeError):
        raise InputError("key", "de sleutel van het record is geen UUID") from None
    if len(key) != 36 or str(parsed) != key.lower():
        raise InputError("key", "de sleutel van het record is geen UUID")
    return key.lower()


def _case_keeps(uow: UnitOfWork, case_id: str) -> bool:
    """A linked case still holds personal data: the incident's pseudonyms stay with it."""
    try:
        return uow.cases.get(case_id).subject != ERASED
    except CaseNotFound:
        return False


def _involved(given: Sequence[tuple[str, str]]) -> tuple[Involved, ...]:
    if len(given) > MAX_INVOLVED:
        raise InputError("betrokkenen", f"ten hoogste {MAX_INVOLVED} betrokkenen per incident")
    people = []
    for pseudonym, part in given:
        if part not in PARTS:
            raise InputError("betrokkenen", f"rol '{str(part)[:30]}' is onbekend; kies uit: {', '.join(PARTS)}")
        people.append(Involved(check_pseudonym("betrokkenen", pseudonym), part))
    return tuple(people)


def _offered(services: Services, uow: UnitOfWork, principal: Principal, school: str, people: Sequence[Involved]) -> None:
    """A quick record names only what the phone offers (/snel/gegevens): a pupil of the
    user's own groups in the school's register, in a pupil's part."""
    pupils = {p.name for p in pupil_choices(services, uow, principal, school)}
    for person in people:
        if person.part not in QUICK_PARTS:
            raise InputError("betrokkenen", f"rol '{person.part}' kan bij snel vastleggen niet; kies uit: {', '.join(QUICK_PARTS)}")
        if person.pseudonym not in pupils:
            raise InputError(
                "betrokkenen",
                f"'{person.pseudonym[:60]}' staat niet in de leerlingenlijst van uw groepen op deze school; "
                "leg een incident met iemand anders vast in de incidentregistratie",
            )


def _differs(
    first: Incident, kind: str, place: str, seriousness: str, happened: datetime, people: Sequence[Involved], role: str | None
) -> list[str]:
    """What a quick record sent again with its key says otherwise than the key's first
    record, in the words of the form. The moment is the same when it is the one recorded,
    or one the first submission clamped to the server's now (at most ``QUICK_SKEW`` ahead)."""
    stated = happened.astimezone(first.happened_at.tzinfo)
    same_moment = stated == first.happened_at or first.happened_at < stated <= first.happened_at + QUICK_SKEW
    checks = [
        ("soort", kind == first.kind),
        ("plaats", place == first.place),
        ("ernst", seriousness == first.seriousness),
        ("moment", same_moment),
        ("betrokkenen", [(p.pseudonym, p.part) for p in people] == [(p.pseudonym, p.part) for p in first.involved]),
        ("rol", role is None or role == first.role),
    ]
    return [name for name, same in checks if not same]


def _seen_links(services: Services, uow: UnitOfWork, principal: Principal, incidents: Sequence[Incident]) -> list[Incident]:
    """The incidents with only the cases this reader may open: a linked meldpunt report or a
    whistleblower case is not even named to an incident reader who may not see it."""
    ids = sorted({c for i in incidents for c in (*i.cases, *filter(None, [i.report_case]))})
    cases = uow.cases.get_many(ids) if ids else {}
    seen = {cid for cid, case in cases.items() if can_view(principal, case, services.protocol(case.protocol_hash))}
    return [
        replace(i, cases=tuple(c for c in i.cases if c in seen), report_case=i.report_case if i.report_case in seen else None)
        for i in incidents
    ]


def _staff(principal: Principal, school: str) -> list[str]:
    return sorted(principal.roles_at(school) & set(STAFF))


def _may_read(principal: Principal, school: str) -> bool:
    held = principal.roles_at(school)
    return bool(held & set(STAFF)) or AUDITOR in held or principal.is_operator()


def _reader_role(principal: Principal, school: str, name: str) -> None:
    if not _may_read(principal, school):
        raise refused(principal, "de incidenten van deze school inzien", [*STAFF, AUDITOR], school=school, school_name=name or school)


def _staff_role(principal: Principal, school: str, role: str | None, action: str, name: str) -> str:
    held = _staff(principal, school)
    if role is not None:
        check_identifier("role", role, 100, "rol")
    if not held or (role is not None and role not in held):
        raise refused(principal, action, list(STAFF), school=school, school_name=name or school)
    return role or held[0]


def _role(principal: Principal, preferred: str) -> str:
    return preferred if preferred in principal.roles() else (OPERATOR_ROLE if principal.is_operator() else sorted(principal.roles())[0])

