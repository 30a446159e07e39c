"""Triage of meldpunt reports (issue 29 item 4; engine/triage.py for the data).

- Loading: a board's protocol owner (board-wide) or the operator loads a triage file for
  that board; every route must name a handling role of the board's meldpunt, every school
  one of the board's.
- Routing: when a report comes in at a school whose board has triage data, it is routed
  in the same unit of work (``route_in``): one event records the category, the version of
  the data and the roles that handle it (the case fact ``behandelaars``), and every holder
  of such a role who may now see the report gets an in-app notice.
- The coordinating roles (the report's handling roles that are not ``routed``: the intern
  begeleider and the directeur) correct the category (an event, then a new routing),
  pick a standard answer (sent with the protocol's own ``bericht_sturen``), and split a
  report into linked cases (one event listing them, each case opened as a hand-over opens
  one). The reporter answers the satisfaction question once, after the report is closed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

from engine.access import PROTOCOL_OWNER, REPORTER, REPORTER_ROLES, Principal, case_roles
from engine.account_ports import Notice
from engine.case import Case, apply
from engine.decisions import Act, Draft
from engine.errors import InputError, ReceiptNotFound
from engine.events import ERASED, Event, EventType
from engine.inputs import check_pseudonym, check_text
from engine.meldpunt import code_hash, normalise_code, password_matches, reporter
from engine.ports import UnitOfWork
from engine.protocol.model import Protocol
from engine.refusals import refused
from engine.terms import local_date
from engine.triage import (
    CATEGORY_FACT,
    COMMENT_LIMIT,
    MAX_PARTS,
    ROUTED_FACT,
    ROUTED_NOTICE,
    SCORES,
    StandardAnswer,
    Triage,
    TriageKind,
    board_of,
    fill,
    parse_triage,
    routed_roles,
    routed_value,
)
from engine.usecases.base import Access, Services, access, known_school, load_access, log_shown, log_views
from engine.usecases.cases import CaseCommands, Opening
from engine.usecases.handover import handover_role, pupil_group, school_protocol
from engine.usecases.protocols import latest_in, offered_at
from engine.usecases.users import principals

MELDPUNT = "meldpunt"
DESCRIPTION_LIMIT = 5_000


@dataclass(frozen=True)
class Part:
    """One part of a split report: the pupil it is about, what it is, and the protocol."""

    pupil: str
    description: str
    protocol_id: str


@dataclass(frozen=True)
class TriageView:
    """What the coordinator's triage page shows of one report."""

    case_id: str
    school: str
    triage: Triage
    category: str
    handlers: tuple[str, ...]
    answers: tuple[StandardAnswer, ...]
    protocols: tuple[tuple[str, str], ...]  # (id, title) a part may be opened under
    role: str
    closed: bool
    satisfaction: int | None = None


def coordinating_roles(protocol: Protocol) -> tuple[str, ...]:
    """The roles that triage a report: its handling roles that are not routed."""
    return tuple(r for r, spec in protocol.spec.roles.items() if r not in REPORTER_ROLES and not spec.routed)


def handling_roles(protocol: Protocol) -> tuple[str, ...]:
    return tuple(r for r in protocol.spec.roles if r not in REPORTER_ROLES)


