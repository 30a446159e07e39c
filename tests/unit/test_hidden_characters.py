"""Invisible characters and reserved names (issue 22): an identifier is NFC and holds no
control, format (Cf), line or paragraph separator character; free text keeps only the
invisible characters people use in writing."""

from __future__ import annotations

import pytest

from engine.errors import ImportRefused, InputError
from engine.inputs import check_identifier, check_pseudonym, check_text, is_plain
from engine.pupils import Roster, RosterPupil, RosterTeacher, checked_roster

INVISIBLE = ["\u200b", "\u061c", "\u2028", "\u2029", "\ufeff", "\u2060", "\u200e", "\u202e", "\U000e0041", "\u00ad", "\u200d"]


@pytest.mark.parametrize("char", INVISIBLE)
def test_a_pseudonym_with_an_invisible_character_is_refused_naming_code_and_position(char: str) -> None:
    with pytest.raises(InputError) as refused:
        check_pseudonym("subject", f"Leerling-V{char}os")
    assert refused.value.fields["field"] == "subject"
    assert f"(U+{ord(char):04X}) op positie 11" in refused.value.message
    assert refused.value.message.startswith("subject: pseudoniem: bevat een niet toegestaan teken")


@pytest.mark.parametrize("space", ["\u00a0", "\u2007", "\u3000", "\t"])
def test_an_identifier_has_only_the_plain_space(space: str) -> None:
    with pytest.raises(InputError, match=r"op positie 9"):
        check_identifier("group", f"Leerling{space}Vos", 100, "groep")
    assert not is_plain(f"juf{space}anna")
    assert is_plain("juf anna")


def test_an_identifier_is_stripped_and_normalised_to_nfc() -> None:
    decomposed = "  Zoe\u0308 V.\n"
    assert check_pseudonym("subject", decomposed) == "Zo\u00eb V."
    assert check_identifier("group", "\t5a ", 50) == "5a"
    # the position is counted in the value as it was typed, leading spaces included
    with pytest.raises(InputError, match=r"\(U\+200B\) op positie 4"):
        check_identifier("group", "  5\u200ba", 50)


@pytest.mark.parametrize(
    "reserved", ["(afgeschermd)", "(Afgeschermd)", " ( AFGESCHERMD ) ", "afgeschermd", "[geanonimiseerd]", "[ Geanonimiseerd]", "GEANONIMISEERD"]
)
def test_the_names_trede_shows_instead_of_a_name_are_no_pseudonym(reserved: str) -> None:
    with pytest.raises(InputError, match="kies een ander pseudoniem"):
        check_pseudonym("subject", reserved)


def test_names_that_merely_contain_a_reserved_word_are_allowed() -> None:
    assert check_pseudonym("subject", "Afgeschermd 2") == "Afgeschermd 2"
    assert check_pseudonym("subject", "Leerling-Vos") == "Leerling-Vos"


@pytest.mark.parametrize("char", ["\u200b", "\u061c", "\u2028", "\u2029", "\ufeff", "\u2060", "\U000e0041"])
def test_free_text_refuses_the_invisible_characters_without_a_use(char: str) -> None:
    with pytest.raises(InputError) as refused:
        check_text("motivering", f"Zij sloeg\n{char}hem", 1000, "Motivering")
    assert refused.value.message == f"motivering: Motivering: bevat een niet toegestaan teken (U+{ord(char):04X}) op positie 11"


def test_free_text_keeps_joiners_and_soft_hyphens_and_is_normalised() -> None:
    family = "Gezin \U0001f468\u200d\U0001f469\u200d\U0001f467 en mi\u200cm; ver\u00adslag"
    assert check_text("notitie", family, 1000) == family
    assert check_text("notitie", "Zoe\u0308\tzei:\r\nnee", 1000) == "Zo\u00eb\tzei:\r\nnee"


def test_a_roster_with_an_invisible_character_is_refused_at_its_line() -> None:
    roster = Roster(None, ("5a",), (RosterPupil("1", "Sanne", "Vos", "5a", 2), RosterPupil("2", "Piet", "V\u200bos", "5a", 3)))
    with pytest.raises(ImportRefused) as refused:
        checked_roster(roster, "leerlingen.csv")
    assert refused.value.fields == {"file": "leerlingen.csv", "line": 3, "element": "achternaam"}
    assert "leerlingen.csv:3: achternaam: bevat een niet toegestaan teken (U+200B) op positie 2." in refused.value.message
    teacher = Roster(None, ("5a",), (), (RosterTeacher("juf\ufeff@school.nl", None, frozenset({"5a"}), 7),))
    with pytest.raises(ImportRefused, match=r"EDEX.xml:7: e-mailadres: .*U\+FEFF"):
        checked_roster(teacher, "EDEX.xml")


def test_a_roster_is_normalised_so_one_pupil_stays_one_pupil() -> None:
    roster = Roster(None, ("gr\u0065\u0301",), (RosterPupil(" 12 ", "Zoe\u0308", "Vos", "gr\u0065\u0301", 2),))
    clean = checked_roster(roster, "x.csv")
    assert clean.pupils[0] == RosterPupil("12", "Zo\u00eb", "Vos", "gr\u00e9", 2)
    assert clean.groups == ("gr\u00e9",)
