"""The commands that run trede: serve (web application and timer worker), worker, demo."""

from __future__ import annotations

import os
from typing import Annotated, Any

import typer

from api.bootstrap import init_storage
from api.cli.common import OPTIONS, emit, handles_errors

Host = Annotated[str, typer.Option("--host", help="Het adres waarop de server luistert")]
Port = Annotated[int, typer.Option("--port", min=1, max=65535, help="De poort waarop de server luistert")]


def address(host: str, port: int) -> str:
    """The address a browser opens for a server listening on ``host`` and ``port``."""
    shown = f"[{host}]" if ":" in host else host  # an IPv6 address
    return f"http://{shown}:{port}/"


@handles_errors
def demo(host: Host = "127.0.0.1", port: Port = 8000) -> None:
    """Maak de database aan en vul haar met de protocollen en voorbeeldzaken; toont de
    demo-logins (--host en --port: het adres van de server, zoals trede serve het krijgt)."""
    init_storage(OPTIONS.db)
    engine = OPTIONS.app().engine
    from api.demo import DEMO_PASSWORD, demo_logins, load_bundled, seed_accounts, seed_cases, seed_pupils

    protocols = load_bundled(engine)
    new_users = seed_accounts(engine)
    pupils = seed_pupils(engine)  # through the EDEXML import, as a directeur would
    cases = seed_cases(engine)
    users = demo_logins(engine, new_users)  # on every run, not only the first
    human = f"protocollen: {', '.join(protocols)}; nieuwe voorbeeldzaken: {len(cases)}\n" + "\n".join(pupils)
    if users:
        logins = "\n".join(f"  {username:<14} {DEMO_PASSWORD}   {name}" for username, name in users)
        human += f"\ninloggen op {address(host, port)} als (gebruikersnaam, wachtwoord):\n{logins}"
    payload = {
        "protocols": protocols,
        "cases": cases,
        "users": [u for u, _ in new_users],  # the accounts this run made
        "logins": [u for u, _ in users],  # the demo accounts that log in with the demo password
        "url": address(host, port),
    }
    emit(payload, human)


START_TIMEOUT = 120  # seconds: importing trede takes about 2 s of CPU, many times that on a loaded machine


@handles_errors
def serve(
    host: Host = "127.0.0.1",
    port: Port = 8000,
    worker: Annotated[bool, typer.Option("--worker/--no-worker", help="Ook termijnen laten aflopen")] = True,
    timer_interval: Annotated[float, typer.Option("--timer-interval", help="Seconden tussen twee rondes")] = 30,
    processes: Annotated[
        int | None,
        typer.Option(
            "--processes",
            min=1,
            max=64,
            help="Serverprocessen (standaard: 1 bij SQLite, één per processorkern bij PostgreSQL)",
        ),
    ] = None,
    start_timeout: Annotated[
        int,
        typer.Option(
            "--start-timeout",
            min=5,
            max=3600,
            help="Seconden die een serverproces krijgt om te starten en op een controle te antwoorden",
        ),
    ] = START_TIMEOUT,
) -> None:
    """Start de webapplicatie en de API (en standaard ook de termijnenwerker)."""
    import threading

    import uvicorn

    from api.web import served_app
    from api.web.asgi import settle_heap
    from api.worker import configure_logging, run_worker

    trede = OPTIONS.app()
    configure_logging()
    count = processes or server_processes(trede.db.dialect.name)
    stop = threading.Event()
    if worker:  # one timer worker, in this process, however many server processes there are
        threading.Thread(
            target=run_worker,
            args=(trede.engine,),
            kwargs={"interval": timer_interval, "stop": stop},
            name="trede-worker",
            daemon=True,
        ).start()
    processes_text = "1 serverproces" if count == 1 else f"{count} serverprocessen"
    typer.echo(f"trede draait op {address(host, port)}  ({processes_text}; stoppen: Ctrl+C)")
    # no access log: the meldpunt promises reporters that no address is kept
    options: dict[str, Any] = {"host": host, "port": port, "log_level": "warning", "access_log": False}
    try:
        if count == 1:
            web = served_app(trede)
            settle_heap()
            uvicorn.run(web, proxy_headers=True, **options)
        else:  # each process wires its own application from the same database
            os.environ["TREDE_DATABASE_URL"] = trede.db.url.render_as_string(hide_password=False)
            # uvicorn replaces a process that does not answer its health check within
            # timeout_worker_healthcheck (default 5 s). A new process imports trede first
            # (seconds of CPU): on a busy machine 5 s is too short, and the replacement is
            # replaced in turn, so the server never comes up (issue 24).
            uvicorn.run(
                "api.web.asgi:application",
                factory=True,
                workers=count,
                proxy_headers=True,
                timeout_worker_healthcheck=start_timeout,
                **options,
            )
    finally:
        stop.set()


def server_processes(dialect: str) -> int:
    """SQLite has one writer at a time: one process whose group commit gathers every write
    serves it best. PostgreSQL takes writers in parallel: one process per core."""
    return 1 if dialect == "sqlite" else max(1, os.cpu_count() or 1)


@handles_errors
def worker_command(
    batch: Annotated[int, typer.Option("--batch", help="Termijnen per transactie")] = 200,
    interval: Annotated[float, typer.Option("--interval", help="Seconden wachten als er niets te doen is")] = 5,
    once: Annotated[bool, typer.Option("--once", help="Stoppen zodra er niets meer te doen is")] = False,
) -> None:
    """Laat verstreken termijnen aflopen; op PostgreSQL kunnen er meerdere naast elkaar draaien."""
    from api.worker import configure_logging, run_worker

    configure_logging()
    trede = OPTIONS.app()
    total = run_worker(trede.engine, batch=batch, interval=interval, once=once)
    emit({"fired": total}, f"{total} termijnen afgehandeld")

