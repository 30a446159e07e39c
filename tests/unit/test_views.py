"""engine/views.py: what a viewer is shown. The Redactor masks a protected melder
(tests/protocols/melder.yaml: only the vertrouwenspersoon may know who reported) wherever
the identity occurs; actions_for lists what a role may do now."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from pathlib import Path

from engine.access import HIDDEN
from engine.case import Case, DeadlineStatus, apply
from engine.decisions import Act
from engine.events import Event, EventType
from engine.protocol.loader import load_protocol_file
from engine.views import NO_REDACTION, actions_for, redactor_for
from tests.conftest import PROEF
from tests.unit.test_declared_inputs import DECIDER, NOW, case_in

MELDER = load_protocol_file(Path(__file__).parents[1] / "protocols" / "melder.yaml")
PROTOCOL = load_protocol_file(PROEF)
PHONE = "0612345678"


def reported() -> tuple[Case, list[Event]]:
    """A report by the melder juf.anna about Leerling-Test: her phone number, then the
    vertrouwenspersoon's summary, which repeats the pseudonym."""
    case = replace(case_in(MELDER, "melding"), opened_by="juf.anna")
    events = [
        DECIDER.action(MELDER, case, "contact_vastleggen", Act("juf.anna", "melder", NOW, NOW), {"telefoon": PHONE}),
    ]
    case = apply(case, events[-1])
    summary = {"toelichting": "Leerling-Test zag het gebeuren; bel 0612345678"}
    events.append(DECIDER.action(MELDER, case, "aannemen", Act("vp.karin", "vertrouwenspersoon", NOW, NOW), summary))
    return apply(case, events[-1]), events


def test_a_viewer_not_in_visible_to_reads_afgeschermd_wherever_the_melder_is_named() -> None:
    case, events = reported()
    redactor = redactor_for(MELDER, case, ["directeur"], events, "dhr.bos")
    shown = redactor.case(case)
    assert shown.subject == HIDDEN and shown.opened_by == HIDDEN
    assert shown.facts["toelichting"] == f"{HIDDEN} zag het gebeuren; bel {HIDDEN}"
    assert shown.facts["telefoon"] == HIDDEN
    first, second = redactor.events(events)
    assert first.actor == HIDDEN and first.inputs == {"telefoon": HIDDEN}
    assert second.actor == "vp.karin"  # a handler is not hidden
    assert first.record is None and first.personal == {}  # neither the record nor salts leave
    assert "juf.anna" not in repr(shown) and PHONE not in repr([first, second])


def test_the_roles_that_may_know_the_melder_and_everyone_after_consent_see_everything() -> None:
    case, events = reported()
    assert redactor_for(MELDER, case, ["vertrouwenspersoon"], events) is NO_REDACTION
    assert redactor_for(MELDER, case, ["directeur", "vertrouwenspersoon"], events) is NO_REDACTION
    consent = DECIDER.action(MELDER, case, "identiteit_vrijgeven", Act("juf.anna", "melder", NOW, NOW), {"identiteit_delen": "ja"})
    consented = apply(case, consent)
    redactor = redactor_for(MELDER, consented, ["directeur"], [*events, consent])
    assert redactor.case(consented).subject == "Leerling-Test" and not redactor.active


def test_a_protocol_that_protects_no_identity_masks_nothing() -> None:
    case = case_in(PROTOCOL, "onderzoek")
    assert redactor_for(PROTOCOL, case, ["leerkracht"]) is NO_REDACTION
    assert NO_REDACTION.case(case) is case


def test_a_melder_reading_their_own_report_does_not_see_the_handlers_notes() -> None:
    case, events = reported()
    note = replace(events[1], type=EventType.NOTE, data={"text": "intern overleg"})
    own = replace(events[0], type=EventType.NOTE, data={"text": "mijn aanvulling"})
    redactor = redactor_for(MELDER, case, ["melder"], [*events, note], "juf.anna")
    assert redactor.case(case).subject == "Leerling-Test"  # the melder knows who they are
    assert redactor.event(note).data == {"internal": True}
    assert redactor.event(own).data == {"text": "mijn aanvulling"}


def test_a_letter_event_hides_its_hashes_from_a_masked_viewer() -> None:
    case, events = reported()
    letter = replace(events[1], type=EventType.LETTER, data={"letter": "afschrift", "sha256_html": "a" * 64, "sha256_pdf": "b" * 64})
    shown = redactor_for(MELDER, case, ["directeur"], events).event(letter)
    assert shown.data == {"letter": "afschrift", "sha256_html": HIDDEN, "sha256_pdf": HIDDEN}


def test_actions_follow_role_guard_and_running_obligations() -> None:
    case = case_in(PROTOCOL, "melding")
    light = apply(case, DECIDER.action(PROTOCOL, case, "melden", Act("a", "leerkracht", NOW, NOW), {"ernst": "licht"}))
    assert [a.trigger for a in actions_for(PROTOCOL, light, "directeur")] == ["afsluiten", "ouders_geinformeerd"]
    assert [(a.trigger, a.kind) for a in actions_for(PROTOCOL, light, "leerkracht")] == [("ouders_geinformeerd", "obligation")]
    serious = replace(light, facts={**light.facts, "ernst": "ernstig"})
    assert "direct_maatregel" in [a.trigger for a in actions_for(PROTOCOL, serious, "directeur")]
    onderzoek = next(a for a in actions_for(PROTOCOL, light, "intern_begeleider") if a.trigger == "onderzoek_afronden")
    assert onderzoek.to == "beoordeling" and onderzoek.requires == ("motivering",)
    met = {k: replace(d, status=DeadlineStatus.FULFILLED) for k, d in light.deadlines.items()}
    assert [a.trigger for a in actions_for(PROTOCOL, replace(light, deadlines=met), "leerkracht")] == []
    closed = actions_for(PROTOCOL, replace(light, closed=True), None)
    assert [(a.trigger, a.kind) for a in closed] == [("ouders_geinformeerd", "obligation")]  # a duty outlives the case


def test_a_guard_on_a_term_is_decided_at_the_moment_asked() -> None:
    case = case_in(PROTOCOL, "melding")
    case = apply(case, DECIDER.action(PROTOCOL, case, "melden", Act("a", "leerkracht", NOW, NOW), {"ernst": "licht"}))
    obligation = next(d for d in case.deadlines.values() if d.id == "ouders_geinformeerd")
    assert obligation.due_at is not None
    assert case.guard_facts(obligation.due_at - timedelta(seconds=1))["ouders_geinformeerd"] == DeadlineStatus.OPEN
    assert case.guard_facts(obligation.due_at)["ouders_geinformeerd"] == DeadlineStatus.OVERDUE
