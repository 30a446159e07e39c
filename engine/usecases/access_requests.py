"""The exports for an AVG access request (art. 15), for the privacy officer only; each export
is itself an entry in the access log.

About a pupil: everything about them, readable, with the identity of every melder and of
other pupils removed, and who has seen the data. About a user (a member of staff, or a
melder asking what was recorded of them): their own rows of the access log, including the
views they made in a reporting role, which only the installation's key ties to them."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from engine.access import PRIVACY_OFFICER, REPORTER_ROLES, Principal
from engine.events import ERASED, Event, EventType
from engine.inputs import check_pseudonym, check_text, require_text
from engine.ports import AccessEntry, ReporterEntry
from engine.refusals import refused
from engine.terms import local_date
from engine.usecases.base import Services
from engine.usecases.reads import entry_in_reporting_role, with_legacy_counts
from engine.views import event_label

OTHER_PUPIL = "[andere leerling]"
MELDER = "[melder]"


@dataclass
class AccessRequests:
    services: Services

    def export(self, principal: Principal, pseudonym: str) -> dict[str, Any]:
        scope = _privacy_scope(principal)
        pseudonym = check_pseudonym("leerling", pseudonym)
        s = self.services
        with s.uow(write=True) as uow:
            ids = uow.cases.ids(scope)
            cases = uow.cases.get_many(ids) if ids else {}
            mine = [
                c
                for c in cases.values()
                if c.subject == pseudonym and s.protocol(c.protocol_hash).spec.identity is None
            ]  # a whistleblower case is about a report, and its melder stays hidden
            events = uow.cases.events_many([c.id for c in mine]) if mine else {}
            logged = [e for c in mine for e in uow.access_log.list(scope, c.id)]
            now = s.clock.now()
            counted = [v for c in mine for v in uow.reporter_log.counts(scope, c.id, local_date(now))]
            # views in a reporting role written by name before migration 0021: counted too
            seen = [e for e in logged if not entry_in_reporting_role(e)]
            by_reporters = with_legacy_counts(counted, [e for e in logged if entry_in_reporting_role(e)], local_date(now))
            uow.access_log.add_many(
                [AccessEntry(now, principal.username, PRIVACY_OFFICER, c.id, c.school, "inzage") for c in mine]
            )
            uow.commit()
        scrub = _scrubber({c.subject for c in cases.values() if c.subject not in (pseudonym, ERASED)})
        found = []
        for case in mine:
            protocol = s.protocol(case.protocol_hash)
            labels = protocol.inputs()
            found.append(
                {
                    "zaak": case.id,
                    "protocol": protocol.spec.title,
                    "school": case.school,
                    "groep": case.group,
                    "stap": protocol.step(case.step).label,
                    "geopend": case.opened_at.isoformat(),
                    "afgesloten": case.closed,
                    "gebeurtenissen": [
                        {
                            "nummer": e.seq,
                            "wat": event_label(protocol, e),
                            "geldt_vanaf": e.effective_at.isoformat(),
                            "door": MELDER if e.role in REPORTER_ROLES else e.role,
                            "invoer": {
                                _label(labels, k): scrub(str(v)) for k, v in e.inputs.items() if not k.startswith("melder")
                            },
                            **_added(e, scrub),
                        }
                        for e in events.get(case.id, [])
                    ],
                    "termijnen": [
                        {"wat": d.label, "uiterlijk": d.due_date, "status": d.status}
                        for d in sorted(case.deadlines.values(), key=lambda d: d.key)
                    ],
                }
            )
        return {
            "leerling": pseudonym,
            "zaken": found,
            "ingezien_door": [
                {
                    "wanneer": a.at.isoformat(),
                    "wie": a.username,
                    "rol": a.roles,
                    "zaak": a.case_id,
                    "hoe": a.what,
                }
                for a in seen
            ],
            # views by a melder of their own report: how often, never when or by whom
            "ingezien_door_melder": [{"zaak": v.case_id, "rol": v.roles, "aantal": v.count} for v in by_reporters],
        }

    def export_user(self, principal: Principal, username: str) -> dict[str, Any]:
        """For the privacy officer: a member of staff's named rows of the access log, with the
        moment. Views made in a reporting role are never part of it, nor is whether there are
        any: the privacy officer may not know who reported, and a lookup by name would tell
        (art. 5 regeling 2016; Wbk). The melder asks for those himself (``export_own``)."""
        scope = _privacy_scope(principal)
        require_text("gebruiker", username)
        username = check_text("gebruiker", username, 200, "gebruikersnaam").strip()
        s = self.services
        with s.uow() as uow:  # rows written by name in a reporting role before migration 0021 stay out too
            named = [e for e in uow.access_log.of_user(username, scope) if not entry_in_reporting_role(e)]
        now = s.clock.now()
        logged = [
            AccessEntry(now, principal.username, PRIVACY_OFFICER, c, school, USER_EXPORT)
            for c, school in {e.case_id: e.school for e in named}.items()
        ]
        if logged:
            s.commits.run(lambda uow: uow.access_log.add_many(logged))
        return _user_export(username, named, MELDER_SELF_SERVICE)

    def export_own(self, principal: Principal) -> dict[str, Any]:
        """A user's own rows of the access log, asked by the user himself: the named views
        with the moment and the views made in a reporting role (found by the keyed commitment
        of the name) with the day. Only the person who made them sees the second part. The
        reading is logged like any view: named rows apart from the melder's own."""
        s = self.services
        username = principal.username
        with s.uow(write=True) as uow:  # write: the key is made on first use
            reader = s.reader(uow, username)
            named = uow.access_log.of_user(username, None)
            masked = uow.reporter_log.of_reader(reader, None)
            uow.commit()
        now = s.clock.now()
        named_cases = {e.case_id: e.school for e in named}
        masked_cases = {e.case_id: e.school for e in masked}
        roles = ",".join(sorted(principal.roles())) or "-"
        if named_cases:
            logged = [AccessEntry(now, username, roles, c, school, OWN_EXPORT) for c, school in named_cases.items()]
            s.commits.run(lambda uow: uow.access_log.add_many(logged))
        if masked_cases:  # in a commit of its own: no row ties the two
            day = local_date(now)
            own = [ReporterEntry(day, reader, "melder", c, school, OWN_EXPORT) for c, school in masked_cases.items()]
            s.commits.run(lambda uow: uow.reporter_log.add_many(own), apart=True)
        as_melder = [
            {"dag": e.day.isoformat(), "rol": e.roles, "zaak": e.case_id, "school": e.school, "hoe": e.what}
            for e in masked
        ]
        return _user_export(username, named, as_melder)