@dataclass
class Triages:
    services: Services
    cases: CaseCommands

    # --- the data ---------------------------------------------------------------------

    def load(self, principal: Principal, text: str, file: str = "") -> tuple[Triage, bool]:
        """Load a board's triage file as a new version; the same content again is none."""
        s = self.services
        with s.uow(write=True) as uow:
            board = board_of(text)  # the board it names, to check the routes against
            schools = {school.id for school in uow.schools.list() if school.board == board}
            owner = principal.board_wide(PROTOCOL_OWNER)
            if not (principal.is_operator() or owner is not None):
                raise refused(principal, "de indeling van het meldpunt laden", [PROTOCOL_OWNER], board_wide=True)
            # a board's own protocol owner: one installation may serve several boards (a file
            # that names no board is refused by parse_triage, with the file's other problems)
            if board and owner is not None and not principal.is_operator() and not (
                principal.acts_for_board(PROTOCOL_OWNER, board) and all(owner.covers(school, None) for school in schools)
            ):
                raise refused(
                    principal, "de indeling van het meldpunt laden", [PROTOCOL_OWNER], board_wide=True,
                    why="de indeling is voor een ander bestuur dan het uwe",
                )
            if board and not schools:
                raise InputError("board", f"het bestuur '{board[:60]}' heeft geen scholen in het register")
            roles = handling_roles(s.protocol(uow.protocols.get(MELDPUNT).content_hash))
            parsed = parse_triage(text, file, roles=roles, schools=schools)
            version = uow.triage.add(parsed, file[:200], s.clock.now())
            loaded = uow.triage.latest(parsed.board)
            uow.commit()
        assert loaded is not None
        return loaded, version is not None

    def for_school(self, school: str) -> Triage | None:
        """The triage data that applies at a school (its board's newest); public: the form's categories."""
        with self.services.uow() as uow:
            return for_school(uow, school)

    # --- routing ----------------------------------------------------------------------

    def route_in(self, uow: UnitOfWork, protocol: Protocol, case: Case, act: Act, *, corrected_from: str | None = None) -> Case:
        """Route a report by its category (inside the caller's unit of work): one event, and a
        notice to each holder of a routed role who may now see it. Nothing without triage data."""
        triage = for_school(uow, case.school)
        if triage is None or MELDPUNT not in (protocol.id, _base(protocol)):
            return case
        s = self.services
        key = str(case.facts.get(CATEGORY_FACT, ""))
        category = triage.categories.get(key)
        known = set(protocol.spec.roles)
        handlers = tuple(r for r in (category.handlers_at(case.school) if category else ()) if r in known)
        names = ", ".join(_role_label(protocol, r) for r in handlers) or "de coördinator (geen categorie)"
        summary = f"Doorgestuurd volgens de indeling (versie {triage.version}): {triage.label(key)} → {names}"
        draft = Draft(
            EventType.TRIAGE,
            values={ROUTED_FACT: routed_value(handlers)},
            data={
                "kind": TriageKind.ROUTED, "summary": summary, "category": key, "handlers": list(handlers),
                "triage_version": triage.version, "triage_hash": triage.content_hash, "board": triage.board,
                **({"corrected_from": corrected_from} if corrected_from is not None else {}),
            },
        )
        event = s.decider.seal(protocol, case, act, draft)
        after = apply(case, event)
        uow.cases.record(case, after, event)
        routed_only = [r for r in handlers if protocol.spec.roles[r].routed]
        if routed_only:
            day = local_date(event.recorded_at).isoformat()
            people = principals(uow, holding=tuple(routed_only))
            uow.notifications.record(
                [
                    Notice(after.id, f"{ROUTED_NOTICE}@{event.seq}", ROUTED_NOTICE, p.username, "app", day)
                    for p in people
                    if access_roles(s, p, after) & set(routed_only)
                ],
                event.recorded_at,
            )
        return after

    # --- the coordinator ----------------------------------------------------------------

    def view(self, principal: Principal, case_id: str, role: str | None = None) -> TriageView:
        s = self.services
        with s.uow() as uow:
            found = self._coordinator(uow, principal, case_id, role)
            triage = self._triage(uow, found)
            school = known_school(uow, found.case.school)
            offered = offered_at(latest_in(s, uow), found.case.school)
            events = uow.cases.events(case_id)
        values = {"school": school.name or school.id, "categorie": triage.label(str(found.case.facts.get(CATEGORY_FACT, "")))}
        answers = tuple(replace(a, text=fill(a.text, values)) for a in triage.answers.values())
        protocols = tuple(
            (v.stored.id, v.stored.title) for v in offered
            if REPORTER not in v.protocol.spec.roles and found.role in v.protocol.spec.roles
        )
        score = next((int(e.data["score"]) for e in events if e.type == EventType.TRIAGE and e.data.get("kind") == TriageKind.SATISFACTION), None)
        log_shown(s, [found], "triage")
        assert found.role is not None
        return TriageView(
            case_id, found.case.school, triage, str(found.case.facts.get(CATEGORY_FACT, "")),
            routed_roles(found.case.facts), answers, protocols,
            found.role, found.case.closed, score,
        )

    def correct_category(self, principal: Principal, case_id: str, category: str, role: str | None = None) -> Case:
        """The coordinator corrects the report's category: an event "categorie gecorrigeerd
        van … naar …", then the report is routed again by the new category."""
        s = self.services
        with s.uow(write=True) as uow:
            found = self._coordinator(uow, principal, case_id, role)
            triage = self._triage(uow, found)
            if category not in triage.categories:
                raise InputError(CATEGORY_FACT, f"kies een categorie uit de indeling; bekend: {', '.join(triage.categories)}")
            case, protocol = found.case, found.protocol
            if case.closed:
                raise InputError(CATEGORY_FACT, "de melding is afgesloten; haar categorie corrigeert u niet meer")
            old = str(case.facts.get(CATEGORY_FACT, ""))
            if old == category:
                raise InputError(CATEGORY_FACT, "de melding heeft deze categorie al")
            assert found.role is not None
            now = s.clock.now()
            act = Act(principal.username, found.role, now, now)
            summary = f"Categorie gecorrigeerd van ‘{triage.label(old)}’ naar ‘{triage.label(category)}’"
            draft = Draft(
                EventType.TRIAGE, values={CATEGORY_FACT: category},
                data={"kind": TriageKind.CORRECTED, "summary": summary, "from": old, "to": category},
            )
            event = s.decider.seal(protocol, case, act, draft)
            after = apply(case, event)
            uow.cases.record(case, after, event)
            after = self.route_in(uow, protocol, after, act, corrected_from=old)
            log_views(s, uow, [replace(found, case=after)], "triage")
            uow.commit()
        return after

    def split(self, principal: Principal, case_id: str, parts: Sequence[Part], role: str | None = None) -> list[str]:
        """Split one report into several linked cases (at least two): one event in the report
        lists them, each opens as a hand-over opens its case (the school's own variant, the
        pupil's group, in the coordinator's role), with its part's description as a note.
        The same split again (the same parts, in the same order, under the same protocols)
        opens nothing: it answers the cases the first one opened."""
        given = [p for p in parts if p.pupil.strip() or p.description.strip()]
        if len(given) < 2:
            raise InputError("delen", "splitsen maakt minstens twee zaken; vul per deel de leerling, wat er speelt en het protocol in")
        if len(given) > MAX_PARTS:
            raise InputError("delen", f"hoogstens {MAX_PARTS} delen")
        s = self.services
        with s.uow(write=True) as uow:
            found = self._coordinator(uow, principal, case_id, role)
            self._triage(uow, found)
            case, protocol = found.case, found.protocol
            if case.closed:
                raise InputError("delen", "de melding is afgesloten; een afgesloten melding splitst u niet meer")
            assert found.role is not None
            offered = {v.stored.id: v for v in offered_at(latest_in(s, uow), case.school)}
            checked: list[tuple[str, str, str]] = []
            for n, part in enumerate(given, start=1):
                pupil = check_pseudonym(f"leerling_{n}", part.pupil)
                text = check_text(f"beschrijving_{n}", part.description.strip(), DESCRIPTION_LIMIT, f"wat er speelt (deel {n})")
                if not text:
                    raise InputError(f"beschrijving_{n}", f"deel {n}: beschrijf wat er speelt")
                chosen = offered.get(part.protocol_id)
                if chosen is None or REPORTER in chosen.protocol.spec.roles:
                    raise InputError(f"protocol_{n}", f"deel {n}: kies een protocol van deze school")
                checked.append((pupil, text, school_protocol(s, uow, part.protocol_id, case.school)))
            earlier = _same_split(uow.cases.events(case.id), checked)
            if earlier is not None:  # sent twice (a double click, a resent form): the cases exist
                return earlier
            now = s.clock.now()
            act = Act(principal.username, found.role, now, now)
            opened = [{"id": s.new_id(), "protocol": target} for _, _, target in checked]
            summary = f"Gesplitst in {len(opened)} zaken: " + ", ".join(f"{o['id']} ({o['protocol']})" for o in opened)
            draft = Draft(
                EventType.TRIAGE,
                data={
                    "kind": TriageKind.SPLIT, "summary": summary, "opened_cases": opened,
                    "parts": [{"pupil": p, "description": d} for p, d, _ in checked],
                },
                personal=("parts",),
            )
            event = s.decider.seal(protocol, case, act, draft)
            after = apply(case, event)
            uow.cases.record(case, after, event)
            link = {"case_id": case.id, "seq": event.seq, "protocol": protocol.id}
            for (pupil, text, target), o in zip(checked, opened, strict=True):
                group = pupil_group(uow, case.school, pupil, None)
                target_protocol = s.protocol(uow.protocols.get(target, school=case.school).content_hash)
                opening_role = handover_role(principal, target_protocol, case.school, group, found.role)
                new = self.cases.open_in(
                    uow, principal, Opening(target, case.school, pupil, role=opening_role, group=group, linked_from=link),
                    o["id"], now,
                )
                note = Draft(EventType.NOTE, data={"note": f"Uit melding {case.id}: {text}"}, personal=("note",))
                note_event = s.decider.seal(target_protocol, new, Act(principal.username, new_role(uow, new), now, now), note)
                uow.cases.record(new, apply(new, note_event), note_event)
            log_views(s, uow, [replace(found, case=after)], "triage")
            uow.commit()
        return [o["id"] for o in opened]

    # --- the reporter ------------------------------------------------------------------

    def satisfaction(self, code: str, password: str, score: int, comment: str = "") -> None:
        """The reporter's answer to the satisfaction question: once, after the report is
        closed, where the board asks it; an event in the report's chain."""
        if score not in SCORES:
            raise InputError("tevredenheid", "kies een van de vijf gezichtjes")
        comment = check_text("opmerking", comment.strip(), COMMENT_LIMIT, "opmerking") if comment.strip() else ""
        s = self.services
        with s.uow(write=True) as uow:
            receipt = uow.receipts.find(code_hash(normalise_code(code)))
            if receipt is None or (receipt.password_hash and not password_matches(receipt.password_hash, password)):
                raise ReceiptNotFound()
            case = uow.cases.get(receipt.case_id)
            melder = reporter(case.school, receipt.reporter)
            if case.opened_by == ERASED or case.subject == ERASED:
                raise InputError("tevredenheid", "deze melding is geanonimiseerd")
            triage = for_school(uow, case.school)
            if triage is None or not triage.satisfaction or not case.closed:
                raise InputError("tevredenheid", "de vraag hoe tevreden je bent, komt pas als je melding is afgesloten")
            if any(e.type == EventType.TRIAGE and e.data.get("kind") == TriageKind.SATISFACTION for e in uow.cases.events(case.id)):
                raise InputError("tevredenheid", "je hebt deze vraag al beantwoord; dank je wel")
            found = access(s, melder, case)
            now = s.clock.now()
            draft = Draft(
                EventType.TRIAGE,
                data={
                    "kind": TriageKind.SATISFACTION, "summary": f"Tevredenheid van de melder: {score} van 5",
                    "score": score, **({"comment": comment} if comment else {}),
                },
                personal=("comment",) if comment else (),
            )
            event = s.decider.seal(found.protocol, case, Act(receipt.reporter, REPORTER, now, now), draft)
            after = apply(case, event)
            uow.cases.record(case, after, event)
            log_views(s, uow, [replace(found, case=after)], "meldpunt")
            uow.commit()

    # --- helpers -------------------------------------------------------------------------

    def _coordinator(self, uow: UnitOfWork, principal: Principal, case_id: str, role: str | None) -> Access:
        found = load_access(self.services, uow, principal, case_id, role, strict=role is not None)
        allowed = coordinating_roles(found.protocol)
        mine = [r for r in found.roles if r in allowed]
        if not mine or (role is not None and role not in allowed):
            raise found.refused("een melding indelen, beantwoorden of splitsen", allowed)
        return replace(found, role=role or mine[0])

    def _triage(self, uow: UnitOfWork, found: Access) -> Triage:
        triage = for_school(uow, found.case.school)
        if triage is None or MELDPUNT not in (found.protocol.id, _base(found.protocol)):
            raise InputError("indeling", "voor deze melding is geen indeling geladen (trede meldpunt categories load)")
        return triage


