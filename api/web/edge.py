"""What every request meets before a route: the body limit and the refusal of NUL, and the
security headers on every answer. Pure ASGI: they cost next to nothing per request. The hot
REST addresses (api/web/hot.py), answered in front of FastAPI, apply the same rules from here."""

from __future__ import annotations

import json
import re
from html import escape

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from engine.attachments import MAX_AUDIO_BYTES, MAX_BYTES

BODY_LIMIT = 2_000_000  # bytes; a protocol upload is at most 1 MB (protocol_pages.UPLOAD_LIMIT)
# An attachment is a file of at most engine.attachments.MAX_BYTES, with a few form fields.
UPLOAD_LIMIT = MAX_BYTES + 200_000
UPLOAD_PATHS = re.compile(r"^/(zaken/[^/]+/bijlagen|api/v1/cases/[^/]+/attachments|leerlingen/import|scholen/[^/]+/logo)$")
# The public meldpunt's report form may carry a voice message (engine.attachments.MAX_AUDIO_BYTES).
VOICE_LIMIT = MAX_AUDIO_BYTES + 200_000
VOICE_PATHS = re.compile(r"^/melden/(?!volgen$)[^/]+$")
DOCS = "/api/v1/docs"

# Sent with every response: HTML, JSON, CSV, PDF and ICS alike.
SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-store",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Content-Security-Policy": "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
    "frame-ancestors 'none'; form-action 'self'; worker-src 'self'; manifest-src 'self'",
}
# The API documentation page starts Swagger UI (served from this site) with an inline script.
DOCS_CSP = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; " \
    "img-src 'self' data:; frame-ancestors 'none'"
HSTS = "max-age=31536000; includeSubDomains"

NOT_UTF8_JSON = (
    "De inhoud van het verzoek is geen geldige JSON in UTF-8 (RFC 8259). Stuur een JSON-object, "
    "gecodeerd als UTF-8, met Content-Type: application/json."
)


class SecurityHeaders:
    """Adds the security headers to every response (HSTS over https), unless a route set its own."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        docs = scope.get("path") == DOCS
        encoded = security_headers(scope)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = message.get("headers", [])
                present = {k.lower() for k, _ in headers}
                added = [(k, v) for k, v in encoded if k not in present or (docs and k == b"content-security-policy")]
                kept = [(k, v) for k, v in headers if not (docs and k.lower() == b"content-security-policy")]
                message = {**message, "headers": kept + added}
            await send(message)

        await self.app(scope, receive, with_headers)


def _encoded_headers(docs: bool, https: bool) -> list[tuple[bytes, bytes]]:
    extra = dict(SECURITY_HEADERS)
    if docs:
        extra["Content-Security-Policy"] = DOCS_CSP
    if https:
        extra["Strict-Transport-Security"] = HSTS
    return [(k.lower().encode(), v.encode()) for k, v in extra.items()]


# encoded once: (the documentation page?, over https?) -> the headers to add
_ENCODED_HEADERS = {(d, h): _encoded_headers(d, h) for d in (False, True) for h in (False, True)}


def security_headers(scope: Scope) -> list[tuple[bytes, bytes]]:
    """The security headers an answer to this request carries (encoded once, not per request)."""
    return _ENCODED_HEADERS[(scope.get("path") == DOCS, scope.get("scheme") == "https")]


def url_refused(scope: Scope) -> bool:
    """Whether the address carries a NUL character, raw or percent-encoded."""
    url = (scope.get("raw_path") or b"") + b"?" + (scope.get("query_string") or b"")
    return any(_nul(url, b"%00"))


def body_refusal(kind: bytes, body: bytes, *, files: bool = False) -> tuple[int, bytes, str] | None:
    """Why a whole request body of this content type is refused: (status, code, the Dutch
    words); None when it is not. ``files``: a file upload, whose file holds any byte (its text
    fields are checked by the engine). ``kind`` is compared case-insensitively, as a media
    type is (RFC 9110 §8.3.1) and as FastAPI reads it."""
    kind = kind.lower()
    if b"json" in kind and body and (not _utf8_text(body) or _lone_surrogate(body)):
        return 400, b"invalid_json", NOT_UTF8_JSON
    markers = [] if files else [b"\x00", b"%00" if b"urlencoded" in kind else b"\x00", b"\\u0000" if b"json" in kind else b"\x00"]
    if any(m in body.lower() for m in markers):
        return 422, b"invalid_input", NUL_REFUSED
    return None


class BodyLimit:
    """Refuses a request body over BODY_LIMIT with 413, counted as it arrives (a missing or
    false Content-Length does not get past it), and any request carrying a NUL character:
    no text a person types holds one, and PostgreSQL cannot store it."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers: dict[bytes, bytes] = {}
        for key, value in scope.get("headers") or ():
            headers.setdefault(key.lower(), value)  # the first of a repeated header, as Starlette reads it
        declared = headers.get(b"content-length")
        api = str(scope.get("path", "")).startswith("/api/")
        upload = scope.get("method") == "POST" and bool(UPLOAD_PATHS.match(scope.get("path", "")))
        voice = scope.get("method") == "POST" and bool(VOICE_PATHS.match(scope.get("path", "")))
        limit = UPLOAD_LIMIT if upload else VOICE_LIMIT if voice else BODY_LIMIT
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            await _too_large(scope, send, limit)
            return
        if url_refused(scope):
            await _refuse(send, 422, b"invalid_input", NUL_REFUSED, html=not api)
            return
        kind = headers.get(b"content-type", b"")
        # Read the whole (bounded) body first, so that a refusal is a clear answer and not
        # a parse error half-way through the application.
        gathered, more = bytearray(), True  # extended in place: many small parts cost linear time
        while more:
            message = await receive()
            if message["type"] != "http.request":
                break
            gathered += message.get("body", b"")
            if len(gathered) > limit:
                await _too_large(scope, send, limit)
                return
            more = bool(message.get("more_body", False))
        body = bytes(gathered)
        refused = body_refusal(kind, body, files=upload or (voice and b"multipart/form-data" in kind))
        if refused is not None:
            await _refuse(send, refused[0], refused[1], refused[2], html=not api)
            return
        replayed = False

        async def limited() -> Message:
            nonlocal replayed
            if not replayed:
                replayed = True
                return {"type": "http.request", "body": body, "more_body": False}
            return await receive()

        await self.app(scope, limited, send)


