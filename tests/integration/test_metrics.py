"""/metrics in the Prometheus format: requests by route template, fire latency and the
engine's figures, with no pupil, school or case in any label; scraping needs the token."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from prometheus_client.parser import text_string_to_metric_families

from api.bootstrap import App
from engine.access import OPERATOR
from engine.clock import FixedClock
from tests.integration.helpers import login, token_for


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
    anna = app.accounts.principal("juf.anna")
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
