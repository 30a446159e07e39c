"""Pages for publication with four eyes (issue 27, items 2 and 3): the proposals of the
schools (or board) a visitor may decide for or owns protocols of; a proposal with its
differences against what runs now, its steps, and Proefdraaien; approve (from an effective
date) and reject (with a reason) for a second authorised person; withdraw (with a reason)
an approved one before it takes effect. What may be done is decided in the engine
(``Proposals``): a form this page does not offer is refused there too.

Proefdraaien is also offered in the editor (``trial_of``): the editor's form posts its
scenarios' text box and end day along with the variant. Every read and action goes through
``engine.proposals`` and ``engine.trial_runs`` with the visitor's principal."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Form, Query, Request
from fastapi.responses import HTMLResponse, Response

from api.web.render import page
from api.web.security import NotAllowed, Visitor, check_csrf, engine_of, flash, take_flash, visitor
from engine.errors import InputError, ProposalLapsed
from engine.inputs import AHEAD
from engine.terms import local_date
from engine.usecases.proposals import Proposal
from engine.usecases.trial_runs import TrialRun, scenarios_of, with_scenarios

router = APIRouter(prefix="/protocollen/voorstellen")
Me = Annotated[Visitor, Depends(visitor)]
PROPOSED = "Voorstel ingediend; wacht op goedkeuring door een tweede persoon."
STATUS = {
    "voorgesteld": "wacht op beoordeling",
    "goedgekeurd": "goedgekeurd",
    "afgewezen": "afgewezen",
    "gepubliceerd": "gepubliceerd",
    "vervallen": "vervallen",
    "ingetrokken": "ingetrokken",
}


@router.get("", response_class=HTMLResponse)
def proposals(request: Request, me: Me, protocol: Annotated[str, Query(max_length=100)] = "") -> Response:
    engine = engine_of(request)
    found = [p for p in engine.proposals.list(me.principal) if not protocol or p.protocol_id == protocol]
    context = {
        "open": [p for p in found if p.open],
        "decided": [p for p in found if not p.open],
        "protocol": protocol,
        "school_name": engine.services.school_name,
        "status": STATUS,
    }
    return page(request, "proposals.html", context, visitor=me, title="Protocolvoorstellen")


@router.get("/{proposal_id}", response_class=HTMLResponse)
def proposal(
    request: Request,
    me: Me,
    proposal_id: str,
    proefdraaien: Annotated[str, Query(max_length=10)] = "",
    tot: Annotated[str, Query(max_length=20)] = "",
) -> Response:
    engine = engine_of(request)
    try:
        found = engine.proposals.get(me.principal, proposal_id[:100])
    except InputError:
        raise NotAllowed() from None
    message = take_flash(request)
    today = local_date(engine.clock.now())
    compared, changes = engine.proposals.diff(me.principal, found.id)
    trial: dict[str, Any] = {"box": "", "tot": tot, "run": None, "tot_problem": ""}
    if proefdraaien:
        until, trial["tot_problem"] = _until(tot)
        if not trial["tot_problem"]:
            trial["run"] = engine.trial_runs.proposal(me.principal, found.id, until=until)
    context = {
        "proposal": found,
        "compared": compared,
        "diff": changes,
        "may_decide": engine.proposals.may_decide(me.principal, found),
        "may_withdraw": engine.proposals.may_withdraw(me.principal, found),
        "outdated": engine.proposals.outdated(found),
        "mine": found.proposed_by == me.principal.username,
        "today": today.isoformat(),
        "latest": (today + AHEAD).isoformat(),
        "school_name": engine.services.school_name(found.scope) if found.scope else None,
        "status": STATUS,
        "trial": trial,
        "notice": message.get("message") if message.get("kind") == "notice" else None,
        "scenarios": len(engine.proposals.protocol(me.principal, found.id).spec.proefscenarios or []),
    }
    return page(request, "proposal.html", context, visitor=me, title=f"Protocolvoorstel {found.protocol_id}")


@router.post("/{proposal_id}/goedkeuren", response_class=HTMLResponse)
def approve(
    request: Request,
    me: Me,
    proposal_id: str,
    csrf: Annotated[str, Form(max_length=100)] = "",
    ingangsdatum: Annotated[str, Form(max_length=20)] = "",
) -> Response:
    check_csrf(me, csrf)
    engine = engine_of(request)
    day, problem = _until(ingangsdatum)
    if problem:
        raise InputError("ingangsdatum", problem)
    try:
        decided = engine.proposals.approve(me.principal, proposal_id[:100], effective_on=day)
    except ProposalLapsed as lapsed:  # marked vervallen: its page says why
        flash(request, lapsed.message, kind="notice")
        return _to_proposal(lapsed.fields["proposal"])
    flash(request, _decided_notice(decided), kind="notice")
    return _to_proposal(decided.id)


@router.post("/{proposal_id}/afwijzen", response_class=HTMLResponse)
def reject(
    request: Request,
    me: Me,
    proposal_id: str,
    csrf: Annotated[str, Form(max_length=100)] = "",
    reden: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    check_csrf(me, csrf)
    decided = engine_of(request).proposals.reject(me.principal, proposal_id[:100], reason=reden)
    flash(request, _decided_notice(decided), kind="notice")
    return _to_proposal(decided.id)


@router.post("/{proposal_id}/intrekken", response_class=HTMLResponse)
def withdraw(
    request: Request,
    me: Me,
    proposal_id: str,
    csrf: Annotated[str, Form(max_length=100)] = "",
    reden: Annotated[str, Form(max_length=4000)] = "",
) -> Response:
    check_csrf(me, csrf)
    withdrawn = engine_of(request).proposals.withdraw(me.principal, proposal_id[:100], reason=reden)
    flash(request, f"Ingetrokken: het voorstel voor {withdrawn.protocol_id} wordt niet gepubliceerd.", kind="notice")
    return _to_proposal(withdrawn.id)


def _to_proposal(proposal_id: str) -> Response:
    """Back to the proposal's page after a form (303: the browser fetches it with GET)."""
    return Response(status_code=303, headers={"Location": f"/protocollen/voorstellen/{proposal_id}"})


