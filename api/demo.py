"""Demo data: the bundled protocols and a handful of cases with invented pseudonyms,
backdated so that some deadlines are due soon and some are overdue."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from engine.access import OPERATOR, Membership, Principal
from engine.errors import ProtocolNotFound
from engine.ports import SchoolRecord as School
from engine.protocol.loader import load_protocol_file
from engine.safety_roles import SafetyRole
from engine.terms import local_date
from engine.usecases import Engine

ROOT = Path(__file__).resolve().parent.parent
PROTOCOLS = ROOT / "protocols"
GEDRAG = "grensoverschrijdend-gedrag"


def load_bundled(engine: Engine) -> list[str]:
    loaded = []
    for path in sorted(PROTOCOLS.glob("*.yaml")):
        stored, _ = engine.protocols.load(OPERATOR, load_protocol_file(path))
        loaded.append(f"{stored.id} v{stored.version}")
    return loaded


BOARD = "stichting-demo"
DEMO_PASSWORD = "trede-demo"
SCHOOLS = [
    School(
        "de-linde",
        "Basisschool De Linde",
        BOARD,
        "midden",
        denominatie="bijzonder",
        sector="po",
        address="Lindelaan 12, 3511 AB Utrecht",
        board_name="Stichting Demo Scholen",
        board_address="Postbus 100, 3500 AC Utrecht",
    ),
    School(
        "het-anker",
        "Openbare Basisschool Het Anker",
        BOARD,
        "noord",
        denominatie="openbaar",
        sector="po",
        address="Havenstraat 3, 9711 AA Groningen",
        board_name="Stichting Demo Scholen",
        board_address="Postbus 100, 3500 AC Utrecht",
    ),
]
USERS: list[tuple[str, str, list[Membership]]] = [
    ("juf.anna", "Anna de Vries (leerkracht groep 5a)", [Membership("leerkracht", "de-linde", frozenset({"5a"}))]),
    ("mr.jan", "Jan Bakker (leerkracht groep 6b)", [Membership("leerkracht", "het-anker", frozenset({"6b"}))]),
    (
        "mevr.smit",
        "Els Smit (intern begeleider, aandachtsfunctionaris)",
        [Membership("intern_begeleider", "de-linde"), Membership("aandachtsfunctionaris", "de-linde")],
    ),
    (
        "dhr.bos",
        "Peter Bos (directeur De Linde)",
        [Membership("directeur", "de-linde"), Membership("leidinggevende", "de-linde")],
    ),
    ("mevr.dekker", "Ria Dekker (directeur Het Anker)", [Membership("directeur", "het-anker")]),
    ("mevr.raad", "Karin Raad (bestuurder)", [Membership("bevoegd_gezag"), Membership("behandelaar")]),
    ("mevr.vp", "Saskia Pauw (vertrouwenspersoon)", [Membership("vertrouwenspersoon")]),
    # the raad van toezicht: stands in when a report concerns the bestuurder (need_to_know)
    ("dhr.toezicht", "Henk de Wit (voorzitter raad van toezicht)", [Membership("toezichthouder")]),
    ("dhr.audit", "Tom Visser (auditor)", [Membership("auditor")]),
    ("mevr.protocol", "Ineke Kok (protocolbeheer)", [Membership("protocol_eigenaar")]),
    ("dhr.privacy", "Ahmed Yilmaz (privacyfunctionaris)", [Membership("privacyfunctionaris")]),
    ("mevr.melder", "Fenna Groen (medewerker, meldt een misstand)", [Membership("melder", "het-anker")]),
    # the klachtenregeling (issue 28): the school's contactpersoon and interne vertrouwenspersoon
    # hold those roles at the school; the commission is board-wide (one for all its schools)
    (
        "juf.lies",
        "Lies Jansen (contactpersoon en interne vertrouwenspersoon De Linde)",
        [Membership("contactpersoon", "de-linde"), Membership("interne_vertrouwenspersoon", "de-linde")],
    ),
    ("mr.commissie", "Mr. Bert Kooij (secretaris klachtencommissie)", [Membership("klachtencommissie")]),
]
# whom the meldpunt page of each school names (invented people, like every name here)
SAFETY_ROLES = [
    SafetyRole("de-linde", "contactpersoon", "Lies Jansen", "contactpersoon@delinde.example, groep 3", True),
    SafetyRole("de-linde", "interne_vertrouwenspersoon", "Lies Jansen", "vertrouwen@delinde.example", True),
    SafetyRole("de-linde", "externe_vertrouwenspersoon", "GGD, secretariaat jeugdgezondheidszorg", "088 - 000 0000", True),
    SafetyRole("de-linde", "anti_pestcoordinator", "Peter Bos", "directie@delinde.example", True),
    SafetyRole("het-anker", "contactpersoon", "Jan Bakker", "", False),
]


FIRST_NAMES = (
    "Sanne", "Daan", "Noor", "Bram", "Lotte", "Milan", "Fleur", "Jesse", "Sara", "Thijs", "Mila", "Luuk",
    "Yara", "Finn", "Isa", "Sem", "Nina", "Ravi", "Amira", "Joep", "Lina", "Owen", "Zoë", "Tijn",
)
SURNAMES = (
    "Veldkamp", "de Wit", "Brouwer", "van Dijk", "Kramer", "Mulder", "de Groot", "Bosman", "Hendriks",
    "van Leeuwen", "Dekker", "Peeters", "Smits", "van der Berg", "Koster", "Maas", "Aydın", "El Idrissi",
)


def demo_edexml(
    groups: dict[str, list[str]], per_group: int, *, first_number: int = 1000, leave_out: int = 0
) -> bytes:
    """An EDEXML 2.1 file with invented pupils: ``groups`` maps a group's name to the user
    names of its teachers. ``leave_out`` drops that many pupils from the end (a later export
    in which some pupils have left)."""
    from xml.sax.saxutils import escape

    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<EDEX xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="EDEXML.structuur.xsd">',
        "  <school><schooljaar>2026-2027</schooljaar><auteur>trede demo</auteur><xsdversie>2.1</xsdversie></school>",
        "  <groepen>",
    ]
    for index, name in enumerate(groups, start=1):
        lines.append(f'    <groep key="G{index}"><naam>{escape(name)}</naam><jaargroep>{name[:1]}</jaargroep></groep>')
    lines += ["  </groepen>", "  <leerlingen>"]
    pupils = []
    number = first_number
    for index, _ in enumerate(groups, start=1):
        for n in range(per_group):
            first = FIRST_NAMES[(number * 7) % len(FIRST_NAMES)]
            surname = SURNAMES[(number * 5 + n) % len(SURNAMES)]
            prefix, _, last = surname.rpartition(" ")
            pupils.append(
                f'    <leerling key="{number}"><achternaam>{escape(last)}</achternaam>'
                + (f"<voorvoegsel>{escape(prefix)}</voorvoegsel>" if prefix else "")
                + f'<roepnaam>{first}</roepnaam><groep key="G{index}"/></leerling>'
            )
            number += 1
    lines += pupils[: len(pupils) - leave_out] + ["  </leerlingen>", "  <leerkrachten>"]
    teachers: dict[str, list[int]] = {}
    for index, names in enumerate(groups.values(), start=1):
        for username in names:
            teachers.setdefault(username, []).append(index)
    for n, (username, indexes) in enumerate(teachers.items(), start=1):
        refs = "".join(f'<groep key="G{i}"/>' for i in indexes)
        lines.append(
            f'    <leerkracht key="L{n}"><achternaam>Leerkracht</achternaam>'
            f"<gebruikersnaam>{escape(username)}</gebruikersnaam><groepen>{refs}</groepen></leerkracht>"
        )
    lines += ["  </leerkrachten>", "</EDEX>", ""]
    return "\n".join(lines).encode("utf-8")


# The demo schools' administrations: groups and who teaches them (invented).
DEMO_ROSTERS = {
    "de-linde": {"5a": ["juf.anna"], "5b": [], "6a": [], "7a": []},
    "het-anker": {"6b": ["mr.jan"], "6c": [], "8a": []},
}


def seed_pupils(engine: Engine) -> list[str]:
    """Each demo school's pupils, through the EDEXML import a directeur would use."""
    from adapters.imports import read_edexml

    reports = []
    for school, groups in DEMO_ROSTERS.items():
        start = 1000 if school == "de-linde" else 5000
        roster = read_edexml(demo_edexml(groups, 12, first_number=start), f"EDEX-{school}.xml")
        report = engine.pupils.import_roster(OPERATOR, school, roster)
        reports.append(f"{school}: {report.added} leerlingen toegevoegd in {report.groups} groepen")
    return reports


