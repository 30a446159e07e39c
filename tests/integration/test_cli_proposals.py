"""trede protocol test / propose / approve / reject / proposals from the command line."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from typer.testing import CliRunner

from api.cli import app
from engine.terms import AMSTERDAM
from tests.conftest import PROEF
from tests.integration.test_cli import PASSWORD, Cli, cli  # noqa: F401  (the fixture)

runner = CliRunner()
BUNDLED = sorted((Path(__file__).parents[2] / "protocols").glob("*.yaml"))
SCENARIO = """
proefscenarios:
  - naam: Begint bij de melding
    gegeven: zaak geopend op 2026-03-02 door leerkracht voor leerling L1 in groep 5
    als:
      - leerkracht doet melden met ernst="licht" op 2026-03-02 om 10:00
    dan:
      - zaak staat in stap STAP
"""


def test_the_bundled_protocols_pass_their_own_scenarios() -> None:
    result = runner.invoke(app, ["protocol", "test", *map(str, BUNDLED)])
    assert result.exit_code == 0, result.output
    assert "grensoverschrijdend-gedrag versie" in result.stdout and "3 van 3 proefscenario's geslaagd" in result.stdout
    assert "meldcode-hgkm versie" in result.stdout and "2 van 2 proefscenario's geslaagd" in result.stdout
    assert "MISLUKT" not in result.stdout


def _with_scenario(tmp_path: Path, step: str) -> Path:
    text = PROEF.read_text(encoding="utf-8")
    path = tmp_path / "proef.yaml"
    path.write_text(text + SCENARIO.replace("STAP", step), encoding="utf-8")
    return path


def test_a_passing_scenario_and_its_agenda(tmp_path: Path) -> None:
    path = _with_scenario(tmp_path, "onderzoek")
    result = runner.invoke(app, ["protocol", "test", str(path), "--agenda", "--tot", "2026-04-01"])
    assert result.exit_code == 0, result.output
    assert "Proefscenario 'Begint bij de melding': geslaagd" in result.stdout
    assert "✓ zaak staat in stap onderzoek" in result.stdout
    assert "datum       rol" in result.stdout and "Ouders geïnformeerd" in result.stdout


def test_a_failing_scenario_exits_non_zero_with_a_dutch_report(tmp_path: Path) -> None:
    path = _with_scenario(tmp_path, "melding")
    result = runner.invoke(app, ["protocol", "test", str(path)])
    assert result.exit_code == 3, result.output
    assert "Proefscenario 'Begint bij de melding': MISLUKT" in result.stdout
    assert "✗ zaak staat in stap melding: de zaak staat in stap onderzoek" in result.stdout


def test_a_scenario_line_outside_the_language_is_refused_at_its_line(tmp_path: Path) -> None:
    path = _with_scenario(tmp_path, "onderzoek")
    path.write_text(path.read_text(encoding="utf-8").replace("zaak staat in stap onderzoek", "de zaak is in onderzoek"))
    result = runner.invoke(app, ["protocol", "test", str(path)])
    assert result.exit_code == 3
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "de zaak is in onderzoek" in text)
    assert f"{path}:{line}:" in result.stderr and "kan 'de zaak is in onderzoek' niet lezen" in result.stderr
    assert "zaak staat in stap stap" in result.stderr  # the forms it does know


def test_propose_and_approve_from_the_command_line(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    for name in ("eig1", "eig2"):
        cli("users", "add", name, "--name", name, "--board", "b", "--role", "protocol_eigenaar", "--password", PASSWORD)
    changed = tmp_path / "proef.yaml"
    changed.write_text(PROEF.read_text(encoding="utf-8").replace("title: Proefprotocol escalatie", "title: Herzien"))
    proposed = cli("protocol", "propose", str(changed), "--actor", "eig1")
    assert proposed["status"] == "voorgesteld" and proposed["vergeleken_met"] == "proef-escalatie versie 1"
    refused = cli("protocol", "approve", proposed["id"], "--actor", "eig1", code=6)
    assert "vier ogen" in str(refused)
    approved = cli("protocol", "approve", proposed["id"], "--actor", "eig2")
    assert approved["status"] == "gepubliceerd" and approved["versie"] == 2
    assert [s["wat"] for s in cli("protocol", "proposals", "--actor", "eig1")[0]["stappen"]] == [
        "voorgesteld", "goedgekeurd", "gepubliceerd",
    ]
    assert [p["version"] for p in cli("protocol", "list")] == [1, 2]


def test_withdraw_lapse_and_a_far_effective_date_from_the_command_line(cli: Cli, tmp_path: Path) -> None:  # noqa: F811
    for name in ("eig1", "eig2"):
        cli("users", "add", name, "--name", name, "--board", "b", "--role", "protocol_eigenaar", "--password", PASSWORD)
    changed = tmp_path / "proef.yaml"
    changed.write_text(PROEF.read_text(encoding="utf-8").replace("title: Proefprotocol escalatie", "title: Herzien"))
    proposed = cli("protocol", "propose", str(changed), "--actor", "eig1")
    assert proposed["basisversie"] == 1
    today = datetime.now(AMSTERDAM).date()
    far = cli("protocol", "approve", proposed["id"], "--actor", "eig2", "--per", (today + timedelta(days=400)).isoformat(), code=7)
    assert "meer dan een jaar vooruit" in str(far)
    approved = cli("protocol", "approve", proposed["id"], "--actor", "eig2", "--per", (today + timedelta(days=7)).isoformat())
    assert approved["status"] == "goedgekeurd"
    withdrawn = cli("protocol", "withdraw", proposed["id"], "--actor", "eig1", "--reden", "Eerst de MR horen")
    assert (withdrawn["status"], withdrawn["reden"]) == ("ingetrokken", "Eerst de MR horen")
    assert [s["wat"] for s in withdrawn["stappen"]] == ["voorgesteld", "goedgekeurd", "ingetrokken"]
    # proposed again, then overtaken by a version the board loads itself
    again = cli("protocol", "propose", str(changed), "--actor", "eig1")
    newer = tmp_path / "bestuur.yaml"
    newer.write_text(PROEF.read_text(encoding="utf-8").replace("title: Proefprotocol escalatie", "title: Bestuur"))
    cli("protocol", "load", str(newer))
    lapsed = cli("protocol", "approve", again["id"], "--actor", "eig2", code=8)
    assert "op basis van versie 2" in str(lapsed)
    assert cli("protocol", "proposals", "--actor", "eig1")[0]["status"] == "vervallen"
