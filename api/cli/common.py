"""What every command shares: the global options and the application they open, the answer
(text or JSON), the translation of errors into exit codes, and parsing of common values."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, time
from functools import wraps
from pathlib import Path
from typing import Annotated, Any, TypeVar

import typer

from api.bootstrap import App, bootstrap
from engine.access import Principal
from engine.errors import InputError, TredeError
from engine.terms import AMSTERDAM


@dataclass
class Options:
    db: str | None = None
    json: bool = False
    _app: App | None = None

    def app(self) -> App:
        if self._app is None:
            self._app = bootstrap(self.db)
        return self._app


OPTIONS = Options()
F = TypeVar("F", bound=Callable[..., Any])

Actor = Annotated[str, typer.Option("--actor", help="Gebruikersnaam van wie dit doet (zie trede users add)")]
Role = Annotated[str | None, typer.Option("--role", help="De rol waarin; standaard de eerste die mag")]
Until = Annotated[str | None, typer.Option("--until", help="Simuleer tijd tot dit moment (alleen in een sandbox)")]


def emit(payload: Any, human: str) -> None:
    if OPTIONS.json:
        typer.echo(json.dumps(payload, ensure_ascii=False, indent=2, default=str))
    else:
        typer.echo(human)


def handles_errors(func: F) -> F:
    @wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except TredeError as exc:
            if OPTIONS.json:
                typer.echo(json.dumps(exc.to_dict(), ensure_ascii=False, indent=2, default=str))
            else:
                typer.echo(f"fout: {exc.message}", err=True)
            raise typer.Exit(exc.exit_code) from None
        except typer.Exit:
            raise
        except Exception as exc:  # a bug: say so plainly, keep the traceback for developers
            if os.environ.get("TREDE_DEBUG"):
                raise
            typer.echo(f"interne fout ({type(exc).__name__}); zet TREDE_DEBUG=1 voor details", err=True)
            raise typer.Exit(70) from None

    return wrapper  # type: ignore[return-value]


def principal_of(username: str) -> Principal:
    """The acting user, with the roles the accounts give them: the command line obeys the
    same access rules as the web application."""
    principal = OPTIONS.app().engine.users.principal(username.strip().lower())
    if principal is None:
        raise InputError("actor", f"gebruiker '{username}' bestaat niet of is niet actief; maak hem aan met 'trede users add'")
    return principal


# --- parsing ------------------------------------------------------------------


def parse_moment(value: str | None, field: str) -> date | datetime | None:
    if value is None:
        return None
    try:
        if "T" in value or " " in value:
            moment = datetime.fromisoformat(value)
            return moment if moment.tzinfo else moment.replace(tzinfo=AMSTERDAM)
        return date.fromisoformat(value)
    except ValueError:
        raise InputError(field, f"'{value}' is geen datum (JJJJ-MM-DD) of tijdstip (JJJJ-MM-DDTUU:MM)") from None


def parse_until(value: str | None) -> datetime | None:
    moment = parse_moment(value, "until")
    if moment is None or isinstance(moment, datetime):
        return moment
    return datetime.combine(moment, time.min, tzinfo=AMSTERDAM)  # the start of that day


def parse_inputs(pairs: list[str]) -> dict[str, str]:
    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip():
            raise InputError("input", f"'{pair}' is geen veld=waarde")
        values[name.strip()] = value
    return values


def local_time(moment: datetime | None) -> str:
    return moment.astimezone(AMSTERDAM).strftime("%d-%m-%Y %H:%M") if moment else "-"


def read_bytes(path: Path, field: str) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise InputError(field, f"kan {path} niet lezen: {exc.strerror}") from None
