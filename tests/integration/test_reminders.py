"""Reminders and overdue notices by mail (a real SMTP server on loopback) and in the app;
the personal calendar feed (parsed with icalendar)."""

from __future__ import annotations

import re
import socket
from collections.abc import Iterator
from datetime import timedelta
from email import message_from_bytes, policy
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from argon2 import PasswordHasher
from fastapi.testclient import TestClient
from icalendar import Calendar
from sqlalchemy import Engine

from adapters.mail import SmtpMailer
from api.bootstrap import App, case_link
from api.web import create_app
from engine.access import OPERATOR, Membership
from engine.clock import FixedClock
from engine.ports import SchoolRecord
from engine.usecases.reminders import Reminders
from tests.integration.helpers import notices_of
from tests.support import Driver as Trede


class Inbox:
    def __init__(self) -> None:
        self.messages: list[Message] = []

    async def handle_DATA(self, server: object, session: object, envelope: object) -> str:
        self.messages.append(message_from_bytes(envelope.content, policy=policy.default))  # type: ignore[attr-defined]
        return "250 OK"


@pytest.fixture
def inbox() -> Iterator[tuple[Inbox, int]]:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    handler = Inbox()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    yield handler, port
    controller.stop()


@pytest.fixture
def app(trede: Trede, db: Engine) -> App:
    application = App(engine=trede.engine, db=db, password_hasher=PasswordHasher(time_cost=1, memory_cost=1024))
    users = application.engine.users
    application.engine.schools.save(OPERATOR, SchoolRecord("de-linde", "De Linde", "b", "midden"))
    users.add(
        "dhr.bos",
        "Directeur",
        "b",
        "wachtwoord-12345",
        [Membership("directeur", "de-linde")],
        email="bos@school.example",
    )
    users.add(
        "juf.anna",
        "Leerkracht",
        "b",
        "wachtwoord-12345",
        [Membership("leerkracht", "de-linde")],
        email="anna@school.example",
    )
    return application


def reported(trede: Trede) -> str:
    case = trede.open_case(
        "proef-escalatie", school="de-linde", subject="Leerling-Geheim", actor="juf.anna", role="leerkracht"
    )
    trede.fire(case.id, "melden", actor="juf.anna", role="leerkracht", inputs={"ernst": "licht"})
    return case.id


def test_a_reminder_mail_arrives_once_without_the_pupils_name(
    app: App, inbox: tuple[Inbox, int], clock: FixedClock
) -> None:
    handler, port = inbox
    case_id = reported(Trede(app.engine))  # Monday 2 March: onderzoek due Monday 9 March, reminder 2 werkdagen before
    mailer = SmtpMailer("127.0.0.1", port, sender="trede@school.example")
    link = case_link("https://trede.school.example")
    first = Reminders(app.engine.services, mailer, link)
    second = Reminders(app.engine.services, mailer, link)
    first.run()
    assert [m["Subject"] for m in handler.messages] == []  # too early for the reminder; nothing late yet
    clock.advance(timedelta(days=2, hours=12))  # Wednesday 4 March: the reminder moment (Thu 5) not yet
    first.run()
    assert handler.messages == []
    clock.advance(timedelta(days=1))  # Thursday 5 March
    first.run()
    second.run()  # a second worker at the same time: nothing twice
    assert [(m["To"], m["Subject"]) for m in handler.messages] == [
        ("bos@school.example", "Herinnering: Onderzoek afgerond")
    ]
    body = handler.messages[0].get_content()  # type: ignore[attr-defined]
    assert "9 maart 2026" in body and f"/zaken/{case_id}" in body and "Leerling-Geheim" not in body


def test_a_late_obligation_is_reported_to_whom_must_act_and_escalate(
    app: App, inbox: tuple[Inbox, int], clock: FixedClock
) -> None:
    handler, port = inbox
    reported(Trede(app.engine))
    clock.advance(timedelta(days=2))  # ouders_geinformeerd was due Tuesday 3 March
    app.engine.timers.run()
    Reminders(app.engine.services, SmtpMailer("127.0.0.1", port)).run()
    late = sorted((m["To"], m["Subject"]) for m in handler.messages if m["Subject"].startswith("Termijn verlopen"))
    assert late == [
        ("anna@school.example", "Termijn verlopen: Ouders geïnformeerd"),
        ("bos@school.example", "Termijn verlopen: Ouders geïnformeerd"),
    ]
    assert [n.kind for n in notices_of(app, "juf.anna")] == ["verlopen"]