def _same_split(events: Sequence[Event], parts: Sequence[tuple[str, str, str]]) -> list[str] | None:
    """The cases an earlier split of the report into exactly these parts (pupil, description,
    protocol) opened, if there was one. The parts are a personal value of the event, kept as
    the text of the list (``Event.sealed``): compared as such."""
    wanted = str([{"pupil": p, "description": d} for p, d, _ in parts])
    targets = [t for _, _, t in parts]
    for e in reversed(events):
        if e.type != EventType.TRIAGE or e.data.get("kind") != TriageKind.SPLIT:
            continue
        opened = e.data.get("opened_cases") or []
        if str(e.data.get("parts")) == wanted and [o.get("protocol") for o in opened] == targets:
            return [str(o["id"]) for o in opened]
    return None


def for_school(uow: UnitOfWork, school: str) -> Triage | None:
    record = uow.schools.get(school)
    return uow.triage.latest(record.board) if record is not None else None


def _base(protocol: Protocol) -> str:
    return protocol.spec.extends.id if protocol.spec.extends else protocol.id


def _role_label(protocol: Protocol, role: str) -> str:
    spec = protocol.spec.roles.get(role)
    return spec.label if spec is not None else role


def access_roles(services: Services, principal: Principal, case: Case) -> set[str]:
    return set(case_roles(principal, case, services.protocol(case.protocol_hash)))


def new_role(uow: UnitOfWork, case: Case) -> str:
    """The role the new case was opened in (its first event's)."""
    return uow.cases.events(case.id)[0].role