ERROR_PAGE = (
    '<!doctype html><html lang="nl"><head><meta charset="utf-8"><title>Niet verwerkt — trede</title>'
    '<meta name="viewport" content="width=device-width, initial-scale=1"></head>'
    "<body><main><h1>Niet verwerkt</h1><p>{detail}</p>"
    "<p>Ga met de terugknop van uw browser terug naar het formulier; wat u typte staat daar meestal nog. "
    '<a href="/">Naar de startpagina</a></p>'
    "</main></body></html>"
)


def _utf8_text(body: bytes) -> bool:
    """UTF-8 without a NUL byte: a JSON text in UTF-16 or UTF-32 holds NUL bytes (RFC 8259 §8.1)."""
    if b"\x00" in body:
        return False
    try:
        body.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


# Half of a UTF-16 pair, escaped in a JSON string: Python's parser (FastAPI's) gives a string
# that no encoder writes (the hot routes' parser refuses it; RFC 8259 §8.2: unpredictable).
_LONE_SURROGATE = re.compile(
    rb"\\u[dD][89abAB][0-9a-fA-F]{2}(?!\\u[dD][c-fC-F][0-9a-fA-F]{2})"
    rb"|(?<!\\u[dD][89abAB][0-9a-fA-F]{2})\\u[dD][c-fC-F][0-9a-fA-F]{2}"
)


def _lone_surrogate(body: bytes) -> bool:
    return b"\\u" in body and _LONE_SURROGATE.search(body) is not None


def _nul(url: bytes, marker: bytes) -> list[bool]:
    return [b"\x00" in url, marker in url.lower()]


async def _too_large(scope: Scope, send: Send, limit: int) -> None:
    megabytes = f"{limit / 1_000_000:.0f}"
    detail = (
        f"Wat u verstuurde is te groot (ten hoogste {megabytes} MB). Maak de tekst korter of het bestand "
        "kleiner (bijvoorbeeld een scan in lagere resolutie) en probeer het opnieuw."
    )
    await _refuse(send, 413, b"too_large", detail, html=not str(scope.get("path", "")).startswith("/api/"))


NUL_REFUSED = "De invoer bevat een NUL-teken (een onzichtbaar teken dat geen tekst is); haal het weg en probeer opnieuw."


async def _refuse(send: Send, status: int, code: bytes, detail: str, *, html: bool = False) -> None:
    """An answer before the application has seen the request: problem+json for the API, a
    short Dutch page for a person (the application's own pages are not reachable here)."""
    if html:
        body = ERROR_PAGE.format(detail=escape(detail)).encode("utf-8")
        kind = b"text/html; charset=utf-8"
    else:
        body = (
            b'{"type":"https://trede.nl/fouten/' + code + b'","title":"' + code + b'","status":'
            + str(status).encode() + b',"detail":' + json.dumps(detail).encode() + b"}"
        )
        kind = b"application/problem+json"
    await send(
        {
            "type": "http.response.start",
            "status": status,
            "headers": [
                (b"content-type", kind),
                (b"content-length", str(len(body)).encode()),
                *((k.lower().encode(), v.encode()) for k, v in SECURITY_HEADERS.items()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": body})
