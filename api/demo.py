"""Demo data: the bundled protocols and a handful of cases with invented pseudonyms,
backdated so that some deadlines are due soon and some are overdue."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from engine.errors import ProtocolNotFound
from engine.protocol.loader import load_protocol_file
from engine.service import Engine
from engine.terms import local_date

ROOT = Path(__file__).resolve().parent.parent
PROTOCOL_DIRS = (ROOT / "protocols", ROOT / "tests" / "protocols")
EXAMPLE = "proef-escalatie"


def load_bundled(engine: Engine) -> list[str]:
    loaded = []
    for folder in PROTOCOL_DIRS:
        for path in sorted(folder.glob("*.yaml")):
            stored, _ = engine.load_protocol(load_protocol_file(path))
            loaded.append(f"{stored.id} v{stored.version}")
    return loaded


def seed_cases(engine: Engine) -> list[str]:
    """Idempotent: does nothing when the database already has cases."""
    with engine.uow() as uow:
        if uow.cases.ids():
            return []
        try:
            uow.protocols.get(EXAMPLE)
        except ProtocolNotFound:
            return []
    today = local_date(engine.clock.now())

    def ago(days: int) -> object:
        return today - timedelta(days=days)

    opened = []
    a = engine.open_case(EXAMPLE, school="de-linde", subject="Leerling-Vos", actor="juf.anna", role="leerkracht")
    opened.append(a.id)

    b = engine.open_case(
        EXAMPLE, school="de-linde", subject="Leerling-Merel", actor="juf.anna", role="leerkracht", effective=ago(9)
    )
    engine.fire(b.id, "melden", actor="juf.anna", role="leerkracht", inputs={"ernst": "licht"}, effective=ago(8))
    opened.append(b.id)

    c = engine.open_case(
        EXAMPLE, school="het-anker", subject="Leerling-Uil", actor="mr.jan", role="leerkracht", effective=ago(5)
    )
    engine.fire(c.id, "melden", actor="mr.jan", role="leerkracht", inputs={"ernst": "ernstig"}, effective=ago(5))
    engine.fire(
        c.id,
        "direct_maatregel",
        actor="dhr.bos",
        role="directeur",
        inputs={"motivering": "fysiek geweld op het plein", "akkoord_directeur": "ja"},
        effective=ago(4),
    )
    opened.append(c.id)

    d = engine.open_case(
        EXAMPLE, school="het-anker", subject="Leerling-Das", actor="mr.jan", role="leerkracht", effective=ago(30)
    )
    engine.fire(d.id, "melden", actor="mr.jan", role="leerkracht", inputs={"ernst": "licht"}, effective=ago(29))
    engine.fire(d.id, "ouders_geinformeerd", actor="mr.jan", role="leerkracht", effective=ago(29))
    engine.fire(
        d.id,
        "afsluiten",
        actor="dhr.bos",
        role="directeur",
        inputs={"motivering": "het gedrag is gestopt"},
        effective=ago(20),
    )
    opened.append(d.id)
    engine.run_timers()
    return opened
