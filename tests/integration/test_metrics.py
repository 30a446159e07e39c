"""/metrics in the Prometheus format: requests by route template, fire latency and the
engine's figures, with no pupil, school or case in any label; scraping needs the token."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families
from sqlalchemy import Connection, Engine, text

from adapters.signing import Ed25519Signer, generate
from api.bootstrap import App
from engine.access import OPERATOR
from engine.clock import FixedClock
from tests.conftest import START, make_trede
from tests.integration.helpers import application_role, login, token_for


def scrape(web: TestClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    response = web.get("/metrics", headers={"Authorization": "Bearer meet-token"})
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/plain")
    samples = {}
    for family in text_string_to_metric_families(response.text):
        for sample in family.samples:
            samples[(sample.name, tuple(sorted(sample.labels.items())))] = sample.value
    return samples


def test_metrics_report_requests_fires_and_the_engines_figures_without_names(
    app: App, web: TestClient, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    assert web.get("/metrics").status_code == 404  # not from elsewhere without the token
    monkeypatch.setenv("TREDE_METRICS_TOKEN", "meet-token")
    anna = app.engine.users.principal("juf.anna")
    assert anna is not None
    opened = [
        app.engine.cases.open(anna, "grensoverschrijdend-gedrag", school="de-linde", subject=f"Leerling-Zq{i}", group="5a")
        for i in range(3)
    ]
    auth = token_for(app, "juf.anna")
    fired = web.post(f"/api/v1/cases/{opened[0].id}/fire", json={"trigger": "hulp_vragen"}, headers=auth)
    assert fired.status_code == 200
    proef = app.engine.cases.open(anna, "proef-escalatie", school="de-linde", subject="Leerling-Zq9", group="5a")
    app.engine.cases.fire(anna, proef.id, "melden", inputs={"ernst": "licht"})  # parents to inform within a day
    assert login(web, "juf.anna") == "/"
    signer = Ed25519Signer.from_pem(generate()[0])
    app.engine.services.audit_signer, app.engine.services.audit_checker = signer, signer.checker()
    app.engine.reads.verify_all(OPERATOR)
    clock.advance(timedelta(days=30))  # terms run out; the worker has not run: the timer lag shows
    samples = scrape(web)
    assert samples[("trede_requests_total", (("method", "GET"), ("route", "/inloggen"), ("status", "200")))] >= 1
    assert samples[("trede_requests_total", (("method", "POST"), ("route", "/api/v1/cases/{case_id}/fire"), ("status", "200")))] == 1
    assert samples[("trede_fire_seconds_count", ())] == 1
    assert samples[("trede_open_cases", (("protocol", "grensoverschrijdend-gedrag"),))] == 3
    assert samples[("trede_open_cases", (("protocol", "proef-escalatie"),))] == 1
    assert samples[("trede_last_verify_cases", (("result", "in_orde"),))] == 4
    assert samples[("trede_timer_lag_seconds", ())] > 20 * 24 * 3600
    # the API fire, the second fire and the reads' access-log rows went through group commits
    assert samples[("trede_group_commit_writes_total", ())] >= samples[("trede_group_commits_total", ())] >= 2
    app.engine.timers.run()  # the worker catches up: the lag is gone, the late obligation counts as overdue
    caught_up = scrape(web)
    assert caught_up[("trede_timer_lag_seconds", ())] == 0
    assert caught_up[("trede_overdue_deadlines", (("protocol", "proef-escalatie"),))] >= 1
    text = web.get("/metrics", headers={"Authorization": "Bearer meet-token"}).text
    assert "Zq" not in text and "de-linde" not in text and opened[0].id not in text
    assert web.get("/metrics", headers={"Authorization": "Bearer fout"}).status_code == 404


FORGED_AT = datetime(2027, 1, 1, tzinfo=UTC)


def forge(conn: Connection, real_statement: str) -> None:
    """What a holder of the application role's password could write: a checkpoint row
    dated later (its statement a real one with a later time, the real signature kept; and
    one with a made-up signature), and a verification note saying all is well."""
    later = json.loads(real_statement) | {"made_at": FORGED_AT.isoformat()}
    stated = json.dumps(later, sort_keys=True, separators=(",", ":"))
    real = conn.execute(text("SELECT key_id, signature FROM checkpoints ORDER BY id")).first()
    assert real is not None
    for signature in (real.signature, "ab" * 64):
        conn.execute(
            text("INSERT INTO checkpoints (made_at, key_id, statement, signature) VALUES (:m, :k, :s, :g)"),
            {"m": FORGED_AT, "k": real.key_id, "s": stated, "g": signature},
        )
    note = json.dumps({"at": FORGED_AT.isoformat(), "ok": 99, "failed": 0})
    updated = conn.execute(text("UPDATE trede_meta SET value = :v WHERE key = 'last_verify'"), {"v": note})
    if updated.rowcount == 0:
        conn.execute(text("INSERT INTO trede_meta (key, value) VALUES ('last_verify', :v)"), {"v": note})


def test_a_forged_checkpoint_row_or_verification_note_is_unseen_by_metrics(
    app: App, web: TestClient, db: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TREDE_METRICS_TOKEN", "meet-token")
    signer = Ed25519Signer.from_pem(generate()[0])
    services = app.engine.services
    services.audit_signer, services.audit_checker = signer, signer.checker()
    made = app.engine.checkpoints.make(OPERATOR, signer)
    app.engine.reads.verify_all(OPERATOR)
    honest = scrape(web)
    signed_at = datetime.fromisoformat(made.statement.made_at).timestamp()
    assert honest[("trede_last_checkpoint_timestamp_seconds", ())] == signed_at
    verified_at = honest[("trede_last_verify_timestamp_seconds", ())]
    with db.begin() as conn:
        forge(conn, made.statement.canonical().decode("utf-8"))
    after = scrape(web)
    assert after[("trede_last_checkpoint_timestamp_seconds", ())] == signed_at  # the forged rows are not seen
    assert after[("trede_last_verify_timestamp_seconds", ())] < FORGED_AT.timestamp()
    assert ("trede_last_verify_cases", (("result", "in_orde"),)) not in after or after[
        ("trede_last_verify_cases", (("result", "in_orde"),))
    ] != 99
    assert verified_at < FORGED_AT.timestamp()
    services.audit_checker = Ed25519Signer.from_pem(generate()[0]).checker()  # another key: nothing is trusted
    other = scrape(web)
    assert ("trede_last_checkpoint_timestamp_seconds", ()) not in other
    assert ("trede_last_verify_timestamp_seconds", ()) not in other


@pytest.mark.postgres
def test_the_application_role_can_insert_a_checkpoint_row_but_metrics_do_not_count_it(pg_owner: Engine) -> None:
    with application_role(pg_owner, "trede_app_m") as as_app:
        trede = make_trede(as_app, FixedClock(START))
        signer = Ed25519Signer.from_pem(generate()[0])
        trede.engine.services.audit_signer, trede.engine.services.audit_checker = signer, signer.checker()
        made = trede.engine.checkpoints.make(OPERATOR, signer)
        with as_app.begin() as conn:  # the role may write these rows (the threat)
            forge(conn, made.statement.canonical().decode("utf-8"))
        figures = trede.engine.figures.operational(OPERATOR)
        assert figures.last_checkpoint == datetime.fromisoformat(made.statement.made_at)
        assert figures.last_verify is None  # no signed verification was ever noted
