"""Sandbox storage for proefscenario's: a new SQLite database in a temporary directory per
scenario, created as a sandbox (simulated time allowed) and removed afterwards. It never
touches the installation's own database."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from adapters.sql.database import init_database, make_engine
from adapters.sql.uow import SqlUnitOfWorkFactory
from engine.ports import UnitOfWorkFactory


class SqliteSandboxes:
    @contextmanager
    def open(self) -> Iterator[UnitOfWorkFactory]:
        with tempfile.TemporaryDirectory(prefix="trede-proef-") as folder:
            db = make_engine(f"sqlite:///{Path(folder) / 'proef.db'}")
            try:
                init_database(db, sandbox=True)
                yield SqlUnitOfWorkFactory(db)
            finally:
                db.dispose()
