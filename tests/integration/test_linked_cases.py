"""A linked case is opened in the same unit of work as the action that opens it: both are
recorded, or neither (on both backends)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from engine.clock import FixedClock
from engine.errors import ProtocolNotFound
from engine.protocol.loader import load_protocol_file
from tests.conftest import make_trede

PESTEN = Path(__file__).parents[2] / "docs" / "examples" / "pesten-de-linde.yaml"


def test_without_the_linked_protocol_the_action_is_refused_and_nothing_is_recorded(
    db: Engine, clock: FixedClock
) -> None:
    trede = make_trede(db, clock)
    trede.load_protocol(load_protocol_file(PESTEN))  # the grensoverschrijdend protocol is not loaded
    case_id = trede.open_case(
        "pesten-de-linde", school="de-linde", subject="Leerling-Mees", actor="juf.anna", role="leerkracht"
    ).id
    trede.fire(
        case_id, "ernstig_incident", actor="juf.anna", role="leerkracht", inputs={"omschrijving": "x", "ernstig": "ja"}
    )
    trede.fire(case_id, "ouders_hebben_gehoord", actor="juf.anna", role="leerkracht", inputs={"afspraken": "y"})
    before = trede.show(case_id).case
    with pytest.raises(ProtocolNotFound):
        trede.fire(
            case_id,
            "pester_aanpakken",
            actor="juf.anna",
            role="leerkracht",
            inputs={"pester": "Leerling-Bram", "motivering": "weer"},
        )
    assert trede.show(case_id).case.seq == before.seq
    assert [c.case.subject for c in trede.engine.reads.cases(trede.everyone())] == ["Leerling-Mees"]
