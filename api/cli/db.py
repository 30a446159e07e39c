"""trede db: create the database, give the application role its rights, back it up."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from api.bootstrap import backup, grant_app_role, init_storage, shown_url
from api.cli.common import OPTIONS, emit, handles_errors

db_app = typer.Typer(help="De database aanmaken.", no_args_is_help=True)


@db_app.command("init")
@handles_errors
def db_init(
    sandbox: Annotated[
        bool, typer.Option("--sandbox", help="Gesimuleerde tijd toestaan (alleen voor oefenen en testen)")
    ] = False,
    app_role: Annotated[
        str | None,
        typer.Option("--app-role", help="PostgreSQL: geef daarna deze applicatierol haar rechten (zie db app-role)"),
    ] = None,
) -> None:
    """Maak de database aan (of werk het schema bij), als eigenaar van de tabellen."""
    created = init_storage(OPTIONS.db, sandbox=sandbox)
    if app_role is not None:
        grant_app_role(OPTIONS.db, app_role)
    shown = shown_url(OPTIONS.db)
    emit(
        {"url": shown, "created": created, "sandbox": sandbox},
        f"database {'aangemaakt' if created else 'bijgewerkt'}: {shown}{' (sandbox)' if sandbox and created else ''}",
    )


@db_app.command("app-role")
@handles_errors
def db_app_role(
    role: Annotated[str, typer.Argument(help="Naam van de rol waarmee trede draait (bijvoorbeeld trede_app)")],
) -> None:
    """PostgreSQL: geef een rol precies de rechten om trede te draaien, zonder eigenaar van de
    tabellen te zijn: ze kan de bewaking (triggers) niet uitzetten, niet TRUNCATE-n en het schema
    niet wijzigen. Draai dit als eigenaar, na elke 'trede db init'."""
    statements = grant_app_role(OPTIONS.db, role)
    emit({"role": role, "statements": statements}, f"rol {role}: {len(statements)} opdrachten uitgevoerd")


@db_app.command("backup")
@handles_errors
def db_backup(target: Path) -> None:
    """Maak een consistente kopie van een SQLite-database terwijl trede draait (PostgreSQL: pg_dump)."""
    backup(OPTIONS.db, target)
    emit({"backup": str(target)}, f"kopie gemaakt: {target}")
