"""Demo data: the bundled protocols and a handful of cases with invented pseudonyms,
backdated so that some deadlines are due soon and some are overdue."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from adapters.sql.accounts import Accounts, School
from engine.access import Membership
from engine.errors import ProtocolNotFound
from engine.protocol.loader import load_protocol_file
from engine.service import Engine
from engine.terms import local_date

ROOT = Path(__file__).resolve().parent.parent
PROTOCOLS = ROOT / "protocols"
GEDRAG = "grensoverschrijdend-gedrag"


def load_bundled(engine: Engine) -> list[str]:
    loaded = []
    for path in sorted(PROTOCOLS.glob("*.yaml")):
        stored, _ = engine.load_protocol(load_protocol_file(path))
        loaded.append(f"{stored.id} v{stored.version}")
    return loaded


BOARD = "stichting-demo"
DEMO_PASSWORD = "trede-demo"
SCHOOLS = [
    School("de-linde", "Basisschool De Linde", BOARD, "midden"),
    School("het-anker", "Basisschool Het Anker", BOARD, "noord"),
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
    ("dhr.audit", "Tom Visser (auditor)", [Membership("auditor")]),
    ("mevr.protocol", "Ineke Kok (protocolbeheer)", [Membership("protocol_eigenaar")]),
    ("dhr.privacy", "Ahmed Yilmaz (privacyfunctionaris)", [Membership("privacyfunctionaris")]),
]


def seed_accounts(accounts: Accounts) -> list[tuple[str, str]]:
    """Demo schools and a user for every role; returns (username, description) when new."""
    if accounts.has_users():
        return []
    for school in SCHOOLS:
        accounts.add_school(school)
    for username, name, memberships in USERS:
        accounts.add_user(username, name, BOARD, DEMO_PASSWORD, memberships)
    return [(username, name) for username, name, _ in USERS]


def seed_cases(engine: Engine) -> list[str]:
    """Idempotent: does nothing when the database already has cases."""
    with engine.uow() as uow:
        if uow.cases.ids():
            return []
        try:
            uow.protocols.get(GEDRAG)
        except ProtocolNotFound:
            return []
    today = local_date(engine.clock.now())

    def ago(days: int) -> date:
        return today - timedelta(days=days)

    def case(school: str, subject: str, opened: int, protocol: str = GEDRAG) -> str:
        group = "5a" if school == "de-linde" else "6b"
        return engine.open_case(
            protocol,
            school=school,
            subject=subject,
            actor="juf.anna",
            role="leerkracht",
            effective=ago(opened),
            group=group,
        ).id

    def fire(case_id: str, trigger: str, role: str, days: int, **inputs: str) -> None:
        engine.fire(case_id, trigger, actor=f"demo.{role}", role=role, inputs=inputs, effective=ago(days))

    a = case("de-linde", "Leerling-Vos", 1)
    fire(a, "hulp_vragen", "leerkracht", 0)
    fire(a, "incident_vastleggen", "leerkracht", 0, soort_gedrag="verbaal_geweld", plaats="pauze")

    b = case("de-linde", "Leerling-Merel", 12)
    fire(b, "hulp_vragen", "leerkracht", 11)
    fire(b, "incident_vastleggen", "leerkracht", 11, soort_gedrag="pesten", plaats="plein")
    fire(b, "samen_oplossen", "leerkracht", 10, motivering="ruzie op het plein, gesprek met beide leerlingen")
    fire(b, "ouders_betrekken", "leerkracht", 8, motivering="pesten houdt aan", afspraken="dagelijks kort contact")
    fire(b, "time_out_instellen", "directeur", 4, motivering="duwen in de klas", akkoord_directeur="ja")
    fire(b, "ouders_direct_geinformeerd_time_out", "directeur", 4)

    c = case("het-anker", "Leerling-Uil", 3)
    fire(c, "incident_vastleggen", "directeur", 3, soort_gedrag="fysiek_geweld", plaats="plein")
    fire(c, "schorsen", "directeur", 3, motivering="ernstig geweld op het plein", goedkeuring_bevoegd_gezag="ja")
    fire(c, "ouders_schriftelijk_geinformeerd", "directeur", 3)

    d = case("het-anker", "Leerling-Das", 80)
    fire(d, "schorsen", "directeur", 79, motivering="herhaald ernstig geweld", goedkeuring_bevoegd_gezag="ja")
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
    fire(d, "verwijderen", "bevoegd_gezag", 50, ouders_gehoord="ja", motivering="veiligheid niet te waarborgen")
    fire(d, "bezwaar_ontvangen", "bevoegd_gezag", 20, bezwaar_ontvangen_op=ago(21).isoformat())

    e = case("de-linde", "Leerling-Kraai", 40)
    fire(e, "hulp_vragen", "leerkracht", 39)
    fire(e, "afsluiten", "leerkracht", 30, motivering="het gedrag is gestopt")

    f = engine.open_case(
        "meldcode-hgkm",
        school="de-linde",
        subject="Leerling-Spreeuw",
        actor="mevr.smit",
        role="aandachtsfunctionaris",
        effective=ago(6),
        group="5a",
    ).id
    fire(f, "consulteren", "aandachtsfunctionaris", 5, motivering="blauwe plekken, wisselende verklaringen")

    g = engine.open_case(
        "klokkenluidersregeling-2016",
        school="het-anker",
        subject="Melder-Reiger",
        actor="mevr.vp",
        role="vertrouwenspersoon",
        effective=ago(10),
    ).id
    fire(
        g,
        "vastleggen",
        "vertrouwenspersoon",
        9,
        kanaal="vertrouwenspersoon",
        ontvangen_op=ago(10).isoformat(),
        afschrift_verstrekt="ja",
    )

    h = engine.open_case(
        "klokkenluiders-wbk-2023",
        school="de-linde",
        subject="Melder-Kievit",
        actor="mevr.raad",
        role="behandelaar",
        effective=ago(8),
    ).id
    fire(h, "ontvangst_registreren", "behandelaar", 8, ontvangen_op=ago(8).isoformat())

    i = engine.open_case(
        "meldplicht-misbruik",
        school="het-anker",
        subject="Leerling-Wouw",
        actor="mevr.raad",
        role="bevoegd_gezag",
        effective=ago(2),
    ).id
    fire(i, "melden_bij_bevoegd_gezag", "bevoegd_gezag", 2, motivering="leerling vertelt over ongewenste aanraking")

    engine.run_timers()
    return [a, b, c, d, e, f, g, h, i]