def _decided_notice(p: Proposal) -> str:
    if p.status == "gepubliceerd":
        return f"Goedgekeurd en gepubliceerd: {p.protocol_id} versie {p.version} geldt nu voor nieuwe zaken."
    if p.status == "vervallen":
        return f"Vervallen: {p.reason}"
    if p.status == "goedgekeurd":
        return f"Goedgekeurd: {p.protocol_id} wordt gepubliceerd op {p.effective_on.isoformat() if p.effective_on else ''}."
    return f"Afgewezen: het voorstel voor {p.protocol_id} wordt niet gepubliceerd."


def _until(text: str) -> tuple[date | None, str]:
    """A day typed in a date field (JJJJ-MM-DD), or none; and what is wrong with it."""
    if not text.strip():
        return None, ""
    try:
        return date.fromisoformat(text.strip()), ""
    except ValueError:
        return None, f"'{text.strip()[:20]}' is geen datum; kies een dag (JJJJ-MM-DD)"


# --- the editor's side ---------------------------------------------------------------


def proposed(request: Request, proposal_id: str) -> Response:
    """After the editor saved: the proposal's page, saying it waits for a second person."""
    flash(request, PROPOSED, kind="notice")
    return _to_proposal(proposal_id)


def with_box(text: str, fields: dict[str, str]) -> str:
    """The variant's text with the scenarios of the editor's text box (when it was posted)."""
    if "proefscenarios" not in fields:
        return text
    return with_scenarios(text, fields["proefscenarios"])[0]


def trial_of(request: Request, me: Visitor, school: str, text: str, fields: dict[str, str]) -> dict[str, Any]:
    """Proefdraaien in the editor: the box's scenarios against the variant as it is now."""
    box, tot = fields.get("proefscenarios", ""), fields.get("tot", "")
    until, problem = _until(tot)
    run: TrialRun | None = None
    if not problem:
        run = engine_of(request).trial_runs.variant(me.principal, school, text, box, until=until)
    return {"box": box, "tot": tot, "run": run, "tot_problem": problem}


def trial_context(trial: dict[str, Any] | None, text: str) -> dict[str, Any]:
    """What the editor's Proefdraaien section shows: a run, or the box as posted, or (first
    opened) the variant's own scenarios."""
    if trial is not None and "run" in trial:
        return trial
    if trial is not None and "proefscenarios" in trial:
        return {"box": trial["proefscenarios"], "tot": trial.get("tot", ""), "run": None, "tot_problem": ""}
    return {"box": scenarios_of(text), "tot": "", "run": None, "tot_problem": ""}
