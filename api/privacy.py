"""The export for an AVG access request: everything about one pupil, readable, with the
identity of every melder and of other pupils removed, and who has seen the data."""

from __future__ import annotations

import re
from typing import Any

from adapters.sql.accounts import Accounts
from engine.access import Principal
from engine.events import ERASED
from engine.service import Engine

OTHER_PUPIL = "[andere leerling]"
MELDER = "[melder]"


def subject_export(engine: Engine, accounts: Accounts, principal: Principal, pseudonym: str) -> dict[str, Any]:
    schools = principal.access_log_schools()
    with engine.uow() as uow:
        ids = uow.cases.ids(schools)
        cases = uow.cases.get_many(ids) if ids else {}
        events = uow.cases.events_many(ids) if ids else {}
    others = {c.subject for c in cases.values() if c.subject not in (pseudonym, ERASED)}
    scrub = _scrubber(others)
    found = []
    for case in cases.values():
        protocol = engine.protocol(case.protocol_hash)
        if case.subject != pseudonym or protocol.spec.identity is not None:
            continue  # a whistleblower case is about a report, and its melder stays hidden
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
                        "wat": e.trigger or e.type,
                        "geldt_vanaf": e.effective_at.isoformat(),
                        "door": MELDER if e.role == "melder" else e.role,
                        "invoer": {k: scrub(str(v)) for k, v in e.inputs.items() if not k.startswith("melder")},
                    }
                    for e in events.get(case.id, [])
                ],
                "termijnen": [
                    {"wat": d.label, "uiterlijk": d.due_date, "status": d.status}
                    for d in sorted(case.deadlines.values(), key=lambda d: d.key)
                ],
            }
        )
    seen = [
        {"wanneer": a.at.isoformat(), "wie": a.username, "rol": a.roles, "zaak": a.case_id, "hoe": a.what}
        for case_id in [str(c["zaak"]) for c in found]
        for a in accounts.access_log(schools, case_id)
    ]
    return {"leerling": pseudonym, "zaken": found, "ingezien_door": seen}


def _scrubber(names: set[str]) -> Any:
    if not names:
        return lambda text: text
    pattern = re.compile("|".join(re.escape(n) for n in sorted(names, key=len, reverse=True)))
    return lambda text: pattern.sub(OTHER_PUPIL, text)
