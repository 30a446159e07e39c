"""What a page sets on its response besides the page: private cookies, and where to go on to."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any, TypeVar

import orjson
from fastapi.encoders import jsonable_encoder
from fastapi.responses import Response

from engine.commits import Pending

JSON_OPTIONS = orjson.OPT_NON_STR_KEYS
T = TypeVar("T")


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


async def durable(pending: Pending[T]) -> T:
    """The answer of a write handed to the group commit, once its commit is durable: the
    event loop awaits it, no thread of the pool waits on it. Its error is raised here."""
    loop = asyncio.get_running_loop()
    committed = loop.create_future()

    def settle() -> None:  # in the writer's thread
        with contextlib.suppress(RuntimeError):  # the loop has closed (the server stopped): nobody waits
            loop.call_soon_threadsafe(_set_done, committed)

    pending.when_done(settle)
    await committed
    return pending.result()  # settled: does not wait


def _set_done(future: asyncio.Future[None]) -> None:
    if not future.done():  # a request whose client went away was cancelled; the write stands
        future.set_result(None)
