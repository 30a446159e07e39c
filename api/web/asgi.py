"""The web application for a server process that uvicorn starts itself (``trede serve
--processes N``): each process wires its own application from the environment."""

from __future__ import annotations

import gc

from api.bootstrap import bootstrap
from api.web import served_app
from api.web.hot import HotRoutes


def application() -> HotRoutes:
    """uvicorn's factory: the database comes from TREDE_DATABASE_URL, set by ``trede serve``."""
    web = served_app(bootstrap())
    settle_heap()
    return web


def settle_heap() -> None:
    """Before a server process answers: what was built to start it (modules, the application,
    its routes and models) is kept out of the garbage collector's full collections. Under load
    the requests in flight outlive the young generations, so full collections come every second
    or so; each walked the whole heap (100-300 ms measured with 32 requests in flight on the
    benchmark machine: the fire's p99). Frozen, a full collection walks only what came since."""
    gc.collect()
    gc.freeze()
