"""A school's logo for the head of its letters: PNG or JPEG only, small, checked by content.

SVG is refused: it is a document that can carry scripts, external references and entities,
and a letter is a legal act that must look the same wherever it is opened. A PNG or JPEG is
recognised by its magic bytes and its structure (never by a file name or a browser's word),
its size in bytes and in pixels is bounded before anything decodes it (a small file can
unpack to gigabytes), and the letter renderer then decodes it once on upload
(``LetterRenderer.check_image``), so that a letter never fails on a logo later.
"""

from __future__ import annotations

import struct
import zlib

from engine.errors import InputError

MAX_LOGO_BYTES = 256 * 1024  # a letterhead logo is tens of kilobytes; each letter carries it
MAX_LOGO_SIDE = 2000  # pixels, both ways: decoded at most 2000 x 2000 x 4 bytes = 16 MB
LOGO_KINDS = {"image/png": "PNG", "image/jpeg": "JPEG"}
FIELD = "logo"
LABEL = "Logo"

_PNG = b"\x89PNG\r\n\x1a\n"
# JPEG start-of-frame markers that carry the image size (not DHT C4, JPG C8, DAC CC)
_SOF = frozenset({0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})


def _refuse(message: str) -> InputError:
    return InputError(FIELD, f"{LABEL}: {message}")


def check_logo(content: bytes) -> tuple[str, int, int]:
    """The media type, width and height of a logo; refused with a Dutch message otherwise."""
    if not content:
        raise _refuse("kies een bestand (PNG of JPEG)")
    if len(content) > MAX_LOGO_BYTES:
        raise _refuse(f"het bestand is te groot ({len(content) // 1024} kB; ten hoogste {MAX_LOGO_BYTES // 1024} kB)")
    if content.startswith(_PNG):
        media_type, (width, height) = "image/png", _png_size(content)
    elif content.startswith(b"\xff\xd8\xff"):
        media_type, (width, height) = "image/jpeg", _jpeg_size(content)
    else:
        raise _refuse("alleen PNG of JPEG (een SVG, GIF, PDF of ander bestand kan niet)")
    if not (0 < width <= MAX_LOGO_SIDE and 0 < height <= MAX_LOGO_SIDE):
        raise _refuse(f"{width} x {height} pixels is te groot (ten hoogste {MAX_LOGO_SIDE} x {MAX_LOGO_SIDE})")
    return media_type, width, height


def _png_size(content: bytes) -> tuple[int, int]:
    """Walk the chunks: each has a length, a type and a CRC; the first is IHDR, the last IEND."""
    at, size, seen_data = len(_PNG), (0, 0), False
    first = True
    while True:
        if at + 12 > len(content):
            raise _refuse("het PNG-bestand is onvolledig")
        length, kind = struct.unpack(">I4s", content[at : at + 8])
        end = at + 12 + length
        if end > len(content) or zlib.crc32(content[at + 4 : at + 8 + length]) != struct.unpack(">I", content[end - 4 : end])[0]:
            raise _refuse("het PNG-bestand is beschadigd")
        if first:
            if kind != b"IHDR" or length != 13:
                raise _refuse("het PNG-bestand is beschadigd")
            size = struct.unpack(">II", content[at + 8 : at + 16])
            first = False
        seen_data = seen_data or kind == b"IDAT"
        at = end
        if kind == b"IEND":
            break
    if not seen_data or at != len(content):
        raise _refuse("het PNG-bestand is beschadigd")
    return size


def _jpeg_size(content: bytes) -> tuple[int, int]:
    """Walk the segments up to the first scan; the frame header holds height and width."""
    at, size = 2, None
    while at + 4 <= len(content):
        if content[at] != 0xFF:
            raise _refuse("het JPEG-bestand is beschadigd")
        marker = content[at + 1]
        if marker == 0xFF:  # fill byte
            at += 1
            continue
        length = struct.unpack(">H", content[at + 2 : at + 4])[0]
        if length < 2 or at + 2 + length > len(content):
            raise _refuse("het JPEG-bestand is beschadigd")
        if marker in _SOF:
            if length < 7:
                raise _refuse("het JPEG-bestand is beschadigd")
            height, width = struct.unpack(">HH", content[at + 5 : at + 9])
            size = (width, height)
        if marker == 0xDA:  # start of scan: the image data follows, up to the end marker
            break
        at += 2 + length
    if size is None or not content.rstrip(b"\x00").endswith(b"\xff\xd9"):
        raise _refuse("het JPEG-bestand is beschadigd of onvolledig")
    return size