def test_a_timer_that_fires_and_escalates_tells_its_roles_once(
    app: App, inbox: tuple[Inbox, int], clock: FixedClock
) -> None:
    handler, port = inbox
    trede = Trede(app.engine)
    case_id = trede.open_case(
        "proef-escalatie", school="de-linde", subject="Leerling-Geheim", actor="juf.anna", role="leerkracht"
    ).id
    trede.fire(case_id, "melden", actor="juf.anna", role="leerkracht", inputs={"ernst": "ernstig"})
    trede.fire(
        case_id,
        "direct_maatregel",
        actor="dhr.bos",
        role="directeur",
        inputs={"motivering": "slaan", "akkoord_directeur": "ja"},
    )
    clock.advance(timedelta(days=8))  # the one-week maatregel ended on Sunday 8 March
    app.engine.timers.run()
    fired = trede.events(case_id)[-1]
    assert fired.type == "timer_fired" and fired.data["escalate"] == ["directeur"]
    reminders = Reminders(app.engine.services, SmtpMailer("127.0.0.1", port))
    reminders.run()
    reminders.run()
    told = [(m["To"], m["Subject"]) for m in handler.messages if "verstreken" in m["Subject"]]
    assert told == [("bos@school.example", "Termijn verstreken, de volgende stap is gezet: Einde van de maatregel")]
    assert "uitgevoerd" in [n.kind for n in notices_of(app, "dhr.bos")]
    assert "uitgevoerd" not in [n.kind for n in notices_of(app, "juf.anna")]


def test_the_calendar_feed_lists_deadlines_behind_a_revocable_token(app: App) -> None:
    case_id = reported(Trede(app.engine))
    token = app.engine.tokens.create_feed("dhr.bos")
    with TestClient(create_app(app), base_url="https://testserver") as web:
        response = web.get(f"/agenda/{token}.ics")
        assert response.status_code == 200 and response.headers["content-type"].startswith("text/calendar")
        events = [c for c in Calendar.from_ical(response.content).walk("VEVENT")]
        summaries = {str(e["summary"]): e.decoded("dtstart").isoformat() for e in events}
        assert summaries["Termijn: Onderzoek afgerond"] == "2026-03-09"
        assert all(case_id in str(e["url"]) for e in events)
        assert b"Leerling-Geheim" not in response.content
        app.engine.tokens.revoke_feeds("dhr.bos")
        assert web.get(f"/agenda/{token}.ics").status_code == 404
        assert re.fullmatch(r"[A-Za-z0-9_-]+", token)


def test_a_reminder_round_counts_only_new_notices(app: App, clock: FixedClock) -> None:
    """Each round reads what was told before in one query: a second round records nothing."""
    reported(Trede(app.engine))
    clock.advance(timedelta(days=2))  # ouders_geinformeerd is late
    app.engine.timers.run()
    reminders = Reminders(app.engine.services)
    first = reminders.record()
    assert first > 0
    assert reminders.record() == 0
    assert reminders.record() == 0


def test_the_start_page_names_the_case_and_the_deadline_of_a_notice(app: App, clock: FixedClock) -> None:
    from tests.integration.helpers import login

    reported(Trede(app.engine))
    clock.advance(timedelta(days=2))
    app.engine.timers.run()
    Reminders(app.engine.services).run()
    with TestClient(create_app(app), base_url="https://testserver") as web:
        login(web, "juf.anna", "wachtwoord-12345")
        start = web.get("/").text
    notice = start[start.index('id="meldingen"') :]
    assert "Termijn verlopen" in notice and "Ouders geïnformeerd" in notice and "Leerling-Geheim" in notice


def test_who_chose_a_daily_overview_gets_one_mail_a_day_from_seven(
    app: App, inbox: tuple[Inbox, int], clock: FixedClock
) -> None:
    from tests.integration.helpers import csrf_of, login

    handler, port = inbox
    with TestClient(create_app(app), base_url="https://testserver") as web:  # the director's own choice
        login(web, "dhr.bos", "wachtwoord-12345")
        saved = web.post("/instellingen", data={"csrf": csrf_of(web, "/instellingen"), "mail": "dagelijks"})
        assert saved.status_code == 200 and 'value="dagelijks" checked' in saved.text
    with app.engine.services.uow() as uow:
        assert uow.users.digest_users() == {"dhr.bos"}
    reported(Trede(app.engine))
    mailer = SmtpMailer("127.0.0.1", port)
    reminders = Reminders(app.engine.services, mailer, case_link("https://t.example"))

    def mails(to: str) -> list[str]:
        return [m["Subject"] for m in handler.messages if m["To"] == to]

    clock.advance(timedelta(days=2))  # Wednesday 4 March, 10.00: ouders_geinformeerd (due Tuesday) is late
    app.engine.timers.run()
    reminders.run()
    reminders.run()
    assert mails("anna@school.example") == ["Termijn verlopen: Ouders geïnformeerd"]  # one mail per notice
    assert mails("bos@school.example") == ["Overzicht van vandaag: 1 termijn, waarvan 1 verlopen"]
    clock.advance(timedelta(hours=19, minutes=30))  # Thursday 5 March, 05.30: the reminder for Monday 9 March
    reminders.run()
    assert len(mails("bos@school.example")) == 1  # the overview waits until seven
    clock.advance(timedelta(hours=2))  # 07.30
    reminders.run()
    reminders.run()
    assert mails("bos@school.example")[1:] == ["Overzicht van vandaag: 1 termijn"]
    body = [m for m in handler.messages if m["To"] == "bos@school.example"][1].get_content()  # type: ignore[attr-defined]
    assert "Herinnering in een zaak volgens" in body and "Onderzoek afgerond" in body and "9 maart 2026" in body
    assert "Leerling-Geheim" not in body and "https://t.example/zaken/" in body
