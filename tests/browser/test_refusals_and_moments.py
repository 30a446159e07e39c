"""Issue 26 items 3 and 4 in a real browser (fixtures from tests/browser/test_browser.py; axe
checks every page): a teacher of another group reads why and whom to ask, in De Linde's
gedrag variant and in the meldcode; yesterday's phone call is added after today's action and
shown before it, with both its moments."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from engine.terms import AMSTERDAM
from tests.browser.test_browser import ON_BOTH_BACKENDS, SERVED, browser, log_in, page, server, sync_api  # noqa: F401

pytestmark = ON_BOTH_BACKENDS


def _pupil_outside(server: str, group: str, school: str = "de-linde") -> tuple[str, str]:  # noqa: F811
    """A pupil of the school's administration (the demo's EDEXML import) in another group."""
    engine = SERVED[server].engine
    with engine.services.uow() as uow:
        pupil = next(p for p in uow.pupils.list(school) if p.group and p.group != group)
    assert pupil.group is not None
    return pupil.name, pupil.group


@pytest.mark.parametrize(
    ("protocol", "others"),
    [
        ("gedrag-de-linde", "de intern begeleider, de directeur, het bevoegd gezag"),
        ("meldcode-hgkm", "de aandachtsfunctionaris HGKM, de directie"),
    ],
)
def test_a_teacher_of_another_group_reads_why_and_whom_to_ask(
    page: object, server: str, protocol: str, others: str  # noqa: F811
) -> None:
    expect = sync_api.expect
    name, group = _pupil_outside(server, "5a")
    log_in(page, server, "juf.anna")  # leerkracht of 5a at De Linde
    page.goto(f"{server}/zaken/nieuw")  # type: ignore[attr-defined]
    page.get_by_label("Protocol").select_option(protocol)  # type: ignore[attr-defined]
    page.get_by_label("Pseudoniem van de leerling").fill(name)  # type: ignore[attr-defined]
    page.get_by_role("button", name="Zaak openen").click()  # type: ignore[attr-defined]
    alert = page.get_by_role("alert")  # type: ignore[attr-defined]
    expect(alert).to_have_text(
        f"Deze leerling zit niet in uw groep (5a). Vraag {others} of de leerkracht van deze leerling om de zaak te openen."
    )
    expect(alert).not_to_contain_text(group)  # the register's group of a pupil outside theirs is not theirs to read
    expect(alert).not_to_contain_text("niemand")
    expect(page.get_by_role("heading", name="Nieuwe zaak")).to_be_visible()  # type: ignore[attr-defined]


def test_yesterdays_phone_call_is_added_after_todays_action_and_shown_before_it(
    page: object, server: str  # noqa: F811 (the fixtures imported above)
) -> None:
    expect = sync_api.expect
    app = SERVED[server]
    teacher = app.engine.users.principal("juf.anna")
    assert teacher is not None
    today = app.engine.clock.now().astimezone(AMSTERDAM).date()
    yesterday = today - timedelta(days=1)
    case_id = app.engine.cases.open(
        teacher, "gedrag-de-linde", school="de-linde", subject="Leerling-Wulp", group="5a", effective=today - timedelta(days=2)
    ).id
    app.engine.cases.fire(teacher, case_id, "hulp_vragen", role="leerkracht")  # today, and a term starts
    app.engine.cases.fire(teacher, case_id, "samen_oplossen", role="leerkracht", inputs={"motivering": "gesprek gevoerd"})
    log_in(page, server, "mevr.smit")
    page.goto(f"{server}/zaken/{case_id}")  # type: ignore[attr-defined]
    deadlines = page.locator("h2:has-text('Termijnen en verplichtingen') + table")  # type: ignore[attr-defined]
    terms = deadlines.inner_text()
    assert "Geen termijnen." not in terms
    page.locator("#notitie-toevoegen > summary").click()  # type: ignore[attr-defined]
    page.get_by_label("Notitie", exact=True).fill("Gisteren belde de moeder: Leerling-Wulp wil niet naar school.")  # type: ignore[attr-defined]
    page.get_by_label("Datum van het gesprek of de gebeurtenis").fill(yesterday.strftime("%d-%m-%Y"))  # type: ignore[attr-defined]
    page.get_by_label("Tijd van het gesprek of de gebeurtenis").fill("15:00")  # type: ignore[attr-defined]
    page.get_by_role("button", name="Notitie toevoegen").click()  # type: ignore[attr-defined]
    item = page.locator("ul.notes li").first  # type: ignore[attr-defined]
    expect(item).to_contain_text("Gisteren belde de moeder")
    expect(item).to_contain_text(
        re.compile(rf"gesprek of gebeurtenis op {yesterday:%d-%m-%Y} 15:00, vastgelegd op {today:%d-%m-%Y} \d\d:\d\d")
    )
    rows = page.locator("table:has(caption) tbody tr td:first-child").all_inner_texts()  # type: ignore[attr-defined]
    assert rows == ["1", "4", "2", "3"]  # the call (recorded last) before today's actions
    assert deadlines.inner_text() == terms  # no term moved
    page.get_by_role("link", name="Audittrail afspelen en controleren").click()  # type: ignore[attr-defined]
    page.get_by_role("button", name="Hashketen controleren").click()  # type: ignore[attr-defined]
    expect(page.locator("#controle-uitslag")).to_contain_text("In orde")  # type: ignore[attr-defined]
