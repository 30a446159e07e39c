"""Protocol diagrams as Mermaid state diagrams (rendered by GitHub, GitLab and most wikis),
and the reference page for the bundled protocols."""

from __future__ import annotations

from engine.protocol.model import Protocol


def mermaid(protocol: Protocol, highlight: str | None = None) -> str:
    spec = protocol.spec
    lines = ["stateDiagram-v2", "    direction TB"]
    for step_id, step in spec.steps.items():
        lines.append(f'    state "{_quote(step.label)}" as {step_id}')
    lines.append(f"    [*] --> {spec.initial}")
    seen: set[tuple[str, str, str]] = set()
    for t in protocol.transitions:
        if t.dest is None:
            continue  # records facts only; stays in its step
        for source in t.sources:
            edge = (source, t.dest, t.label)
            if edge not in seen:
                seen.add(edge)
                lines.append(f"    {source} --> {t.dest}: {_quote(t.label)}")
    for step_id, step in spec.steps.items():
        if step.final:
            lines.append(f"    {step_id} --> [*]")
    if highlight in spec.steps:
        lines.append("    classDef current fill:#f0b400,stroke:#1b1f24,stroke-width:2px")
        lines.append(f"    class {highlight} current")
    return "\n".join(lines) + "\n"


def reference(protocol: Protocol) -> str:
    """One protocol's section of docs/protocols.md."""
    spec = protocol.spec
    out = [f"## {spec.title}", "", f"`{spec.id}` · bron: {spec.source}", ""]
    if spec.description:
        out += [spec.description, ""]
    out += ["```mermaid", mermaid(protocol).rstrip(), "```", ""]
    out += ["| stap | omschrijving | bron |", "|---|---|---|"]
    for step_id, step in spec.steps.items():
        kind = " (eindstap)" if step.final else " (beslissing)" if step.decision else ""
        what = step.decision.question if step.decision else step.description or ""
        out.append(f"| `{step_id}` {_cell(step.label)}{kind} | {_cell(what)} | {_cell(step.source or '')} |")
    out += ["", "| rol | bron |", "|---|---|"]
    out += [
        f"| {_cell(role.label)} (`{role_id}`) | {_cell(role.source or '')} |" for role_id, role in spec.roles.items()
    ]
    out += [
        "",
        "| termijn | stap | duur | vanaf | regel | grondslag | wettelijke grens |",
        "|---|---|---|---|---|---|---|",
    ]
    for index, kind in ((protocol.timer_index, "timer"), (protocol.obligation_index, "verplichting")):
        for term_id, (step_id, term) in index.items():
            limits = [f"minstens {term.floor.after} ({term.floor.basis})"] if term.floor else []
            limits += [f"hoogstens {term.ceiling.after} ({term.ceiling.basis})"] if term.ceiling else []
            out.append(
                f"| {_cell(term.label)} (`{term_id}`, {kind}) | `{step_id}` | {term.after} | {term.start} | {term.rule} "
                f"| {_cell(term.basis)} | {_cell('; '.join(limits))} |"
            )
    return "\n".join(out) + "\n"


def _quote(text: str) -> str:
    return text.replace('"', "'").replace(":", " -")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")
