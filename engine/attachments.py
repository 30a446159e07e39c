"""Notes and attachments on a case: what may be added, and how a file is recognised.

A note is free text; an attachment a conversation report, a signed letter or a scanned
form. Both are appended to the case's chain: the note's text and the file's name go into
the record only as salted hashes (personal values, erased on anonymisation), the file's
content is stored beside the chain and its SHA-256 is in the event, so a changed or
swapped file shows on verification and the hash outlives the file.

The type of a file is decided by its content, never by its name or by what the browser
says: a file that is not what it claims is refused.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from dataclasses import dataclass

from engine.errors import InputError
from engine.inputs import check_text

NOTE_LIMIT = 20_000  # characters: a long conversation report fits
NAME_LIMIT = 120
MAX_BYTES = 10 * 1024 * 1024  # a scanned multi-page form at a readable resolution fits

# media type -> what a person calls it; the order is the order in messages
KINDS = {
    "application/pdf": "PDF",
    "image/jpeg": "JPEG-foto",
    "image/png": "PNG-afbeelding",
    "text/plain": "tekstbestand",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "Word-document (.docx)",
    "application/vnd.oasis.opendocument.text": "OpenDocument-tekst (.odt)",
    "audio/webm": "geluidsopname (WebM/Opus)",
    "audio/ogg": "geluidsopname (Ogg/Opus)",
}
EXTENSIONS = {
    "application/pdf": ".pdf",
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "text/plain": ".txt",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": ".docx",
    "application/vnd.oasis.opendocument.text": ".odt",
    "audio/webm": ".webm",
    "audio/ogg": ".ogg",
}
AUDIO = frozenset({"audio/webm", "audio/ogg"})
# A voice message or a recorded conversation: Opus at the browser's 32-64 kbit/s is about
# ten minutes in 5 MB; a longer conversation is recorded as a written record instead.
MAX_AUDIO_BYTES = 5 * 1024 * 1024


@dataclass(frozen=True)
class StoredAttachment:
    case_id: str
    seq: int  # the event that added it
    media_type: str
    size: int
    sha256: str
    content: bytes  # empty once erased by retention

    @property
    def erased(self) -> bool:
        return not self.content and self.size > 0


@dataclass(frozen=True)
class AttachmentFile:
    """An attachment as handed to a person who may open it (a download, the dossier)."""

    case_id: str
    seq: int
    name: str
    media_type: str
    content: bytes
    sha256: str

    @property
    def download_name(self) -> str:
        """The name as given, with the extension its content has."""
        extension = EXTENSIONS[self.media_type]
        return self.name if self.name.lower().endswith(extension) else self.name + extension


def allowed_kinds() -> str:
    return ", ".join(KINDS.values())


def size_shown(value: int) -> str:
    """A file's size as a person reads it: 312 kB, 2,4 MB."""
    if value < 1_000_000:
        return f"{max(1, round(value / 1000))} kB"
    return f"{value / 1_000_000:.1f} MB".replace(".", ",")


def file_name(value: str) -> str:
    """The name as shown and downloaded: no folders, no hidden characters, not too long."""
    name = value.replace("\\", "/").rsplit("/", 1)[-1].strip()
    if not name:
        raise InputError("bestand", "kies een bestand om toe te voegen")
    if "\n" in name or "\r" in name:  # shown in headings and lists: a line break would start a line of its own
        raise InputError("bestand", "een bestandsnaam is één regel; geef het bestand een naam zonder regeleinde")
    return check_text("bestand", name, NAME_LIMIT, "bestandsnaam")


def media_type(content: bytes) -> str:
    """The type of a file by its content; anything not on the list is refused, by name."""
    if not content:
        raise InputError("bestand", "het bestand is leeg")
    if len(content) > MAX_BYTES:
        raise InputError(
            "bestand",
            f"het bestand is te groot ({_megabytes(len(content))}; ten hoogste {_megabytes(MAX_BYTES)})",
        )
    if content.startswith(b"%PDF-"):
        return "application/pdf"
    if content.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if content.startswith(b"\x1aE\xdf\xa3") and b"webm" in content[:64]:  # EBML header, DocType webm
        return _audio("audio/webm", content)
    if content.startswith(b"OggS") and b"OpusHead" in content[:64]:  # an Ogg page carrying Opus
        return _audio("audio/ogg", content)
    if content.startswith(b"PK\x03\x04"):
        found = _office_document(content)
        if found:
            return found
    elif _plain_text(content):
        return "text/plain"
    raise InputError("bestand", f"dit soort bestand kan niet worden toegevoegd; toegestaan zijn: {allowed_kinds()}")


def _audio(kind: str, content: bytes) -> str:
    if len(content) > MAX_AUDIO_BYTES:
        raise InputError(
            "bestand",
            f"de opname is te lang ({_megabytes(len(content))}; ten hoogste {_megabytes(MAX_AUDIO_BYTES)}, zo'n tien minuten)",
        )
    return kind


def is_audio(kind: str) -> bool:
    return kind in AUDIO


def sha256(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def _plain_text(content: bytes) -> bool:
    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return "\x00" not in text


def _office_document(content: bytes) -> str | None:
    """A .docx or .odt: a ZIP whose own table says what it is (never unpacked further)."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            names = set(archive.namelist())
            if "mimetype" in names:
                info = archive.getinfo("mimetype")
                if info.file_size < 100 and archive.read(info).strip() == b"application/vnd.oasis.opendocument.text":
                    return "application/vnd.oasis.opendocument.text"
            if "[Content_Types].xml" in names and "word/document.xml" in names:
                return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
    except (zipfile.BadZipFile, OSError, ValueError):
        return None
    return None


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB".replace(".", ",")
