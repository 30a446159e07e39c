"""What a page sets on its response besides the page: private cookies, and where to go on to."""

from __future__ import annotations

from typing import Any

import orjson
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response

JSON_OPTIONS = orjson.OPT_NON_STR_KEYS


def json_answer(content: Any, status_code: int = 200) -> Response:
    """A JSON answer serialised once, here, by orjson: returned as a Response, FastAPI neither
    validates the value against the route's declared type in another trip to the thread pool
    nor encodes it a second time. The declared type (``response_model``) still documents it."""
    body = orjson.dumps(content, default=jsonable_encoder, option=JSON_OPTIONS)
    return Response(body, status_code=status_code, media_type="application/json")


def private_cookie(response: Response, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(name, value, httponly=True, secure=True, samesite="strict", max_age=max_age, path="/")


def safe_next(target: str) -> str:
    """Only redirect within this site."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"
