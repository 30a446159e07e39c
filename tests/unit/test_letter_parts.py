"""The parts that make a letter sendable (issue 26): the school's logo, checked by its content,
and the addressee's name and postal address, checked as such (no database needed)."""

from __future__ import annotations

import io
import struct
import zlib

import pytest
from PIL import Image

from adapters.letter_renderer import JinjaLetters
from engine.errors import InputError
from engine.letters import ADDRESSEE_ADDRESS, ADDRESSEE_NAME, address_lines, check_addressee
from engine.logos import MAX_LOGO_BYTES, check_logo

LABELS = {ADDRESSEE_NAME: "Naam van de geadresseerde", ADDRESSEE_ADDRESS: "Postadres van de geadresseerde"}


def image(kind: str, size: tuple[int, int] = (300, 100)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (20, 80, 160)).save(out, kind)
    return out.getvalue()


def test_a_png_and_a_jpeg_are_taken_with_their_size() -> None:
    assert check_logo(image("PNG")) == ("image/png", 300, 100)
    assert check_logo(image("JPEG", (120, 40))) == ("image/jpeg", 120, 40)


@pytest.mark.parametrize(
    ("content", "said"),
    [
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "alleen PNG of JPEG"),
        (b"GIF89a\x01\x00\x01\x00\x00\x00\x00;", "alleen PNG of JPEG"),
        (b"%PDF-1.4\n", "alleen PNG of JPEG"),
        (b"", "kies een bestand"),
        (b"\x89PNG\r\n\x1a\n", "onvolledig"),  # the magic bytes alone are not a PNG
        (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", "beschadigd"),  # nor are a JPEG's
    ],
)
def test_what_is_not_a_png_or_jpeg_is_refused_by_its_content(content: bytes, said: str) -> None:
    with pytest.raises(InputError) as refused:
        check_logo(content)
    assert refused.value.fields["field"] == "logo" and said in refused.value.message


def test_a_png_with_a_wrong_checksum_is_refused() -> None:
    png = bytearray(image("PNG"))
    png[20] ^= 0xFF  # inside IHDR: the width changes, its CRC no longer matches
    with pytest.raises(InputError, match="beschadigd"):
        check_logo(bytes(png))


def test_a_huge_picture_in_a_small_file_is_refused_before_anything_decodes_it() -> None:
    # a valid PNG header announcing 30000 x 30000 pixels: 3.6 GB once decoded
    header = struct.pack(">IIBBBBB", 30000, 30000, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"")) + chunk(b"IEND", b"")
    with pytest.raises(InputError, match="30000 x 30000 pixels is te groot"):
        check_logo(png)


def test_a_file_over_the_limit_is_refused() -> None:
    with pytest.raises(InputError, match="te groot"):
        check_logo(image("PNG") + b"\x00" * MAX_LOGO_BYTES)


def test_the_renderer_refuses_what_it_cannot_decode() -> None:
    png = image("PNG")
    JinjaLetters().check_image("image/png", png)  # a real PNG goes into a PDF
    broken = png[:40] + bytes(len(png) - 40)  # structure intact up to IHDR, the pixels are garbage
    with pytest.raises(InputError, match="geen leesbare PNG-afbeelding"):
        JinjaLetters().check_image("image/png", broken)


def test_an_address_is_read_per_line_or_split_at_commas() -> None:
    assert address_lines("Dorpsstraat 1\r\n1234 AB  Ergens\n") == ["Dorpsstraat 1", "1234 AB  Ergens"]
    assert address_lines("Dorpsstraat 1, 1234 AB Ergens") == ["Dorpsstraat 1", "1234 AB Ergens"]


@pytest.mark.parametrize(
    "address",
    ["Dorpsstraat 1\n1234 AB Ergens", "Postbus 100, 3500 AC Utrecht", "Rue de la Paix 5\n75002 Paris\nFrankrijk"],
)
def test_a_postal_address_is_taken(address: str) -> None:
    check_addressee({ADDRESSEE_NAME: "Dhr. en mevr. Kramer", ADDRESSEE_ADDRESS: address}, LABELS)


@pytest.mark.parametrize(
    ("values", "field", "said"),
    [
        ({ADDRESSEE_ADDRESS: "Beukenlaan 3"}, ADDRESSEE_ADDRESS, "elk op een eigen regel"),
        ({ADDRESSEE_ADDRESS: "Beukenlaan 3\nVeldhoven"}, ADDRESSEE_ADDRESS, "de postcode en plaats ontbreken"),
        ({ADDRESSEE_ADDRESS: "5678 CD Veldhoven\nBeukenlaan"}, ADDRESSEE_ADDRESS, "de regel vóór de postcode"),
        ({ADDRESSEE_ADDRESS: "Beukenlaan\n5678 CD Veldhoven"}, ADDRESSEE_ADDRESS, "straat en huisnummer"),
        ({ADDRESSEE_ADDRESS: "a\nb\nc\nd\ne\nf"}, ADDRESSEE_ADDRESS, "2 tot 5 regels"),
        ({ADDRESSEE_NAME: "Kramer\nDorpsstraat 1"}, ADDRESSEE_NAME, "één regel"),
        ({ADDRESSEE_NAME: "12345"}, ADDRESSEE_NAME, "vul een naam in"),
    ],
)
def test_what_cannot_go_on_an_envelope_is_refused_naming_the_field(values: dict[str, str], field: str, said: str) -> None:
    with pytest.raises(InputError) as refused:
        check_addressee(values, LABELS)
    message = refused.value.message
    assert refused.value.fields["field"] == field and said in message
    assert message.startswith(f"{field}: {LABELS[field]}: ")  # the form shows it by its label
    assert not any(line in message for line in values[field].splitlines() if len(line) > 2)  # never repeated
