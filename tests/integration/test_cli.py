"""The trede command line against a real database: JSON output, exit codes, no tracebacks."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from api.cli import app
from engine.errors import PermissionDenied, ProtocolError, SandboxRequired
from tests.conftest import PROEF

runner = CliRunner()


class Cli:
    def __init__(self, url: str) -> None:
        self.url = url

    def __call__(self, *args: str, code: int = 0) -> Any:
        result = runner.invoke(app, ["--db", self.url, "--json", *args])
        assert result.exit_code == code, result.output
        assert "Traceback" not in result.output
        return json.loads(result.stdout) if result.stdout.strip() else None


PASSWORD = "een-lang-wachtwoord"


def people(cli: Cli) -> None:
    """Schools and the people who act at the command line: it obeys the same access rules."""
    for school in ("de-linde", "s"):
        cli("users", "school", school, "--name", school, "--board", "b")
    for username, *roles in (
        ("juf", "leerkracht@de-linde", "leerkracht@s"),
        ("ib", "intern_begeleider@de-linde", "intern_begeleider@s"),
        ("dir", "directeur@de-linde"),
        ("x", "directeur@s"),
        ("privacy", "privacyfunctionaris@de-linde"),
        ("audit", "auditor"),
    ):
        cli("users", "add", username, "--name", username, "--board", "b", *[a for r in roles for a in ("--role", r)], "--password", PASSWORD)


@pytest.fixture
def cli(db_url: str) -> Cli:
    cli = Cli(db_url)
    cli("db", "init", "--sandbox")
    cli("protocol", "load", str(PROEF))
    people(cli)
    return cli


def test_a_case_from_the_command_line(cli: Cli) -> None:
    assert [p["id"] for p in cli("protocol", "list")] == ["proef-escalatie"]
    opened = cli(
        "case",
        "open",
        "proef-escalatie",
        "--school",
        "de-linde",
        "--subject",
        "Leerling-K3",
        "--actor",
        "juf",
        "--effective",
        "2026-03-02",
    )
    case_id = opened["id"]
    fired = cli("case", "fire", case_id, "melden", "--actor", "juf", "--role", "leerkracht", "--input", "ernst=licht")
    assert fired["step"] == "onderzoek"
    shown = cli("case", "show", case_id, "--actor", "ib", "--role", "intern_begeleider")
    assert [a["trigger"] for a in shown["actions"]] == ["onderzoek_afronden"]
    assert {d["id"] for d in shown["deadlines"].values()} == {"onderzoek_termijn", "ouders_geinformeerd"}
    deadline = next(d for d in shown["deadlines"].values() if d["id"] == "onderzoek_termijn")
    assert deadline["rule"] == "kalender" and deadline["basis"] == "proef §2 lid 3" and deadline["due_date"]
    replay = cli("audit", "replay", case_id, "--actor", "audit")
    assert [s["event"]["seq"] for s in replay] == [1, 2]
    assert replay[1]["before"]["step"] == "melding" and replay[1]["after"]["step"] == "onderzoek"
    assert cli("audit", "verify", "--all")["ok"] is True
    fired = cli("timers", "run", "--until", "2099-01-01")["fired"]
    assert {f["deadline"].split("@")[0] for f in fired} == {"onderzoek_termijn", "ouders_geinformeerd"}


def test_errors_carry_their_fields_and_exit_code(cli: Cli) -> None:
    case_id = cli("case", "open", "proef-escalatie", "--school", "s", "--subject", "Leerling-A", "--actor", "juf")["id"]
    error = cli(
        "case", "fire", case_id, "melden", "--actor", "x", "--role", "directeur", code=PermissionDenied.exit_code
    )
    assert error["error"] == "permission_denied" and error["allowed_roles"] == ["Leerkracht", "Intern begeleider"]
    assert error["reason"] == "not_your_role" and error["message"] == (
        "Alleen de leerkracht of de intern begeleider mag de actie ‘Melding vastleggen’ uitvoeren; u werkt hier als "
        "directeur. Vraag een van hen om dit te doen."
    )
    error = cli("case", "fire", case_id, "melden", "--actor", "juf", "--role", "leerkracht", "--input", "ernst", code=7)
    assert error["field"] == "input"
    error = cli("case", "show", "nope", "--actor", "juf", code=4)
    assert error["error"] == "case_not_found"
    # the command line obeys the access rules: another school's case does not exist for you
    elsewhere = cli("case", "open", "proef-escalatie", "--school", "de-linde", "--subject", "L-B", "--actor", "juf")["id"]
    assert cli("case", "show", elsewhere, "--actor", "x", code=4)["error"] == "case_not_found"
    assert cli("case", "show", elsewhere, "--actor", "niemand", code=7)["field"] == "actor"
    error = cli("case", "open", "proef-escalatie", "--school", "bestaat-niet", "--subject", "L", "--actor", "juf", code=7)
    assert error["field"] == "school"


def test_validate_reports_file_line_column(cli: Cli, tmp_path: Path) -> None:
    broken = tmp_path / "kapot.yaml"
    broken.write_text(
        PROEF.read_text(encoding="utf-8").replace("to: maatregel\n", "to: maatregl\n", 1), encoding="utf-8"
    )
    result = runner.invoke(app, ["protocol", "validate", str(PROEF), str(broken)])
    assert result.exit_code == ProtocolError.exit_code
    assert f"{broken}:" in result.output and "onbekende stap 'maatregl'" in result.output
    assert "Traceback" not in result.output
    line = next(i for i, text in enumerate(broken.read_text().splitlines(), 1) if "maatregl" in text)
    assert f"{broken}:{line}:" in result.output


def test_simulated_time_is_refused_on_a_normal_database(tmp_path: Path) -> None:
    cli = Cli(f"sqlite:///{tmp_path / 'echt.db'}")
    cli("db", "init")
    assert cli("timers", "run", "--until", "2099-01-01", code=SandboxRequired.exit_code)["error"] == "sandbox_required"


def test_an_uninitialised_database_is_explained(tmp_path: Path) -> None:
    result = runner.invoke(app, ["--db", f"sqlite:///{tmp_path / 'leeg.db'}", "protocol", "list"])
    assert result.exit_code == 10
    assert "trede db init" in result.output


def test_an_unreachable_database_is_explained() -> None:
    result = runner.invoke(app, ["--db", "postgresql://nobody@127.0.0.1:1/trede", "protocol", "list"])
    assert result.exit_code == 10
    assert "Kan de database niet bereiken" in result.output
    assert "Traceback" not in result.output


EXAMPLES = Path(__file__).parents[2] / "docs" / "examples"
BUNDLED_DIR = Path(__file__).parents[2] / "protocols"


def test_a_variant_is_loaded_after_its_base_and_replays_from_the_store(db_url: str) -> None:
    cli = Cli(db_url)
    cli("db", "init")
    people(cli)
    variant = str(EXAMPLES / "gedrag-de-linde.yaml")
    error = cli("protocol", "load", variant, code=3)
    assert "grensoverschrijdend-gedrag versie 5 is niet gevonden" in error["message"]
    cli("protocol", "load", str(BUNDLED_DIR / "grensoverschrijdend-gedrag.yaml"))
    assert cli("protocol", "load", variant)["created"] is True
    case_id = cli(
        "case", "open", "gedrag-de-linde", "--school", "de-linde", "--subject", "Leerling-Ekster", "--actor", "juf"
    )["id"]
    cli(
        "case",
        "fire",
        case_id,
        "time_out_instellen",
        "--actor",
        "ib",
        "--role",
        "intern_begeleider",
        "--input",
        "motivering=duwen",
        "--input",
        "akkoord_directeur=ja",
        "--input",
        "leerling_blijft_op_school=ja",
        "--input",
        "time_out_duur=3 schooldagen",
    )
    shown = cli("case", "show", case_id, "--actor", "ib")  # a fresh process: the variant is resolved from the store
    timer = next(d for d in shown["deadlines"].values() if d["id"] == "einde_time_out")
    assert timer["duration"] == "3 schooldagen"  # a choice the variant offers (the bundled protocol counts dagen)
    assert cli("audit", "verify", case_id)["ok"] is True


def test_schools_users_and_tokens_from_the_command_line(db_url: str) -> None:
    cli = Cli(db_url)
    cli("db", "init")
    cli("users", "school", "de-linde", "--name", "De Linde", "--board", "b", "--region", "noord")
    made = cli(
        "users",
        "add",
        "juf.els",
        "--name",
        "Els",
        "--board",
        "b",
        "--role",
        "leerkracht@de-linde:5a,5b",
        "--role",
        "intern_begeleider@de-linde",
        "--password",
        "een-lang-wachtwoord",
        "--totp",
    )
    assert len(made["totp_secret"]) >= 16
    token = cli("users", "token", "juf.els")["token"]
    assert token.startswith("trd_")
    [listed] = cli("users", "tokens", "juf.els")
    assert listed["status"] == "actief" and listed["expires_at"] and token not in json.dumps(listed)
    assert cli("users", "revoke-token", "juf.els", listed["id"])["revoked"] == listed["id"]
    assert cli("users", "tokens", "juf.els")[0]["status"] == "ingetrokken"
    assert cli("users", "revoke-token", "juf.els", "00000000", code=7)["field"] == "token_id"
    assert (
        cli("users", "add", "x", "--name", "X", "--board", "b", "--role", "leerkracht", "--password", "kort", code=7)[
            "field"
        ]
        == "password"
    )
    assert cli("users", "token", "niemand", code=7)["field"] == "actor"


def test_a_pupil_who_left_has_their_closed_reports_anonymised(db_url: str) -> None:
    from adapters.protocol_files import BUNDLED

    cli = Cli(db_url)
    cli("db", "init", "--sandbox")
    cli("protocol", "load", str(BUNDLED / "grensoverschrijdend-gedrag.yaml"))
    people(cli)
    case_id = cli(
        "case", "open", "grensoverschrijdend-gedrag", "--school", "de-linde", "--subject", "Leerling-Q7", "--actor", "juf"
    )["id"]
    cli("case", "fire", case_id, "afsluiten", "--actor", "juf", "--role", "leerkracht", "--input", "motivering=klaar")
    left = ["pupil", "left", "--school", "de-linde", "--subject", "Leerling-Q7", "--actor", "dir"]
    error = cli(*left, "--on", "17 juli", code=7)
    assert error["field"] == "on"
    # only the directeur or the privacy officer of that school records a departure, also here
    refused = ["pupil", "left", "--school", "de-linde", "--subject", "Leerling-Q7", "--actor", "juf", "--on", "2026-01-05"]
    assert cli(*refused, code=PermissionDenied.exit_code)["error"] == "permission_denied"
    assert cli("timers", "retention")["anonymised"] == []  # nothing recorded by the failed command
    # the sandbox's clock starts now: the departure lies ahead of it, well within the 12 months
    leaves = date.today() + timedelta(days=20)
    assert cli(*left, "--on", leaves.isoformat())["proposed"] is False  # a pseudonym no import proposed
    day_before = f"{leaves - timedelta(days=1)}T23:00"
    assert cli("timers", "retention", "--until", day_before)["anonymised"] == []
    assert cli("timers", "retention", "--until", f"{leaves}T08:00")["anonymised"] == [case_id]
    assert cli("case", "show", case_id, "--actor", "dir")["subject"] != "Leerling-Q7"
    assert cli("audit", "verify", "--all")["ok"] is True


def test_a_directeur_imports_pupils_and_confirms_a_departure_at_the_command_line(cli: Cli, tmp_path: Path) -> None:
    from api.demo import demo_edexml

    cli("users", "add", "juf2", "--name", "Juf Twee", "--board", "b", "--role", "leerkracht@de-linde:5b",
        "--password", PASSWORD, "--email", "Juf2@DeLinde.example")
    export = tmp_path / "EDEX.xml"
    export.write_bytes(demo_edexml({"5a": ["juf"], "5b": []}, 5))
    assert cli("pupil", "import", str(export), "--school", "de-linde", "--actor", "juf", code=6)["error"] == "permission_denied"
    first = cli("pupil", "import", str(export), "--school", "de-linde", "--actor", "dir")
    assert (first["added"], first["groups"], first["teachers_linked"]) == (10, 2, {"juf": ["5a"]})
    export.write_bytes(demo_edexml({"5a": ["juf"], "5b": []}, 5, leave_out=1))
    later = cli("pupil", "import", str(export), "--school", "de-linde", "--actor", "dir")
    [gone] = later["proposed_departures"]
    left = cli("pupil", "left", "--school", "de-linde", "--subject", gone, "--on", "20-12-2026", "--actor", "dir")
    assert (left["left_on"], left["proposed"]) == ("2026-12-20", True)
    # confirmed: the pupil list no longer proposes them
    assert cli("pupil", "import", str(export), "--school", "de-linde", "--actor", "dir")["proposed_departures"] == []
    broken = tmp_path / "kapot.csv"
    broken.write_text("leerlingnummer;roepnaam;achternaam\n1;Sanne;Veldkamp\n2;Daan;\n", encoding="utf-8")
    refused = cli("pupil", "import", str(broken), "--school", "de-linde", "--actor", "dir", code=7)
    assert refused["error"] == "import_refused" and refused["line"] == 3 and refused["file"] == "kapot.csv"
    assert cli("users", "email", "dir", "Dir@DeLinde.example")["email"] == "dir@delinde.example"


def test_the_old_dutch_pupil_commands_still_work_and_name_the_new_ones(cli: Cli, tmp_path: Path) -> None:
    from api.demo import demo_edexml

    def old(*args: str) -> Any:
        result = runner.invoke(app, ["--db", cli.url, "--json", "leerlingen", *args, "--school", "de-linde", "--actor", "dir"])
        assert result.exit_code == 0, result.output
        return json.loads(result.stdout), result.stderr

    export = tmp_path / "EDEX.xml"
    export.write_bytes(demo_edexml({"5a": [], "5b": []}, 3))
    imported, notice = old("import", str(export))
    assert imported["added"] == 6 and "'trede leerlingen import' heet nu 'trede pupil import'" in notice
    export.write_bytes(demo_edexml({"5a": [], "5b": []}, 3, leave_out=1))
    [gone] = cli("pupil", "import", str(export), "--school", "de-linde", "--actor", "dir")["proposed_departures"]
    left, notice = old("vertrek", "--leerling", gone, "--op", "20-12-2026")
    assert (left["leerling"], left["left_on"], left["proposed"]) == (gone, "2026-12-20", True)
    assert "heet nu 'trede pupil left" in notice
    assert cli("pupil", "import", str(export), "--school", "de-linde", "--actor", "dir")["proposed_departures"] == []
    listed = runner.invoke(app, ["--help"]).stdout
    assert "pupil" in listed and "leerlingen" not in listed  # hidden: only old scripts use it


# --- issue 27: the command line's defects a protocol owner met ------------------------------


def test_an_unknown_role_is_refused_with_the_known_ones(cli: Cli) -> None:
    """'protocolbeheer' is not a role: stored, it would give no access at all."""
    error = cli(
        "users", "add", "kc", "--name", "KC", "--board", "b", "--role", "protocolbeheer", "--password", PASSWORD, code=7
    )
    assert error["field"] == "role"
    assert "onbekende rol 'protocolbeheer'" in error["message"] and "protocol_eigenaar" in error["message"]
    assert "leerkracht" in error["message"]  # a role of the loaded protocols
    assert cli("users", "add", "kc", "--name", "KC", "--board", "b", "--role", "protocol_eigenaar", "--password", PASSWORD)


def test_diff_without_a_database_reads_the_files_and_creates_no_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("TREDE_DATABASE_URL", raising=False)
    variant = str(EXAMPLES / "gedrag-de-linde.yaml")
    result = runner.invoke(app, ["--json", "protocol", "diff", "grensoverschrijdend-gedrag", variant])
    assert result.exit_code == 0, result.output
    assert any(c["name"] == "einde_time_out" for c in json.loads(result.stdout))
    by_file = runner.invoke(app, ["protocol", "diff", str(BUNDLED_DIR / "grensoverschrijdend-gedrag.yaml"), variant])
    assert by_file.exit_code == 0 and "termijn einde_time_out" in by_file.stdout
    unknown = runner.invoke(app, ["protocol", "diff", "bestaat-niet", variant])
    assert unknown.exit_code == 7 and "geen meegeleverd protocol" in unknown.output
    for command in (["protocol", "list"], ["protocol", "show", "grensoverschrijdend-gedrag"], ["case", "show", "x", "--actor", "juf"]):
        assert runner.invoke(app, command).exit_code == 10  # no database: explained ...
    assert list(tmp_path.iterdir()) == []  # ... and none made


def test_case_show_lists_the_tracks_and_the_linked_cases(cli: Cli) -> None:
    cli("protocol", "load", str(BUNDLED_DIR / "grensoverschrijdend-gedrag.yaml"))
    cli("protocol", "load", str(EXAMPLES / "pesten-de-linde.yaml"))
    case_id = cli("case", "open", "pesten-de-linde", "--school", "de-linde", "--subject", "Leerling-Mees", "--actor", "juf")["id"]
    cli("case", "fire", case_id, "gesprekken_starten", "--actor", "juf", "--input", "motivering=pesten op het plein")
    cli("case", "fire", case_id, "gesprek_gepeste_leerling", "--actor", "juf", "--input", "verslag=gesprek gevoerd")
    shown = cli("case", "show", case_id, "--actor", "juf")
    assert {t["track"]: t["state"] for t in shown["tracks"]} == {"gepeste_leerling": "afgerond", "pester": "open"}
    human = runner.invoke(app, ["--db", cli.url, "case", "show", case_id, "--actor", "juf"]).stdout
    assert "  Gesprek met de gepeste leerling: afgerond\n  Gesprek met de pester: open\n" in human
    cli("case", "fire", case_id, "gesprek_pester", "--actor", "juf", "--input", "verslag=gesprek", "--input", "pester=Leerling-Vink")
    cli("case", "fire", case_id, "gesprekken_afronden", "--actor", "juf", "--input", "afspraken=samen spelen")
    cli(
        "case", "fire", case_id, "pester_aanpakken", "--actor", "juf",
        "--input", "pester=Leerling-Vink", "--input", "motivering=opnieuw gepest",
    )
    [link] = cli("case", "show", case_id, "--actor", "juf")["links"]
    assert link["direction"] == "geopend" and link["protocol"] == "grensoverschrijdend-gedrag" and link["visible"]
    human = runner.invoke(app, ["--db", cli.url, "case", "show", case_id, "--actor", "juf"]).stdout
    assert f"deze zaak opende zaak {link['case_id']} volgens grensoverschrijdend-gedrag" in human