def seed_accounts(engine: Engine) -> list[tuple[str, str]]:
    """Demo schools and a user for every role; returns (username, description) when new."""
    if engine.users.has_users():
        return []
    for school in SCHOOLS:
        engine.schools.save(OPERATOR, school)
    for school in SCHOOLS:
        engine.schools.save_safety_roles(OPERATOR, school.id, [r for r in SAFETY_ROLES if r.school == school.id])
    for username, name, memberships in USERS:
        engine.users.add(username, name, BOARD, DEMO_PASSWORD, memberships)
    return [(username, name) for username, name, _ in USERS]


def demo_logins(engine: Engine, new: list[tuple[str, str]] | None = None) -> list[tuple[str, str]]:
    """The demo's own accounts that log in with the demo password, as (username, description)
    from the demo data: those ``seed_accounts`` just made (``new``), else each one this database
    has whose password is still the demo's (checked, never read: a password that was changed,
    or a real user of that name, is never printed)."""
    if new:
        return new
    known = engine.users.names().people
    return [
        (username, name)
        for username, name, _ in USERS
        if username in known and engine.users.password_is(username, DEMO_PASSWORD)
    ]


def seed_cases(engine: Engine) -> list[str]:
    """Idempotent: does nothing when the database already has cases."""
    if engine.reads.verify_all(OPERATOR):
        return []
    try:
        engine.protocols.get(GEDRAG)
    except ProtocolNotFound:
        return []
    today = local_date(engine.clock.now())
    people = engine.users.all_principals()
    schools: dict[str, str] = {}

    def who(role: str, school: str, group: str | None = None) -> Principal:
        """The demo user who holds that role there (each action is taken by a real account)."""
        return next(p for p in people if role in p.roles_for(school, group))

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    def case(school: str, subject: str, opened: int, protocol: str = GEDRAG) -> str:
        group = "5a" if school == "de-linde" else "6b"
        return opened_by("leerkracht", protocol, school, subject, opened, group)

    def opened_by(
        role: str, protocol: str, school: str, subject: str, opened: int, group: str | None = None, **opening: str
    ) -> str:
        case_id = engine.cases.open(
            who(role, school, group),
            protocol,
            school=school,
            subject=subject,
            role=role,
            effective=ago(opened),
            group=group,
            inputs=opening,
        ).id
        schools[case_id] = school
        return case_id

    def fire(case_id: str, trigger: str, role: str, days: int, **inputs: str) -> None:
        school = schools[case_id]
        group = "5a" if school == "de-linde" else "6b"
        engine.cases.fire(who(role, school, group), case_id, trigger, role=role, inputs=inputs, effective=ago(days))

    a = case("de-linde", "Leerling-Vos", 1)
    fire(a, "hulp_vragen", "leerkracht", 0)
    fire(a, "incident_vastleggen", "leerkracht", 0, soort_gedrag="verbaal_geweld", plaats="pauze")

    b = case("de-linde", "Leerling-Merel", 12)
    fire(b, "hulp_vragen", "leerkracht", 11)
    fire(b, "incident_vastleggen", "leerkracht", 11, soort_gedrag="pesten", plaats="plein")
    fire(b, "samen_oplossen", "leerkracht", 10, motivering="ruzie op het plein, gesprek met beide leerlingen")
    fire(b, "ouders_betrekken", "leerkracht", 8, motivering="pesten houdt aan", afspraken="dagelijks kort contact")
    fire(
        b,
        "time_out_instellen",
        "directeur",
        4,
        motivering="duwen in de klas",
        akkoord_directeur="ja",
        leerling_blijft_op_school="ja",
        time_out_duur="tot het einde van de week",
    )
    fire(b, "ouders_direct_geinformeerd_time_out", "directeur", 4)

    c = case("het-anker", "Leerling-Uil", 3)
    fire(c, "incident_vastleggen", "directeur", 3, soort_gedrag="fysiek_geweld", plaats="plein")
    fire(
        c,
        "schorsen",
        "directeur",
        3,
        motivering="ernstig geweld op het plein",
        goedkeuring_bevoegd_gezag="ja",
        schorsing_eerste_dag=ago(2).isoformat(),
        schorsing_duur="1 week",
    )
    fire(c, "ouders_schriftelijk_geinformeerd", "directeur", 3)

    d = case("het-anker", "Leerling-Das", 80)
    fire(
        d,
        "schorsen",
        "directeur",
        79,
        motivering="herhaald ernstig geweld",
        goedkeuring_bevoegd_gezag="ja",
        schorsing_eerste_dag=ago(78).isoformat(),
        schorsing_duur="3 schooldagen",
    )
    fire(d, "ouders_schriftelijk_geinformeerd", "directeur", 79)
    fire(d, "inspectie_geinformeerd", "directeur", 78)
    fire(d, "schorsing_beeindigen", "directeur", 73)
    fire(d, "verwijdering_voorbereiden", "directeur", 70, motivering="eerdere maatregelen zonder effect")
    fire(
        d,
        "voornemen_meedelen",
        "directeur",
        60,
        groepsleraar_gehoord="ja",
        onderwijskundig_rapport="ja",
        motivering="voornemen besproken",
    )
    fire(d, "verwijderen", "bevoegd_gezag", 2, ouders_gehoord="ja", motivering="veiligheid niet te waarborgen")
    # the decision letter is made and sent today (a letter cannot have gone out before it was
    # made): the bezwaartermijn runs from today, as a remedy track of its own (issue 23)
    sent = {
        "geadresseerde_naam": "Dhr. en mevr. Das",  # invented, like every name here
        "geadresseerde_adres": "Kastanjelaan 7\n9712 CD Groningen",
        "ondertekenaar": "K. Raad",
        "functie_ondertekenaar": "bestuurder",
        "verwijderingsbesluit_verzonden_op": today.isoformat(),
        "wijze_van_verzending": "aangetekend",
    }
    engine.cases.letter(who("bevoegd_gezag", "het-anker", "6b"), d, "besluit_verwijdering", role="bevoegd_gezag", inputs=sent)

    e = case("de-linde", "Leerling-Kraai", 40)
    fire(e, "hulp_vragen", "leerkracht", 39)
    fire(e, "afsluiten", "leerkracht", 30, motivering="het gedrag is gestopt")

    f = opened_by("aandachtsfunctionaris", "meldcode-hgkm", "de-linde", "Leerling-Spreeuw", 6, "5a")
    fire(f, "consulteren", "aandachtsfunctionaris", 5, motivering="blauwe plekken, wisselende verklaringen")

    # reported via the vertrouwenspersoon, about nobody's role: the directeur does not see it
    g = opened_by(
        "melder", "klokkenluidersregeling-2016", "het-anker", "Melder-Reiger", 10, kanaal="vertrouwenspersoon", betreft="niemand"
    )
    fire(
        g,
        "vastleggen",
        "vertrouwenspersoon",
        9,
        ontvangen_op=ago(10).isoformat(),
        afschrift_verstrekt="ja",
    )

    h = opened_by("behandelaar", "klokkenluiders-wbk-2023", "de-linde", "Melder-Kievit", 8, betreft="niemand")
    fire(h, "ontvangst_registreren", "behandelaar", 8, ontvangen_op=ago(8).isoformat())

    # a Wbk report about the bestuurder: mevr.raad (bestuurder and behandelaar) never sees it;
    # the raad van toezicht handles it in her place
    w = opened_by("melder", "klokkenluiders-wbk-2023", "het-anker", "Melder-Gaai", 3, betreft="bevoegd_gezag")
    fire(w, "ontvangst_registreren", "toezichthouder", 3, ontvangen_op=ago(3).isoformat())

    i = opened_by("bevoegd_gezag", "meldplicht-misbruik", "het-anker", "Leerling-Wouw", 2)
    fire(i, "melden_bij_bevoegd_gezag", "bevoegd_gezag", 2, motivering="leerling vertelt over ongewenste aanraking")

    # a complaint (issue 28): via the interne vertrouwenspersoon straight to the commission, on
    # name; the commission confirmed receipt and planned the hearing
    k = opened_by("interne_vertrouwenspersoon", "klachtenregeling", "de-linde", "Klager-Meeuw", 20)
    fire(
        k,
        "klacht_indienen_bij_commissie",
        "interne_vertrouwenspersoon",
        18,
        klacht_op_naam="ja",
        klacht_omschrijving="Meldingen over pesten van ons kind zijn niet opgepakt",
        klacht_ontvangen_op=ago(18).isoformat(),
    )
    fire(k, "ontvangst_bevestigen", "klachtencommissie", 16, aangeklaagde_en_bevoegd_gezag_geinformeerd="ja")
    fire(k, "hoorzitting_plannen", "klachtencommissie", 10, datum_hoorzitting=(today + timedelta(days=7)).isoformat())

    seed_incidents(engine, who, ago, b)
    engine.timers.run()
    return [a, b, c, d, e, f, g, h, w, i, k]


