"""Pages for the privacy officer (and the auditor): who opened which case, when."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse, Response

from api.web.render import page
from api.web.security import Forbidden, Visitor, accounts_of, visitor

router = APIRouter(prefix="/privacy")
Me = Annotated[Visitor, Depends(visitor)]


@router.get("/toegang", response_class=HTMLResponse)
def access_log(request: Request, me: Me, zaak: str = "") -> Response:
    if not me.principal.reads_access_log():
        raise Forbidden("Alleen de privacyfunctionaris en de auditor zien wie welke zaak opende.")
    entries = accounts_of(request).access_log(me.principal.access_log_schools(), zaak.strip() or None)
    return page(request, "access_log.html", {"entries": entries, "zaak": zaak}, visitor=me, title="Toegangslog")
