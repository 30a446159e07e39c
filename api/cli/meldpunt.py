"""trede meldpunt categories load FILE: a board's triage data for the meldpunt (issue 29)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.cli.common import OPTIONS, Actor, emit, handles_errors, principal_of, read_bytes

meldpunt_app = typer.Typer(help="Het meldpunt: de indeling van meldingen per bestuur.", no_args_is_help=True)
triage_app = typer.Typer(help="Categorieën, doorsturen en standaardantwoorden (versies per bestuur).", no_args_is_help=True)
meldpunt_app.add_typer(triage_app, name="categories")


@triage_app.command("load")
@handles_errors
def categories_load(
    file: Annotated[Path, typer.Argument(help="Een YAML-bestand met de indeling van het meldpunt")], actor: Actor
) -> None:
    """Laad de indeling van het meldpunt van een bestuur als nieuwe versie (zonder codewijziging)."""
    text = read_bytes(file, "bestand").decode("utf-8")
    loaded, new = OPTIONS.app().engine.triage.load(principal_of(actor), text, file.name)
    emit(
        {"board": loaded.board, "version": loaded.version, "content_hash": loaded.content_hash, "new": new},
        f"indeling meldpunt {loaded.board} versie {loaded.version} ({loaded.content_hash[:12]}){'' if new else ': al geladen'}",
    )
