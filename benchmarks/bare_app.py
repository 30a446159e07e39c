"""The framework's floor: a bare FastAPI application with one sync and one async JSON route,
served by benchmarks/http_load.py on the same uvicorn stack as ``trede serve`` (uvloop,
httptools, no access log, proxy headers), so every run prints trede's rate next to it.

    .venv/bin/python -m uvicorn benchmarks.bare_app:app --loop uvloop --http httptools
"""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI

app = FastAPI()


@app.get("/sync")
def bare_sync() -> dict[str, Any]:
    return {"status": "ok", "protocols": 1}


@app.get("/async")
async def bare_async() -> dict[str, Any]:
    return {"status": "ok", "protocols": 1}