CATEGORIES = PROTOCOLS / "categorieen" / "incidenten.yaml"


def seed_incidents(
    engine: Engine, who: Callable[..., Principal], ago: Callable[[int], date], linked_case: str
) -> None:
    """A few incidents recorded on their own (issue 28): one linked to a case later, and a
    serious one that opens its report, the demo board having switched the bill's duties on."""
    engine.incidents.load_categories(OPERATOR, CATEGORIES.read_text(encoding="utf-8"), CATEGORIES.name)
    engine.incidents.switch_bill(OPERATOR, BOARD, True)
    anna = who("leerkracht", "de-linde", "5a")
    pesten = engine.incidents.record(
        anna, school="de-linde", kind="pesten", place="plein", seriousness="middel", happened=ago(12),
        involved=[("Leerling-Merel", "slachtoffer"), ("Leerling-Vos", "dader"), ("Leerling-Sijs", "getuige")],
    )
    engine.incidents.link(who("directeur", "de-linde"), pesten.id, linked_case)
    engine.incidents.record(
        anna, school="de-linde", kind="vernieling", place="gang", seriousness="licht", happened=ago(5),
    )
    engine.incidents.record(
        who("leerkracht", "het-anker", "6b"), school="het-anker", kind="fysiek_geweld_letsel", place="plein",
        seriousness="ernstig", happened=ago(1), involved=[("Leerling-Uil", "dader"), ("Leerling-Mus", "slachtoffer")],
    )