def _user_export(username: str, named: Sequence[AccessEntry], as_melder: object) -> dict[str, Any]:
    """A user's export: their named rows of the access log, and what is said of their views as a melder."""
    return {
        "gebruiker": username,
        "toegang": [
            {"wanneer": e.at.isoformat(), "rol": e.roles, "zaak": e.case_id, "school": e.school, "hoe": e.what}
            for e in named
        ],
        "als_melder": as_melder,
    }


MELDER_SELF_SERVICE = (
    "Wat iemand als melder heeft ingezien, staat niet in dit overzicht en kan ook niet worden opgezocht: "
    "wie meldde, blijft afgeschermd. De melder vraagt dat deel zelf op via Mijn toegangslog."
)
OWN_EXPORT = "inzage-eigen"
USER_EXPORT = "inzage-gebruiker"


def _privacy_scope(principal: Principal) -> set[str] | None:
    """The schools whose data this privacy officer answers for; None: every school. A
    board-wide privacy officer answers for the schools of their own board only (one
    installation may serve several boards)."""
    if not principal.handles_access_requests():
        raise refused(principal, "een inzageverzoek afhandelen", [PRIVACY_OFFICER])
    return principal.schools_as(PRIVACY_OFFICER)


def _label(inputs: dict[str, Any], name: str) -> str:
    """A field as the form called it ("Soort gedrag"), for the parent who reads the export."""
    spec = inputs.get(name)
    return str(spec.label) if spec is not None else name


def _added(event: Event, scrub: Callable[[str], str]) -> dict[str, Any]:
    """A note's text, or an attachment's name and hash. A file itself may name others and
    cannot be scrubbed: the privacy officer reviews it before handing it over."""
    if event.type == EventType.NOTE:
        return {"notitie": scrub(str(event.data.get("note", "")))}
    if event.type == EventType.ATTACHMENT:
        return {
            "bijlage": {
                "naam": scrub(str(event.data.get("file_name", ""))),
                "sha256": event.data.get("sha256"),
                "let_op": "het bestand zelf wordt apart beoordeeld en verstrekt",
            }
        }
    return {}


def _scrubber(names: set[str]) -> Callable[[str], str]:
    if not names:
        return lambda text: text
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    return lambda text: pattern.sub(OTHER_PUPIL, text)
