"""The web application for a server process that uvicorn starts itself (``trede serve
--processes N``): each process wires its own application from the environment."""

from __future__ import annotations

from fastapi import FastAPI

from api.bootstrap import bootstrap
from api.web import create_app


def application() -> FastAPI:
    """uvicorn's factory: the database comes from TREDE_DATABASE_URL, set by ``trede serve``."""
    return create_app(bootstrap())
