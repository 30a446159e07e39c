"""The ``trede`` command line. Every command can answer in JSON (--json) and exits non-zero
on error with the engine error's own exit code; no traceback reaches the user.

One module per command group; this one assembles them into the ``trede`` application."""

from __future__ import annotations

from typing import Annotated

import typer

from api.cli.audit import audit_app
from api.cli.cases import case_app
from api.cli.common import OPTIONS
from api.cli.db import db_app
from api.cli.evaluation import evaluation_app
from api.cli.incidents import incident_app, incidents_app
from api.cli.meldpunt import meldpunt_app
from api.cli.protocols import protocol_app, protocols_page
from api.cli.pupils import legacy_app, pupil_app
from api.cli.serve import demo, serve, server_processes, worker_command
from api.cli.timers import timers_app
from api.cli.users import users_app

__all__ = ["app", "main", "protocols_page", "server_processes"]

app = typer.Typer(
    help="trede: protocollen voor sociale veiligheid, uitgevoerd en controleerbaar.", no_args_is_help=True
)
app.add_typer(db_app, name="db")
app.add_typer(protocol_app, name="protocol")
app.add_typer(case_app, name="case")
app.add_typer(timers_app, name="timers")
app.add_typer(users_app, name="users")
app.add_typer(audit_app, name="audit")
app.add_typer(pupil_app, name="pupil")
app.add_typer(incident_app, name="incident")
app.add_typer(incidents_app, name="incidents")
app.add_typer(evaluation_app, name="evaluatie")
app.add_typer(meldpunt_app, name="meldpunt")
app.add_typer(legacy_app, name="leerlingen", hidden=True)  # the old name of 'pupil', for existing scripts
app.command("demo")(demo)
app.command("serve")(serve)
app.command("worker")(worker_command)


@app.callback()
def _global(
    db: Annotated[
        str | None, typer.Option("--db", help="Database-URL (standaard: TREDE_DATABASE_URL of sqlite:///trede.db)")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Antwoord als JSON")] = False,
) -> None:
    if OPTIONS._app is not None:  # an earlier command in this process (tests, scripts): its pool is closed
        OPTIONS._app.db.dispose()
    OPTIONS.db = db
    OPTIONS.json = as_json
    OPTIONS._app = None


def main() -> None:
    app(prog_name="trede")
