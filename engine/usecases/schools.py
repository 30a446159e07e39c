"""The school register: each school's legal context (openbaar or bijzonder, PO/VO/SO) and
the addresses its letters carry. The bevoegd gezag keeps it; a protocol reads it as facts
when a case opens, and a decision letter takes its remedy route from it.

The logo at the head of a school's letters is kept with the school by the bevoegd gezag of
its board, a protocol owner of that school, or the administrator (engine/logos.py checks it)."""

from __future__ import annotations

import builtins
from dataclasses import dataclass

from engine.access import PROTOCOL_OWNER, Principal
from engine.errors import InputError
from engine.incidents import bill_switches
from engine.inputs import check_identifier, check_text
from engine.logos import check_logo
from engine.ports import SchoolLogo, SchoolRecord, UnitOfWork
from engine.protocol.model import SCHOOL_FACTS
from engine.refusals import refused
from engine.safety_roles import SafetyRole, check_roles
from engine.usecases.base import Services, check_school, known_school

REGIONS = ("noord", "midden", "zuid")


def school_context(uow: UnitOfWork, record: SchoolRecord | None) -> dict[str, str]:
    """The facts a case records about its school when it opens: the register's, and whether
    its board applies the bill Wet vrij en veilig onderwijs already (Kamerstuk 36 777,
    27-6-2025): one switch per board, recorded in the incident log (Incidents.switch_bill)."""
    if record is None:
        return {}
    found = record.context()
    if bill_switches(uow.incidents.entries(frozenset({""}))).get(record.board):
        found["wet_vrij_en_veilig"] = "ja"
    return found


@dataclass
class Schools:
    services: Services

    def list(self) -> builtins.list[SchoolRecord]:
        """The school register by name: what pages offer to choose from."""
        with self.services.uow() as uow:
            return sorted(uow.schools.list(), key=lambda school: school.name)

    def kept(self, principal: Principal) -> builtins.list[SchoolRecord]:
        """The register as its keeper sees it: for the bevoegd gezag, the schools of their own
        board (one installation may serve several boards); for the administrator, all."""
        if principal.is_operator() or principal.board is None:
            return self.list()
        return [school for school in self.list() if school.board == principal.board]

    def name(self, school: str) -> str:
        """A school as its register names it (its id when the register does not know it)."""
        return self.services.school_name(school)

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
        self.services.token_principals.clear()  # a school's board limits its board-wide roles
        return school

    # --- the school's safety roles (issue 28) -------------------------------------------

    def safety_roles(self, principal: Principal, school_id: str) -> builtins.list[SafetyRole]:
        """Everyone in the school's safety roles, published or not, for those who keep the register."""
        with self.services.uow() as uow:
            self._register_kept_by(uow, principal, school_id)
            return uow.schools.safety_roles(school_id)

    def save_safety_roles(self, principal: Principal, school_id: str, roles: builtins.list[SafetyRole]) -> builtins.list[SafetyRole]:
        """Replace the school's safety roles: for the bevoegd gezag of its board and the administrator."""
        check_school(school_id)
        checked = check_roles(school_id, roles)
        with self.services.uow(write=True) as uow:
            self._register_kept_by(uow, principal, school_id)
            uow.schools.save_safety_roles(school_id, checked)
            uow.commit()
        return checked

    def published_safety_roles(self, school_id: str) -> builtins.list[SafetyRole]:
        """What the school chose to show on its public meldpunt page: no principal needed."""
        with self.services.uow() as uow:
            if uow.schools.get(school_id[:100]) is None:
                return []
            return [r for r in uow.schools.safety_roles(school_id[:100]) if r.published]

    @staticmethod
    def _register_kept_by(uow: UnitOfWork, principal: Principal, school_id: str) -> SchoolRecord:
        check_school(school_id)
        school = known_school(uow, school_id)
        board_wide = "bevoegd_gezag" in {m.role for m in principal.memberships if m.school is None}
        if principal.is_operator() or (board_wide and principal.board in (None, school.board)):
            return school
        raise refused(principal, f"de veiligheidsrollen van {school.name} bijhouden", ["bevoegd_gezag"], board_wide=True)

    # --- the logo on the school's letters ----------------------------------------------

    def letterheads(self, principal: Principal) -> builtins.list[tuple[SchoolRecord, SchoolLogo | None]]:
        """The schools whose logo this person keeps, each with its logo (None: it has none)."""
        with self.services.uow() as uow:
            return [(school, uow.schools.logo(school.id)) for school in uow.schools.list() if keeps_letterhead(principal, school)]

    def logo(self, principal: Principal, school_id: str) -> SchoolLogo | None:
        with self.services.uow() as uow:
            self._kept_by(uow, principal, school_id)
            return uow.schools.logo(school_id)

    def save_logo(self, principal: Principal, school_id: str, content: bytes) -> SchoolLogo:
        """Check the file (PNG or JPEG by its content, bounded in bytes and pixels, decoded
        once by the letter renderer) and make it the logo on the school's letters."""
        s = self.services
        media_type, width, height = check_logo(content)
        if s.letters is not None:
            s.letters.check_image(media_type, content)
        with s.uow(write=True) as uow:
            self._kept_by(uow, principal, school_id)
            logo = SchoolLogo(school_id, media_type, content, width, height, s.clock.now(), principal.username)
            uow.schools.save_logo(logo)
            uow.commit()
        return logo

    def remove_logo(self, principal: Principal, school_id: str) -> bool:
        """Letters made from now on carry no logo; letters already made keep theirs."""
        with self.services.uow(write=True) as uow:
            self._kept_by(uow, principal, school_id)
            removed = uow.schools.remove_logo(school_id)
            uow.commit()
        return removed

    @staticmethod
    def _kept_by(uow: UnitOfWork, principal: Principal, school_id: str) -> SchoolRecord:
        check_school(school_id)
        school = known_school(uow, school_id)
        if not keeps_letterhead(principal, school):
            raise refused(
                principal, f"het logo van {school.name} bijhouden", ["bevoegd_gezag", PROTOCOL_OWNER], school=school.id, school_name=school.name
            )
        return school


def keeps_letterhead(principal: Principal, school: SchoolRecord) -> bool:
    """The administrator; the bevoegd gezag of the school's own board (board-wide, as for the
    register); a protocol owner of that school (at the school, or board-wide for its board)."""
    if principal.is_operator() or PROTOCOL_OWNER in principal.roles_for(school.id):
        return True
    board = principal.board_wide("bevoegd_gezag")
    return board is not None and board.covers(school.id, None) and principal.board in (None, school.board)
