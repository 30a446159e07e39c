"""The editor's model of a school variant (engine/protocol/variant_builder.py) and its use
case (engine/usecases/protocol_editor.py): YAML -> edit model -> YAML keeps every example
variant, the form's fields turn into the same model, the loader's problems land at the
field that wrote the value, and only a protocol owner of the school may edit or save."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from adapters.protocol_files import BUNDLED
from engine.clock import FixedClock
from engine.errors import PermissionDenied, ProtocolError
from engine.protocol.loader import load_protocol_file
from engine.protocol.variant_builder import KINDS, build, from_form, parse_variant, to_form
from engine.protocol.yamlsource import read_yaml
from engine.usecases import Engine
from tests.conftest import START
from tests.memory import SCHOOLS, memory_engine
from tests.support import person

EXAMPLES = sorted((Path(__file__).parents[2] / "docs" / "examples").glob("*.yaml")) + sorted(
    (Path(__file__).parents[2] / "tests" / "protocols").glob("taalgaten*.yaml")
)
BUNDLED_FILES = sorted(BUNDLED.glob("*.yaml"))
VARIANTS = [p for p in EXAMPLES if "\nextends:" in p.read_text(encoding="utf-8")]


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_yaml_to_model_to_yaml_keeps_every_example(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    edit, problems = parse_variant(text, path.name)
    assert problems == []
    written = build(edit).text
    assert read_yaml(written, "x")[0].data == read_yaml(text, "x")[0].data
    assert written.startswith("# ")  # the file's leading comment stays with it
    again, _ = parse_variant(written)
    assert build(again).text == written  # stable formatting: a second pass changes nothing
    assert build(from_form(to_form(edit))).text == written  # and so does the form


def test_the_variant_examples_are_all_covered() -> None:
    assert len(VARIANTS) >= 5
    assert any(p.name == "taalgaten-variant.yaml" for p in VARIANTS)


@pytest.mark.parametrize("path", BUNDLED_FILES, ids=lambda p: p.stem)
def test_the_bundled_protocols_pass_through_the_form_unchanged(path: Path) -> None:
    """Letters, remedies, structured durations and the rest survive the form too."""
    text = path.read_text(encoding="utf-8")
    edit, _ = parse_variant(text, path.name)
    written = build(edit).text
    assert read_yaml(written, "x")[0].data == read_yaml(text, "x")[0].data
    assert build(from_form(to_form(edit))).text == written


def _entry_named(form: dict[str, str], field: str, value: str) -> str:
    return next(k.removesuffix(f"-{field}") for k, v in form.items() if k.endswith(f"-{field}") and v == value)


def test_the_language_keys_of_issue_27_fill_their_own_fields() -> None:
    edit, _ = parse_variant((Path(__file__).parents[2] / "tests" / "protocols" / "taalgaten.yaml").read_text("utf-8"))
    form = to_form(edit)
    assert form["actions-0-given"] == "{fact: ernst, equals: ernstig}"
    third = "actions-2"
    assert form[f"{third}-count_min"] == "2"
    assert (form[f"{third}-obligations-0-id"], form[f"{third}-obligations-0-after"]) == ("ouders_geinformeerd", "2 werkdagen")
    assert form[f"{third}-obligations-0-roles"] == "leerkracht"
    assert form[f"{_entry_named(form, 'trigger', 'driegesprek')}-counts_as"] == "gesprek_gepeste_leerling, gesprek_pester"
    assert form[f"{_entry_named(form, 'trigger', 'opnieuw_gepest')}-clears"] == "gestopt_op"
    linked = _entry_named(form, "trigger", "pester_aanpakken")
    assert (form[f"{linked}-opens"], form[f"{linked}-subject_from"]) == ("grensoverschrijdend-gedrag", "pester")
    assert (form[f"{linked}-opens_step"], form[f"{linked}-group_from"]) == ("samen_oplossing", "groep_pester")
    evaluate = _entry_named(form, "id", "afspraken_evalueren")
    assert form[f"{evaluate}-from"] == "afspraken_maken"  # a term from an action
    assert all(not v.strip() for k, v in form.items() if k.startswith("actions") and k.endswith("-extra"))


def test_term_keys_letters_and_remedies_fill_their_own_fields() -> None:
    edit, _ = parse_variant((BUNDLED / "grensoverschrijdend-gedrag.yaml").read_text("utf-8"))
    form = to_form(edit)
    einde = _entry_named(form, "id", "einde_schorsing")
    assert (form[f"{einde}-measure"], form[f"{einde}-duration_from"]) == ("ja", "schorsing_duur")
    letter = _entry_named({k: v for k, v in form.items() if k.startswith("letters-")}, "id", "schorsing")
    assert (form[f"{letter}-steps"], form[f"{letter}-roles"]) == ("schorsing", "directeur")
    assert form[f"{letter}-asks"].startswith("geadresseerde_naam, geadresseerde_adres")
    remedy = _entry_named(form, "id", "bezwaar_schorsing")
    assert (form[f"{remedy}-kind"], form[f"{remedy}-filed_by"]) == ("bezwaar", "bezwaar_schorsing_ontvangen")
    # the term's id, label and legal floor have no field: kept beside the fields, not instead of them
    assert form[f"{remedy}-term_after"] == "6 weken"
    kept = read_yaml(form[f"{remedy}-extra"], "x")[0].data["term"]
    assert "floor" in kept and "after" not in kept and "basis" not in kept


def test_an_action_that_starts_an_obligation_is_written_from_the_form() -> None:
    form = {
        "base_id": "grensoverschrijdend-gedrag", "base_version": "5", "id": "v", "version": "1",
        "actions-0-trigger": "melding", "actions-0-given": "{fact: ernst, equals: ernstig}",
        "actions-0-clears": "gestopt_op", "actions-0-counts_as": "a, b",
        "actions-0-opens": "p", "actions-0-opens_step": "s", "actions-0-group_from": "groep",
        "actions-0-obligations-0-id": "ouders_geinformeerd", "actions-0-obligations-0-after": "2 werkdagen",
        "actions-0-obligations-0-from": "melding", "actions-0-obligations-0-shift": "7 dagen",
        "actions-0-obligations-0-measure": "nee",
    }
    data = read_yaml(build(from_form(form)).text, "x")[0].data
    assert data["transitions"] == [{
        "trigger": "melding", "given": {"fact": "ernst", "equals": "ernstig"}, "clears": ["gestopt_op"],
        "counts_as": ["a", "b"], "opens": {"protocol": "p", "step": "s", "group_from": "groep"},
        "obligations": [
            {"id": "ouders_geinformeerd", "after": "2 werkdagen", "from": "melding", "shift": "7 dagen", "measure": False}
        ],
    }]
    assert "given: {fact: ernst, equals: ernstig}" in build(from_form(form)).text  # on one line, like a guard
    assert len(from_form(form, add="actions-0-obligations").actions[0].children["obligations"]) == 2
    assert from_form(form, drop="actions-0-obligations-0").actions[0].children["obligations"] == []


def test_a_count_guard_a_weekly_check_in_and_a_linked_case_fill_their_own_fields() -> None:
    edit, _ = parse_variant((Path(__file__).parents[2] / "docs" / "examples" / "pesten-de-linde.yaml").read_text("utf-8"))
    form = to_form(edit)
    first = next(k.removesuffix("-trigger") for k, v in form.items() if k.endswith("-trigger") and v == "melding_vastleggen")
    assert (form[f"{first}-count"], form[f"{first}-count_max"], form[f"{first}-when"]) == ("melding_vastleggen", "1", "")
    linked = next(k.removesuffix("-trigger") for k, v in form.items() if k.endswith("-trigger") and v == "pester_aanpakken")
    assert (form[f"{linked}-opens"], form[f"{linked}-subject_from"]) == ("grensoverschrijdend-gedrag", "pester")
    step = next(k.removesuffix("-id") for k, v in form.items() if k.endswith("-timers-0-id") and v == "weekgesprek")
    assert (form[f"{step}-every"], form[f"{step}-anchor"], form[f"{step}-until"]) == (
        "5 schooldagen", "laatste schooldag", "begeleiding_tot",
    )


def test_a_count_next_to_another_condition_is_written_as_all() -> None:
    form = {
        "base_id": "grensoverschrijdend-gedrag", "base_version": "5", "id": "v", "version": "1",
        "actions-0-trigger": "a", "actions-0-count": "a", "actions-0-count_min": "2",
        "actions-0-when": "{fact: ernstig, equals: ja}",
    }
    text = build(from_form(form)).text
    assert "when: {all: [{count: a, at_least: 2}, {fact: ernstig, equals: ja}]}" in text
    back = to_form(parse_variant(text)[0])
    assert (back["actions-0-count_min"], back["actions-0-when"]) == ("2", "{fact: ernstig, equals: ja}")


def test_adding_and_dropping_parts_of_the_form() -> None:
    form = {"id": "v", "steps-0-id": "a", "steps-0-label": "A", "steps-1-id": "b"}
    assert [s.value("id") for s in from_form(form, drop="steps-0").steps] == ["b"]
    added = from_form(form, add="steps-0-timers")
    assert len(added.steps[0].children["timers"]) == 1
    assert len(from_form(form, add="steps").steps) == 3


@pytest.fixture
def engine() -> Engine:
    trede = memory_engine(FixedClock(START))
    from engine.access import OPERATOR

    trede.protocols.load(OPERATOR, load_protocol_file(BUNDLED / "grensoverschrijdend-gedrag.yaml"))
    return trede


def _weekly(engine: Engine, owner: object, school: str) -> dict[str, str]:
    form = to_form(engine.editor.start(owner, school, "grensoverschrijdend-gedrag"))  # type: ignore[arg-type]
    form.update({
        "steps-0-id": "wekelijks", "steps-0-label": "Wekelijks",
        "steps-0-timers-0-id": "weekgesprek", "steps-0-timers-0-label": "Weekgesprek",
        "steps-0-timers-0-after": "0 dagn", "steps-0-timers-0-basis": "Schoolplan",
        "steps-0-timers-0-every": "5 schooldagen", "steps-0-timers-0-times": "6",
        "steps-0-timers-0-escalate": "leerkracht",
        "actions-0-trigger": "volgen", "actions-0-label": "Volgen", "actions-0-from": "samen_oplossing",
        "actions-0-to": "wekelijks", "actions-0-roles": "leerkracht", "actions-0-count": "volgen",
        "actions-0-count_max": "x",
        "actions-1-trigger": "klaar", "actions-1-label": "Klaar", "actions-1-from": "wekelijks",
        "actions-1-to": "school_en_ouders", "actions-1-roles": "leerkraht", "actions-1-opens": "meldcode-hgkm",
    })
    return form


def test_the_loaders_problems_are_placed_at_the_fields_that_wrote_them(engine: Engine) -> None:
    school = SCHOOLS[0]
    owner = person("eigenaar", "protocol_eigenaar", school=school)
    check = engine.editor.check(owner, school, from_form(_weekly(engine, owner, school)))
    fields = check.placed.fields
    assert set(fields) == {"steps-0-timers-0-after", "actions-1-roles", "actions-0-count", "actions-0-count_max"}
    assert "onbekende eenheid 'dagn'" in fields["steps-0-timers-0-after"][0]
    assert "onbekende rol 'leerkraht'" in fields["actions-1-roles"][0]
    assert fields["actions-0-count_max"] == ["'x' is geen geheel getal"]
    assert fields["actions-0-count"] == ["een vergelijking heeft at_least of at_most (of beide)"]
    assert check.placed.general == []
    assert not check.valid and check.diagram == ""


def test_a_valid_variant_is_drawn_with_its_changes_and_proposed_for_the_school(engine: Engine) -> None:
    school = SCHOOLS[0]
    owner = person("eigenaar", "protocol_eigenaar", school=school)
    form = _weekly(engine, owner, school)
    form.update({"steps-0-timers-0-after": "0 dagen", "actions-1-roles": "leerkracht", "actions-0-count_max": "2"})
    check = engine.editor.check(owner, school, from_form(form))
    assert check.valid, check.placed
    assert check.marks is not None and check.marks.steps == {"wekelijks": "nieuw"}
    assert check.marks.actions == {"volgen": "nieuw", "klaar": "nieuw"}
    assert 'class="stap nieuw" data-stap="wekelijks"' in check.diagram
    proposal = engine.editor.save(owner, school, from_form(form))  # a proposal: four eyes
    assert proposal.status == "voorgesteld" and proposal.scope == school and proposal.text == check.text
    assert [p.id for p in engine.protocols.managed(owner) if p.id == proposal.protocol_id] == []
    published = engine.proposals.approve(person("bestuur", "bevoegd_gezag"), proposal.id)
    assert published.status == "gepubliceerd" and published.version == 1
    stored = engine.protocols.get(proposal.protocol_id, 1).stored
    assert stored.scope == school and stored.text == check.text
    again = to_form(engine.editor.start(owner, school, stored.id))
    assert again["version"] == "2" and again["steps-0-timers-0-every"] == "5 schooldagen"


def test_problems_at_the_fields_of_the_new_keys(engine: Engine) -> None:
    school = SCHOOLS[0]
    owner = person("eigenaar", "protocol_eigenaar", school=school)
    form = to_form(engine.editor.start(owner, school, "grensoverschrijdend-gedrag"))
    form.update({
        "actions-0-trigger": "zorg_melden", "actions-0-label": "Zorg melden", "actions-0-from": "samen_oplossing",
        "actions-0-roles": "leerkracht", "actions-0-requires": "afspraken",
        "actions-0-given": "{fact: soort_gedrag, equals: onbekend_soort}",
        "actions-0-clears": "bestaat_niet", "actions-0-counts_as": "geen_actie",
        "actions-0-opens": "meldcode-hgkm", "actions-0-group_from": "geen_veld",
        "actions-0-obligations-0-id": "ouders_bellen", "actions-0-obligations-0-label": "Ouders bellen",
        "actions-0-obligations-0-after": "2 werkdagn", "actions-0-obligations-0-basis": "Schoolplan",
        "actions-0-obligations-0-roles": "leerkracht",
        "steps-0-id": "samen_oplossing", "steps-0-timers-0-id": "nagaan", "steps-0-timers-0-label": "Nagaan",
        "steps-0-timers-0-after": "1 week", "steps-0-timers-0-basis": "Schoolplan",
        "steps-0-timers-0-escalate": "leerkracht", "steps-0-timers-0-from": "geen_actie_of_datum",
        "steps-0-timers-0-shift": "zeven", "steps-0-timers-0-duration_from": "afspraken",
        "letters-0-id": "schorsing", "letters-0-roles": "conciërge",
        "remedies-0-id": "bezwaar_schorsing", "remedies-0-term_after": "4 weken",
    })
    fields = engine.editor.check(owner, school, from_form(form)).placed.fields
    for name in (
        "actions-0-given", "actions-0-clears", "actions-0-counts_as", "actions-0-group_from",
        "actions-0-obligations-0-after", "steps-0-timers-0-from", "steps-0-timers-0-shift",
        "steps-0-timers-0-duration_from", "letters-0-roles", "remedies-0-term_after",
    ):
        assert name in fields, (name, fields)
    assert "onbekend_soort" in " ".join(fields["actions-0-given"])
    assert "bestaat_niet" in " ".join(fields["actions-0-clears"])
    assert "geen_actie" in " ".join(fields["actions-0-counts_as"])
    assert "dagn" in " ".join(fields["actions-0-obligations-0-after"])
    assert "conciërge" in " ".join(fields["letters-0-roles"])


def test_only_a_protocol_owner_of_that_school_may_edit_or_save(engine: Engine) -> None:
    school, other = SCHOOLS[0], SCHOOLS[1]
    owner = person("eigenaar", "protocol_eigenaar", school=school)
    edit = engine.editor.start(owner, school, "grensoverschrijdend-gedrag")
    for stranger, where in ((person("ib", "intern_begeleider", school=school), school), (owner, other)):
        with pytest.raises(PermissionDenied):
            engine.editor.start(stranger, where, "grensoverschrijdend-gedrag")
        with pytest.raises(PermissionDenied):
            engine.editor.check(stranger, where, edit)
        with pytest.raises(PermissionDenied):
            engine.editor.save(stranger, where, edit)


def test_saving_a_broken_variant_stores_nothing(engine: Engine) -> None:
    school = SCHOOLS[0]
    owner = person("eigenaar", "protocol_eigenaar", school=school)
    before = len(engine.protocols.list())
    with pytest.raises(ProtocolError):
        engine.editor.save(owner, school, from_form(_weekly(engine, owner, school)))
    assert len(engine.protocols.list()) == before


def test_the_guide_names_the_editors_fields_as_the_page_does() -> None:
    """docs/protocollen-schrijven.md, section 12b, names each field by its label (*label*)."""
    guide = (Path(__file__).parents[2] / "docs" / "protocollen-schrijven.md").read_text("utf-8")
    section = guide.split("## 12b.", 1)[1].split("\n## ", 1)[0]
    labels = {f.label for fields in KINDS.values() for f in fields}
    named = set(re.findall(r"(?<!\*)\*([A-Z][^*\n]+)\*(?!\*)", section))
    assert len(named) >= 10
    assert {n for n in named if not any(label.startswith(n) for label in labels)} == set()
    for field_name in ("given", "clears", "counts_as", "shift", "measure", "duration_from"):
        assert f"`{field_name}:`" in section
