"""The school's safety roles (issue 28): who coordinates the anti-bullying policy, who is the
contact person, the internal and external vertrouwenspersonen and, from the bill Wet vrij en
veilig onderwijs, the veiligheidscoördinator. Kept per school in the school register by those
who keep the register; what the school chooses to publish is shown on the public meldpunt page.

Each kind's key is also the name of the role in the protocols (the klachtenregeling's
``contactpersoon``, ``interne_vertrouwenspersoon``, ``externe_vertrouwenspersoon``): a person
acts in such a role through a membership at the school (``contactpersoon@de-linde``), given
like every other role; the register says who the school appointed, the membership what that
person may do in trede (docs/safety-roles.md)."""

from __future__ import annotations

from dataclasses import dataclass

from engine.errors import InputError
from engine.inputs import check_text

BILL = "wetsvoorstel Wet vrij en veilig onderwijs, Kamerstukken II 2024/25, 36 777, ingediend 27-6-2025"
MAX_PER_KIND = 10


@dataclass(frozen=True)
class SafetyRoleKind:
    key: str
    label: str  # as parents and staff read it
    source: str
    from_bill: bool = False


KINDS: tuple[SafetyRoleKind, ...] = (
    SafetyRoleKind(
        "anti_pestcoordinator",
        "Coördinator van het anti-pestbeleid",
        "WPO art. 4c (coördinatie van het beleid tegen pesten; WVO 2020 en WEC: overeenkomstige artikelen, "
        "nummers niet geverifieerd); seed 004 regel 2895 en 2901",
    ),
    SafetyRoleKind(
        "contactpersoon",
        "Contactpersoon (aanspreekpunt bij pesten en klachten)",
        "WPO art. 4c (aanspreekpunt voor leerlingen en ouders bij pesten); seed 004 regel 1033 en 2906; "
        "modelklachtenregeling (contactpersoon)",
    ),
    SafetyRoleKind(
        "interne_vertrouwenspersoon",
        "Interne vertrouwenspersoon",
        "WPO art. 14 (klachtenregeling); seed 004 regel 215, 221-222 en 232",
    ),
    SafetyRoleKind(
        "externe_vertrouwenspersoon",
        "Externe vertrouwenspersoon",
        "WPO art. 14 (klachtenregeling); seed 004 regel 215, 225-226 en 235-238",
    ),
    SafetyRoleKind(
        "veiligheidscoordinator",
        "Veiligheidscoördinator",
        f"{BILL} (nog geen wet; artikel niet geverifieerd)",
        from_bill=True,
    ),
)
BY_KEY = {k.key: k for k in KINDS}


@dataclass(frozen=True)
class SafetyRole:
    """One person in one safety role at one school, as the register keeps them."""

    school: str
    role: str  # a key of KINDS
    name: str
    contact: str = ""  # how to reach them (e-mail, phone, room), as the school writes it
    published: bool = False  # shown on the public meldpunt page

    @property
    def label(self) -> str:
        return BY_KEY[self.role].label if self.role in BY_KEY else self.role


def check_roles(school: str, roles: list[SafetyRole]) -> list[SafetyRole]:
    """Known kinds, a name for each person, bounded text; at most MAX_PER_KIND per kind."""
    counts: dict[str, int] = {}
    for role in roles:
        if role.school != school:
            raise InputError("school", "een veiligheidsrol hoort bij één school")
        if role.role not in BY_KEY:
            raise InputError("role", f"onbekende veiligheidsrol; kies uit {', '.join(BY_KEY)}")
        if not role.name.strip():
            raise InputError("name", f"geef de naam van de {BY_KEY[role.role].label.lower()}")
        check_text("name", role.name, 200)
        check_text("contact", role.contact, 300)
        counts[role.role] = counts.get(role.role, 0) + 1
        if counts[role.role] > MAX_PER_KIND:
            raise InputError("role", f"ten hoogste {MAX_PER_KIND} personen per rol")
    return roles
