"""Protocol diagrams as Mermaid state diagrams (rendered by GitHub, GitLab and most wikis),
and the reference page for the bundled protocols."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field

from engine.protocol.diff import Change
from engine.protocol.model import Protocol

ADDED, CHANGED = "nieuw", "gewijzigd"


@dataclass(frozen=True)
class DiagramMarks:
    """What a variant adds to or changes in its base, as the diagram marks it: steps and
    actions (by trigger), each ``nieuw`` or ``gewijzigd``."""

    steps: dict[str, str] = field(default_factory=dict)
    actions: dict[str, str] = field(default_factory=dict)


def marks_of(changes: Iterable[Change], protocol: Protocol) -> DiagramMarks:
    """The marks for a diff against the base: a step whose terms changed is changed too."""
    marks = DiagramMarks()
    terms = {**protocol.timer_index, **protocol.obligation_index}
    for change in changes:
        kind = ADDED if change.kind == "added" else CHANGED
        if change.what == "step" and change.name in protocol.spec.steps:
            marks.steps[change.name] = kind
        elif change.what == "term" and change.name in terms:
            step = terms[change.name][0]
            marks.steps.setdefault(step, CHANGED)
        elif change.what == "transition" and change.kind != "removed":
            marks.actions[change.name] = kind
    return marks


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
    out = _introduction(protocol)
    out += ["```mermaid", mermaid(protocol).rstrip(), "```", ""]
    out += _steps_and_roles(protocol)
    out += _need_to_know(protocol)
    out += _terms(protocol)
    return "\n".join(out) + "\n"


def _introduction(protocol: Protocol) -> list[str]:
    spec = protocol.spec
    out = [f"## {spec.title}", "", f"`{spec.id}` · bron: {spec.source}", ""]
    if spec.description:
        out += [spec.description, ""]
    if spec.retention:
        departure = ", of eerder zodra de leerling de school verlaat" if spec.retention.on_departure else ""
        when = f"{spec.retention.after} na afsluiten{departure}"
        out += [f"Bewaartermijn: geanonimiseerd {when} ({spec.retention.basis}).", ""]
    return out


def _steps_and_roles(protocol: Protocol) -> list[str]:
    spec = protocol.spec
    out = ["| stap | omschrijving | bron |", "|---|---|---|"]
    for step_id, step in spec.steps.items():
        kind = " (eindstap)" if step.final else " (beslissing)" if step.decision else ""
        what = step.decision.question if step.decision else step.description or ""
        out.append(f"| `{step_id}` {_cell(step.label)}{kind} | {_cell(what)} | {_cell(step.source or '')} |")
    out += ["", "| rol | bron |", "|---|---|"]
    out += [
        f"| {_cell(role.label)} (`{role_id}`) | {_cell(role.source or '')} |" for role_id, role in spec.roles.items()
    ]
    return out


def _need_to_know(protocol: Protocol) -> list[str]:
    """Who sees a report: per channel, or every role but the one it concerns."""
    spec = protocol.spec
    rule = spec.need_to_know
    if rule is None:
        return []
    out: list[str] = []
    if rule.channel is not None:
        out += ["", f"Wie de melding ziet (need to know, `{rule.channel}` bij het openen): {_cell(rule.source or '')}", ""]
        out += ["| kanaal | ziet de melding (en de melder zelf) | bron |", "|---|---|---|"]
        out += [
            f"| `{name}` | {', '.join(f'`{r}`' for r in channel.roles)} | {_cell(channel.source or '')} |"
            for name, channel in rule.channels.items()
        ]
    else:
        standing = set(rule.stand_in.values())
        seen = ", ".join(f"`{r}`" for r in spec.roles if r not in standing)
        out += ["", f"Wie de melding ziet (need to know, `{rule.concerns}` bij het openen): {seen}, behalve wie de rol "
                f"heeft die de melding betreft. {_cell(rule.source or '')}"]
    if rule.concerns:
        instead = "; ".join(f"voor `{k}` komt `{v}` in de plaats" for k, v in rule.stand_in.items())
        out += [
            "",
            f"Wie de rol heeft die de melding betreft (`{rule.concerns}`), ziet haar nooit"
            + (f" ({instead})." if instead else "."),
        ]
    return out


def _terms(protocol: Protocol) -> list[str]:
    out = [
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
    return out


def _quote(text: str) -> str:
    return text.replace('"', "'").replace(":", " -")


def _cell(text: str) -> str:
    return text.replace("|", "\\|").replace("\n", " ")


BOX_W, BOX_H, GAP_X, GAP_Y, PAD = 210, 46, 26, 54, 16


def svg(protocol: Protocol, highlight: str | None = None, marks: DiagramMarks | None = None) -> str:
    """A self-contained SVG of the protocol: steps in layers by distance from the start,
    transitions as arrows (hover shows the action), the current step highlighted, and the
    steps and actions a variant adds or changes marked (``marks``: dashed, in blue, with
    the word "nieuw" or "gewijzigd", so that colour is not the only sign)."""
    spec = protocol.spec
    marks = marks or DiagramMarks()
    depth = _depths(protocol)
    layers: dict[int, list[str]] = {}
    for step_id in spec.steps:
        layers.setdefault(depth.get(step_id, max(depth.values(), default=0) + 1), []).append(step_id)
    width = max(len(row) for row in layers.values()) * (BOX_W + GAP_X) - GAP_X + 2 * PAD
    height = len(layers) * (BOX_H + GAP_Y) - GAP_Y + 2 * PAD
    place: dict[str, tuple[float, float]] = {}
    for level, (_, row) in enumerate(sorted(layers.items())):
        offset = (width - (len(row) * (BOX_W + GAP_X) - GAP_X)) / 2
        for i, step_id in enumerate(row):
            place[step_id] = (offset + i * (BOX_W + GAP_X), PAD + level * (BOX_H + GAP_Y))
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" width="100%" '
        f'role="img" aria-label="Diagram van {_xml(spec.title)}" font-family="system-ui, sans-serif" font-size="13">',
        '<defs><marker id="pijl" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
        'orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#4a5560"/></marker></defs>',
    ]
    edges: dict[tuple[str, str], list[str]] = {}
    marked: dict[tuple[str, str], str] = {}
    for t in protocol.transitions:
        for source in t.sources:
            if t.dest is not None and t.dest != source:
                mark = marks.actions.get(t.trigger)
                edges.setdefault((source, t.dest), []).append(t.label + (f" ({mark})" if mark else ""))
                if mark:
                    marked[(source, t.dest)] = mark
    for (source, dest), labels in edges.items():
        out.append(_edge(place[source], place[dest], " / ".join(dict.fromkeys(labels)), marked.get((source, dest))))
    for step_id, step in spec.steps.items():
        x, y = place[step_id]
        current = step_id == highlight
        mark = marks.steps.get(step_id)
        fill, stroke, stroke_w = ("#fff5d6", "#b07d00", 3) if current else ("#ffffff", "#4a5560", 1.5)
        dash = ""
        if mark and not current:
            fill, stroke, stroke_w, dash = "#e6f0fa", "#0b5cab", 2.5, ' stroke-dasharray="6 3"'
        title = step.label + (f" ({mark})" if mark else "")
        kind = f" {mark}" if mark else ""
        out.append(f'<g class="stap{kind}" data-stap="{step_id}"><title>{_xml(title)}</title>')
        out.append(
            f'<rect x="{x:.0f}" y="{y:.0f}" width="{BOX_W}" height="{BOX_H}" rx="8" fill="{fill}" '
            f'stroke="{stroke}" stroke-width="{stroke_w}"{dash}/>'
        )
        if mark:
            out.append(
                f'<text x="{x + BOX_W - 6:.0f}" y="{y + 12:.0f}" text-anchor="end" font-size="10" font-weight="700" '
                f'fill="#0b5cab">{mark}</text>'
            )
        if step.final:
            out.append(
                f'<rect x="{x + 3:.0f}" y="{y + 3:.0f}" width="{BOX_W - 6}" height="{BOX_H - 6}" rx="6" '
                f'fill="none" stroke="{stroke}" stroke-width="1"/>'
            )
        lines = _wrap(step.label, 30)
        for i, line in enumerate(lines):
            dy = y + BOX_H / 2 + (i - (len(lines) - 1) / 2) * 15 + 4
            weight = ' font-weight="700"' if current else ""
            out.append(f'<text x="{x + BOX_W / 2:.0f}" y="{dy:.0f}" text-anchor="middle"{weight}>{_xml(line)}</text>')
        out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)


def _depths(protocol: Protocol) -> dict[str, int]:
    depth = {protocol.initial: 0}
    frontier = [protocol.initial]
    while frontier:
        nxt = []
        for step in frontier:
            for t in protocol.transitions_from(step):
                if t.dest is not None and t.dest not in depth:
                    depth[t.dest] = depth[step] + 1
                    nxt.append(t.dest)
        frontier = nxt
    return depth


def _edge(a: tuple[float, float], b: tuple[float, float], label: str, mark: str | None = None) -> str:
    (ax, ay), (bx, by) = a, b
    if by > ay:  # downwards: bottom of the source to the top of the target
        x1, y1, x2, y2 = ax + BOX_W / 2, ay + BOX_H, bx + BOX_W / 2, by
        path = f"M{x1:.0f},{y1:.0f} C{x1:.0f},{y1 + GAP_Y / 2:.0f} {x2:.0f},{y2 - GAP_Y / 2:.0f} {x2:.0f},{y2:.0f}"
    else:  # back up or sideways: around the right-hand side
        x1, y1, x2, y2 = ax + BOX_W, ay + BOX_H / 2, bx + BOX_W, by + BOX_H / 2
        bend = max(x1, x2) + GAP_X * 0.8
        path = f"M{x1:.0f},{y1:.0f} C{bend:.0f},{y1:.0f} {bend:.0f},{y2:.0f} {x2:.0f},{y2:.0f}"
    look = 'stroke="#0b5cab" stroke-width="2.4" stroke-dasharray="6 3"' if mark else 'stroke="#4a5560" stroke-width="1.2"'
    kind = f' class="{mark}"' if mark else ""
    return (
        f'<path d="{path}" fill="none" {look} marker-end="url(#pijl)"{kind}>'
        f"<title>{_xml(label)}</title></path>"
    )


def _wrap(text: str, width: int) -> list[str]:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return lines[:3]


def _xml(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
