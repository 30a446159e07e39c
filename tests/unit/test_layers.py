"""The architecture holds: the engine knows no web or database framework and no routes;
the edges never open a unit of work and never mask anything themselves."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).parents[2]


def sources(folder: str) -> dict[Path, str]:
    return {p: p.read_text(encoding="utf-8") for p in (ROOT / folder).rglob("*.py")}


def test_production_code_never_uses_the_test_doubles() -> None:
    """The in-memory unit of work (tests/memory.py) and the other fakes serve the tests only."""
    for folder in ("engine", "adapters", "api"):
        for path, text in sources(folder).items():
            assert not re.search(r"^\s*(from|import) tests\b", text, re.M), path


def test_the_engine_imports_no_framework_and_names_no_route() -> None:
    for path, text in sources("engine").items():
        assert not re.search(r"^\s*(from|import) (fastapi|starlette|sqlalchemy|sqlmodel|jinja2|typer|uvicorn|argon2|pyotp)", text, re.M), path
        assert not re.search(r"['\"]/(zaken|api|audit|privacy|rapportages|agenda|protocollen)\b", text), path


def test_the_edges_open_no_unit_of_work_and_mask_nothing() -> None:
    for path, text in sources("api").items():
        assert not re.search(r"\buow\s*\(|\.uow\b|UnitOfWork\b", text) or path.name == "bootstrap.py", path
        assert "HIDDEN" not in text and "afgeschermd" not in text, path
        assert "can_view" not in text and "case_roles" not in text, path


def test_only_the_composition_root_imports_the_sql_adapters() -> None:
    """The edges reach the database through the engine's ports or api/bootstrap.py, so that
    the storage can change without the pages and the command line noticing."""
    sql_import = re.compile(r"^\s*(from adapters\.sql\b|import adapters\.sql\b|from adapters import .*\bsql\b)", re.M)
    offenders = {
        path.relative_to(ROOT).as_posix()
        for path, text in sources("api").items()
        if path.relative_to(ROOT).as_posix() != "api/bootstrap.py" and sql_import.search(text)
    }
    assert offenders == set(), sorted(offenders)
    assert not (ROOT / "adapters" / "sql" / "accounts.py").exists()


def test_no_step_definition_is_collected_as_a_test() -> None:
    """pytest collects a step function named test_*: it then fails for want of its arguments."""
    steps = (Path(__file__).parents[1] / "test_features.py").read_text(encoding="utf-8")
    assert not re.findall(r"^def (test_\w+)", steps, re.M)
