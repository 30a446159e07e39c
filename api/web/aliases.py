"""Addresses people type from habit: the English ``/login`` and ``/logout`` lead to the Dutch
pages. Not part of the API document; the login pages themselves are in api/web/login_pages.py."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from api.web.responses import safe_next

router = APIRouter(include_in_schema=False)


@router.api_route("/login", methods=["GET", "HEAD"])
def login(request: Request) -> Response:
    """To the login page, keeping where to go next (within this site only)."""
    target = request.query_params.get("next")
    query = f"?next={quote(safe_next(target), safe='/')}" if target else ""
    return RedirectResponse(f"/inloggen{query}", status_code=303)


@router.api_route("/logout", methods=["GET", "HEAD"])
def logout() -> Response:
    """Logging out changes something, so a link must not do it (another site could link to
    it): to the start page, whose Uitloggen button does (or to the login page, when the
    visitor is not logged in)."""
    return RedirectResponse("/", status_code=303)

