"""The architecture holds: the engine knows no web or database framework and no routes;
the edges never open a unit of work and never mask anything themselves."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[2]


def sources(folder: str) -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in (ROOT / folder).rglob("*.py")}


def test_the_engine_imports_no_framework_and_names_no_route() -> None:
    for path, text in sources("engine").items():
        assert not re.search(r"^\s*(from|import) (fastapi|starlette|sqlalchemy|sqlmodel|jinja2|typer|uvicorn|argon2|pyotp)", text, re.M), path
        assert not re.search(r"['\"]/(zaken|api|audit|privacy|rapportages|agenda|protocollen)\b", text), path


def test_the_edges_open_no_unit_of_work_and_mask_nothing() -> None:
    for path, text in sources("api").items():
        assert not re.search(r"\buow\s*\(|\.uow\b|UnitOfWork\b", text) or path.name == "bootstrap.py", path
        assert "HIDDEN" not in text and "afgeschermd" not in text, path
        assert "can_view" not in text and "case_roles" not in text, path


def test_the_edges_know_who_is_asking_through_the_engine_only() -> None:
    accounts = r"adapters\.sql\.(accounts|users|sessions|tokens|identities|login_attempts|notifications)\b"
    for path, text in sources("api").items():
        assert not re.search(accounts, text) or path.name == "bootstrap.py", path
    assert not (ROOT / "adapters" / "sql" / "accounts.py").exists()
