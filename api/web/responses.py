"""What a page sets on its response besides the page: private cookies, and where to go on to."""

from __future__ import annotations

from fastapi.responses import Response


def private_cookie(response: Response, name: str, value: str, max_age: int | None = None) -> None:
    response.set_cookie(name, value, httponly=True, secure=True, samesite="strict", max_age=max_age, path="/")


def safe_next(target: str) -> str:
    """Only redirect within this site."""
    return target if target.startswith("/") and not target.startswith("//") and "\\" not in target else "/"
