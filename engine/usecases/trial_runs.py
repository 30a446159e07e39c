"""Proefdraaien from the protocol owner's workbench (issue 27, item 2): the variant being
edited, with the proefscenario's the owner writes in a text box, run in a sandbox with
simulated time (``Trials``), optionally on to an end day for the agenda ("a simulated
month"); and the same for a proposal as it was proposed.

The scenarios are the protocol file's own ``proefscenarios`` list, in the Dutch scenario
language. The box holds that list; it replaces the list in the variant's text before the
loader reads it, so that its problems are the loader's, strict, and are told by their line
in the box (``proefscenarios:REGEL:KOLOM: ...``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from engine.access import Principal
from engine.errors import Problem, ProtocolError, TredeError
from engine.protocol.loader import load_protocol_text
from engine.usecases.base import Services
from engine.usecases.proposals import Proposals
from engine.usecases.protocol_editor import ProtocolEditor
from engine.usecases.trials import TrialReport, Trials

KEY = "proefscenarios"
BOX = "proefscenarios"  # how a problem in the text box is named (its "file")
INDENT = "  "


@dataclass(frozen=True)
class TrialRun:
    """What the Proefdraaien section shows: the scenarios' results with their agendas, or
    why they could not run (``at_box``: problems in the scenarios' text box, by its lines;
    ``elsewhere``: problems of the variant itself)."""

    report: TrialReport | None
    until: date | None
    at_box: list[str] = field(default_factory=list)
    elsewhere: list[str] = field(default_factory=list)

    @property
    def ran(self) -> bool:
        return self.report is not None


def scenarios_of(text: str) -> str:
    """The ``proefscenarios`` list of a protocol text as the box shows it (unindented)."""
    lines = text.split("\n")
    start, end = _block(lines)
    if start is None:
        return ""
    body = lines[start + 1 : end]
    return "\n".join(line[len(INDENT) :] if line.startswith(INDENT) else line for line in body).strip("\n")


def with_scenarios(text: str, scenarios: str) -> tuple[str, int]:
    """``text`` with its ``proefscenarios`` list replaced by the box's (none: left out), and
    the line of the text where the box's first line is."""
    lines = text.rstrip("\n").split("\n")
    start, end = _block(lines)
    if start is not None:
        lines = lines[:start] + lines[end:]
    box = scenarios.replace("\r\n", "\n").strip("\n")
    if not box.strip():
        return "\n".join(lines) + "\n", 0
    lines.append(f"{KEY}:")
    first = len(lines) + 1
    lines += [(INDENT + line) if line.strip() else "" for line in box.split("\n")]
    return "\n".join(lines) + "\n", first


def _block(lines: list[str]) -> tuple[int | None, int]:
    start = next((i for i, line in enumerate(lines) if line.rstrip() == f"{KEY}:"), None)
    if start is None:
        return None, len(lines)
    end = start + 1
    while end < len(lines) and (not lines[end].strip() or lines[end][:1] in (" ", "-", "#")):
        end += 1
    return start, end


@dataclass
class TrialRuns:
    services: Services

    def variant(
        self, principal: Principal, school: str, text: str, scenarios: str, *, until: date | None = None, file: str = "variant.yaml"
    ) -> TrialRun:
        """Run the scenarios in the box against the variant ``text`` (a protocol owner of this school)."""
        ProtocolEditor(self.services).allowed(principal, school)
        combined, first = with_scenarios(text, scenarios)
        resolve = self.services.stored_base_at(school)  # the board's versions and this school's own
        try:
            protocol = load_protocol_text(combined, file, resolve)
        except ProtocolError as exc:
            return TrialRun(None, until, *_split(exc.problems, first))
        except TredeError as exc:
            return TrialRun(None, until, elsewhere=[exc.message])
        if not protocol.spec.proefscenarios:
            return TrialRun(None, until, at_box=["schrijf eerst een proefscenario (naam, gegeven, als, dan)"])
        return TrialRun(Trials.of(self.services).run(protocol, resolve, school=school, until=until), until)

    def proposal(self, principal: Principal, proposal_id: str, *, until: date | None = None) -> TrialRun:
        """Run a proposal's own scenarios (whoever may see the proposal)."""
        proposals = Proposals(self.services)
        found = proposals.get(principal, proposal_id)
        protocol = proposals.protocol(principal, proposal_id)
        if not protocol.spec.proefscenarios:
            return TrialRun(None, until, elsewhere=["dit voorstel heeft geen proefscenario's"])
        return TrialRun(Trials.of(self.services).run(protocol, school=found.scope, until=until), until)


def _split(problems: list[Problem], first: int) -> tuple[list[str], list[str]]:
    """The problems in the box (by the box's own lines) and the others."""
    at_box, elsewhere = [], []
    for p in problems:
        if first and p.line >= first:
            column = max(1, p.column - len(INDENT))
            at_box.append(str(Problem(BOX, p.line - first + 1, column, p.message)))
        else:
            elsewhere.append(str(p))
    return at_box, elsewhere
