"""Issue 26, items 5 and 6, without a database: how a term's day is explained, and how
dev.py decides what to install (serving or developing) and which options reach the demo."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import pytest

from adapters.protocol_files import BUNDLED
from engine.case import Deadline, DeadlineStatus
from engine.protocol.loader import load_protocol_file
from engine.views import term_text

ROOT = Path(__file__).parents[2]
MELDCODE = load_protocol_file(BUNDLED / "meldcode-hgkm.yaml")


def deadline(**fields: object) -> Deadline:
    base: dict[str, object] = {
        "key": "evaluatie_hulp@9",
        "id": "evaluatie_hulp",
        "kind": "timer",
        "step": "hulp",
        "label": "Resultaten van de hulp beoordelen",
        "status": DeadlineStatus.WAITING,
        "basis": "Bijlage 27",
        "rule": "kalender",
        "duration": "0 dagen",
        "start": "evaluatiedatum",
    }
    return Deadline(**{**base, **fields})  # type: ignore[arg-type]


def test_a_term_of_zero_days_falls_on_the_day_it_starts_from() -> None:
    waiting = term_text(deadline(), MELDCODE)
    assert waiting == "op de dag van afgesproken datum om de resultaten van de hulp te beoordelen"
    known = term_text(deadline(status=DeadlineStatus.OPEN, start_date="2026-03-03", due_date="2026-03-03"), MELDCODE)
    assert known == "op de dag van 3 maart 2026"
    statutory = term_text(deadline(rule="atw", start_date="2026-03-03"), MELDCODE)
    assert statutory == "op de dag van 3 maart 2026, volgens de Algemene termijnenwet"


def test_other_terms_read_as_before() -> None:
    assert term_text(deadline(duration="5 werkdagen", start="binnenkomst"), MELDCODE) == (
        "5 werkdagen na binnenkomst in de stap, kalenderdagen"
    )
    assert term_text(deadline(duration="1 week", rule="maatregel", start_date="2026-03-02"), MELDCODE) == (
        "1 week vanaf 2 maart 2026, duur van de maatregel, de eerste dag telt mee"
    )


# --- dev.py -----------------------------------------------------------------------------


@pytest.fixture
def dev(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> tuple[ModuleType, list[str]]:
    """dev.py with its .venv in tmp_path (already made, with pip) and pip recorded, not run."""
    spec = importlib.util.spec_from_file_location("dev_under_test", ROOT / "dev.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    venv = tmp_path / ".venv"
    bin_dir = venv / "bin"
    bin_dir.mkdir(parents=True)
    for name in ("python", "pip"):
        (bin_dir / name).write_text("", encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'trede'\n", encoding="utf-8")
    installs: list[str] = []
    monkeypatch.setattr(module, "ROOT", tmp_path)
    monkeypatch.setattr(module, "VENV", venv)
    monkeypatch.setattr(module, "BIN", bin_dir)
    monkeypatch.setattr(module, "PY", bin_dir / "python")
    monkeypatch.setattr(module, "STAMPS", {module.SERVE: venv / ".installed-serve", module.DEV: venv / ".installed-dev"})
    monkeypatch.setattr(module, "LEGACY_STAMP", venv / ".installed")
    monkeypatch.setattr(module, "sh", lambda *args, **kwargs: installs.append(" ".join(str(a) for a in args[3:])))
    return module, installs


def test_run_installs_only_what_serving_needs_and_test_adds_the_development_tools(
    dev: tuple[ModuleType, list[str]], tmp_path: Path
) -> None:
    module, installs = dev
    module.setup(module.SERVE)
    assert installs == ["install --quiet -e ."]
    module.setup(module.SERVE)  # a second run installs nothing
    module.setup(module.DEV)
    assert installs == ["install --quiet -e .", "install --quiet -e .[dev]"]
    module.setup(module.SERVE)  # a run after a test install: nothing (the [dev] install holds it all)
    module.setup(module.DEV)
    assert len(installs) == 2
    # a changed pyproject.toml: run installs what serving needs, test then the rest
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'trede'\nversion = '2'\n", encoding="utf-8")
    module.setup(module.SERVE)
    module.setup(module.SERVE)
    module.setup(module.DEV)
    module.setup(module.SERVE)
    assert installs[2:] == ["install --quiet -e .", "install --quiet -e .[dev]"]


def test_a_venv_from_before_counts_as_a_development_install(dev: tuple[ModuleType, list[str]], tmp_path: Path) -> None:
    module, installs = dev
    (tmp_path / ".venv" / ".installed").write_text((tmp_path / "pyproject.toml").read_text(), encoding="utf-8")
    module.setup(module.DEV)
    module.setup(module.SERVE)
    assert installs == []


@pytest.mark.parametrize(
    ("options", "to_the_demo"),
    [
        (["--port", "8123"], ["--port", "8123"]),
        (["--port=8123", "--no-worker"], ["--port=8123"]),
        (["--host", "0.0.0.0", "--processes", "2", "--port", "9000"], ["--host", "0.0.0.0", "--port", "9000"]),
        (["--no-worker"], []),
    ],
)
def test_run_gives_the_demo_the_address_it_serves(options: list[str], to_the_demo: list[str]) -> None:
    spec = importlib.util.spec_from_file_location("dev_options", ROOT / "dev.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module.address_options(options) == to_the_demo
