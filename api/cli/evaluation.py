"""trede evaluatie: the yearly safety evaluation as a PDF, and the monitor results a school
imports (issue 28; docs/evaluatie.md)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import OPTIONS, Actor, emit, handles_errors, principal_of, read_bytes
from api.evaluation import evaluation_pdf
from engine.errors import InputError
from engine.evaluation import parse_school_year

evaluation_app = typer.Typer(help="De jaarevaluatie sociale veiligheid en de monitorresultaten.", no_args_is_help=True)


@evaluation_app.command("maken")
@handles_errors
def evaluation_make(
    schooljaar: Annotated[str, typer.Option("--schooljaar", help="Het schooljaar, bijvoorbeeld 2025-2026")],
    out: Annotated[Path, typer.Option("--out", help="Het PDF-bestand dat wordt geschreven")],
    actor: Actor,
    school: Annotated[str | None, typer.Option("--school", help="De school (of --board)")] = None,
    board: Annotated[str | None, typer.Option("--board", help="Het bestuur (of --school)")] = None,
) -> None:
    """Maak de jaarevaluatie van een school of een bestuur als PDF."""
    evaluation = OPTIONS.app().engine.evaluations.make(
        principal_of(actor), parse_school_year(schooljaar), school=school, board=board
    )
    try:
        out.write_bytes(evaluation_pdf(evaluation))
    except OSError as exc:
        raise InputError("out", f"kan {out} niet schrijven: {exc.strerror}") from None
    hidden = sum(len(t.counts.hidden) for t in evaluation.tables)
    emit(
        {"out": str(out), "school_year": str(evaluation.school_year), "tables": len(evaluation.tables), "hidden": hidden},
        f"jaarevaluatie {evaluation.school_year} van {evaluation.title} geschreven naar {out} ({hidden} getallen verborgen)",
    )


@evaluation_app.command("monitor-import")
@handles_errors
def monitor_import(
    file: Annotated[Path, typer.Argument(help="Een CSV-bestand (docs/evaluatie.md)")],
    actor: Actor,
) -> None:
    """Lees de resultaten van de monitor sociale veiligheid in: een nieuwe versie per school en schooljaar."""
    raw = read_bytes(file, "file")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise InputError("file", f"{file.name}: het bestand is geen UTF-8-tekst") from None
    done = OPTIONS.app().engine.evaluations.import_monitor(principal_of(actor), text, file.name)
    emit(
        [{"school": m.school, "school_year": m.school_year, "rows": len(m.rows), "version": v} for m, v in done],
        "\n".join(
            f"{m.school} {m.school_year}: {len(m.rows)} resultaten, "
            + (f"versie {v}" if v is not None else "ongewijzigd (zelfde als de laatste versie)")
            for m, v in done
        ),
    )
