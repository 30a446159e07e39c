"""Prometheus metrics at /metrics: requests by route template and status, request and fire
latency, and the engine's operational figures, read at each scrape. Labels carry route
templates, methods, statuses and bundled protocol ids only: never a pupil, melder, school
or case.

Scraping needs `Authorization: Bearer $TREDE_METRICS_TOKEN` when that is set; without it,
only a client on this machine (loopback) may scrape."""

from __future__ import annotations

import hmac
import os
import time
from collections.abc import Iterator

from fastapi import APIRouter, Request
from fastapi.responses import Response
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily
from prometheus_client.registry import Collector
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from api.web.security import NotAllowed, client_of, engine_of
from engine.access import OPERATOR
from engine.usecases import Engine

router = APIRouter()
FIRE_ROUTES = ("/api/v1/cases/{case_id}/fire", "/zaken/{case_id}/acties/{trigger}")
LATENCY_BUCKETS = (0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 5.0)


class Metrics:
    """One registry per application (tests build several applications in one process)."""

    def __init__(self, engine: Engine) -> None:
        self.registry = CollectorRegistry()
        self.requests = Counter(
            "trede_requests", "HTTP requests by route template and status", ["route", "method", "status"], registry=self.registry
        )
        self.latency = Histogram(
            "trede_request_seconds", "HTTP request duration", ["route", "method"], buckets=LATENCY_BUCKETS, registry=self.registry
        )
        self.fires = Histogram(
            "trede_fire_seconds", "Duration of an action on a case, durable commit included", buckets=LATENCY_BUCKETS, registry=self.registry
        )
        self.registry.register(EngineFigures(engine))
        # the labelled series, found once per (route, method, status): labels() takes a lock
        self._series: dict[tuple[str, str, int], tuple[Counter, Histogram]] = {}

    def observe(self, route: str, method: str, status: int, elapsed: float) -> None:
        """One answered request, by its route's template."""
        series = self._series.get((route, method, status))
        if series is None:
            series = self._series.setdefault(
                (route, method, status), (self.requests.labels(route, method, str(status)), self.latency.labels(route, method))
            )
        series[0].inc()
        series[1].observe(elapsed)
        if method == "POST" and route in FIRE_ROUTES and status < 400:
            self.fires.observe(elapsed)



class MetricsMiddleware:
    """Counts and times every request by its route template (pure ASGI: no per-request task)."""

    def __init__(self, app: ASGIApp, metrics: Metrics) -> None:
        self.app = app
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 500

        async def observed(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        try:
            await self.app(scope, receive, observed)
        finally:
            elapsed = time.perf_counter() - started
            self.metrics.observe(getattr(scope.get("route"), "path", "(onbekend)"), str(scope.get("method", "")), status, elapsed)


class EngineFigures(Collector):
    """Read at each scrape, through the engine's own use case."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def collect(self) -> Iterator[GaugeMetricFamily | CounterMetricFamily]:
        figures = self.engine.figures.operational(OPERATOR)
        open_cases = GaugeMetricFamily("trede_open_cases", "Open cases by bundled protocol", labels=["protocol"])
        for protocol, n in sorted(figures.open_cases.items()):
            open_cases.add_metric([protocol], n)
        yield open_cases
        overdue = GaugeMetricFamily("trede_overdue_deadlines", "Deadlines past due and not met, by protocol", labels=["protocol"])
        for protocol, n in sorted(figures.overdue.items()):
            overdue.add_metric([protocol], n)
        yield overdue
        yield CounterMetricFamily(
            "trede_group_commits", "Shared commits of this server process (one fsync each)", value=figures.commits
        )
        yield CounterMetricFamily(
            "trede_group_commit_writes", "Actions and access-log writes those commits held", value=figures.committed_writes
        )
        yield GaugeMetricFamily("trede_timer_lag_seconds", "How long the earliest due deadline has waited", value=figures.timer_lag_seconds)
        if figures.last_checkpoint is not None:
            yield GaugeMetricFamily(
                "trede_last_checkpoint_timestamp_seconds", "When the last signed checkpoint was made", value=figures.last_checkpoint.timestamp()
            )
        if figures.last_verify is not None:
            yield GaugeMetricFamily(
                "trede_last_verify_timestamp_seconds", "When the last full verification ran", value=figures.last_verify.timestamp()
            )
            results = GaugeMetricFamily("trede_last_verify_cases", "Cases in the last full verification", labels=["result"])
            results.add_metric(["in_orde"], figures.last_verify_ok)
            results.add_metric(["niet_in_orde"], figures.last_verify_failed)
            yield results


@router.get("/metrics", include_in_schema=False)
def metrics(request: Request) -> Response:
    token = os.environ.get("TREDE_METRICS_TOKEN", "")
    given = request.headers.get("authorization", "").removeprefix("Bearer ").strip()
    allowed = hmac.compare_digest(given, token) if token else client_of(request) in ("127.0.0.1", "::1", "localhost")
    if not allowed:
        raise NotAllowed()
    engine_of(request)  # the same engine the collector reads
    found: Metrics = request.app.state.metrics
    return Response(generate_latest(found.registry), media_type=CONTENT_TYPE_LATEST)
