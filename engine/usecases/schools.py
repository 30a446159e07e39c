"""The school register: each school's legal context (openbaar or bijzonder, PO/VO/SO) and
the addresses its letters carry. The bevoegd gezag keeps it; a protocol reads it as facts
when a case opens, and a decision letter takes its remedy route from it."""

from __future__ import annotations

import builtins
from dataclasses import dataclass

from engine.access import Principal
from engine.errors import InputError
from engine.inputs import check_identifier, check_text
from engine.ports import SchoolRecord
from engine.protocol.model import SCHOOL_FACTS
from engine.refusals import refused
from engine.usecases.base import Services

REGIONS = ("noord", "midden", "zuid")


@dataclass
class Schools:
    services: Services

    def list(self) -> builtins.list[SchoolRecord]:
        with self.services.uow() as uow:
            return uow.schools.list()

    def save(self, principal: Principal, school: SchoolRecord) -> SchoolRecord:
        """Record or correct a school; for the board (bevoegd gezag) and the administrator."""
        board_wide = "bevoegd_gezag" in {m.role for m in principal.memberships if m.school is None}
        if not (principal.is_operator() or board_wide):
            raise refused(principal, "het scholenregister bijhouden", ["bevoegd_gezag"], board_wide=True)
        check_identifier("id", school.id, 60, "school-id")
        if not school.id or not school.id.replace("-", "").isalnum() or school.id != school.id.lower():
            raise InputError("id", "een school-id bestaat uit kleine letters, cijfers en streepjes, bijvoorbeeld de-linde")
        for field, limit in (("name", 200), ("board", 100), ("address", 300), ("board_name", 200), ("board_address", 300)):
            check_text(field, getattr(school, field) or "", limit)
        if school.region not in REGIONS:
            raise InputError("region", f"kies {', '.join(REGIONS)}")
        if school.denominatie is not None and school.denominatie not in SCHOOL_FACTS["school_denominatie"]:
            raise InputError("denominatie", "kies openbaar of bijzonder")
        if school.sector is not None and school.sector not in SCHOOL_FACTS["school_sector"]:
            raise InputError("sector", "kies po, vo of so")
        with self.services.uow(write=True) as uow:
            if principal.board is not None and not principal.is_operator():
                known = uow.schools.get(school.id)
                if school.board != principal.board or (known is not None and known.board != principal.board):
                    # one installation may serve several boards: each keeps its own schools
                    raise refused(
                        principal,
                        "de school in het register bijhouden",
                        ["bevoegd_gezag"],
                        school=school.id,
                        school_name=known.name if known is not None else school.name,
                        elsewhere=True,
                        why="zij hoort bij een ander bestuur",
                    )
            uow.schools.save(school)
            uow.commit()
        return school
