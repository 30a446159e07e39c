"""What a variant or a new version changes: step by step, term by term.

A change to a statutory element (engine/protocol/floors.py) names the article that requires it,
"(wettelijk: WPO art. 40c lid 3)", so that a reader sees where the law sets the floor."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from engine.protocol.floors import Statutory, statutory_elements
from engine.protocol.model import Protocol

KINDS = {
    "protocol": "protocol",
    "role": "rol",
    "input": "invoerveld",
    "step": "stap",
    "term": "termijn",
    "transition": "actie",
    "remedy": "rechtsmiddel",
}


@dataclass(frozen=True)
class Change:
    kind: str  # added | removed | changed
    what: str  # protocol | role | input | step | term | transition
    name: str
    details: list[str] = field(default_factory=list)
    statutory: str | None = None  # the article that requires the element, when the law does

    def __str__(self) -> str:
        sign = {"added": "+", "removed": "-", "changed": "~"}[self.kind]
        text = f"{sign} {KINDS[self.what]} {self.name}"
        text += f" (wettelijk: {self.statutory})" if self.statutory else ""
        return text + (": " + "; ".join(self.details) if self.details else "")

    def to_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "what": self.what,
            "name": self.name,
            "details": self.details,
            "statutory": self.statutory,
        }


def diff_protocols(a: Protocol, b: Protocol) -> list[Change]:
    changes: list[Change] = []
    top_a = {k: getattr(a.spec, k) for k in ("id", "title", "source", "initial")}
    top_b = {k: getattr(b.spec, k) for k in ("id", "title", "source", "initial")}
    details = _field_changes(top_a, top_b)
    if details:
        changes.append(Change("changed", "protocol", b.id, details))
    changes += _compare("role", _dump(a.spec.roles), _dump(b.spec.roles))
    changes += _compare("input", _dump(a.spec.inputs), _dump(b.spec.inputs))
    changes += _compare("step", _steps(a), _steps(b))
    changes += _compare("term", _terms(a), _terms(b))
    changes += _compare("transition", _transitions(a), _transitions(b))
    changes += _compare("remedy", _dump(a.spec.remedies or {}), _dump(b.spec.remedies or {}))
    return [_marked(c, _statutory(a), _statutory(b)) for c in changes]


def _statutory(protocol: Protocol) -> dict[tuple[str, str], Statutory]:
    return statutory_elements(protocol.spec.model_dump(mode="json", by_alias=True))


def _marked(change: Change, *found: dict[tuple[str, str], Statutory]) -> Change:
    kinds = {"term": ("timer", "obligation"), "remedy": ("remedy",)}.get(change.what, ())
    for elements in found:
        for kind in kinds:
            element = elements.get((kind, change.name))
            if element is not None:
                return Change(change.kind, change.what, change.name, change.details, element.article)
    return change


def _dump(items: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    return {name: item.model_dump(mode="json", by_alias=True, exclude_defaults=True) for name, item in items.items()}


def _steps(protocol: Protocol) -> dict[str, dict[str, Any]]:
    return {
        name: step.model_dump(mode="json", by_alias=True, exclude_defaults=True, exclude={"timers", "obligations"})
        for name, step in protocol.spec.steps.items()
    }


def _terms(protocol: Protocol) -> dict[str, dict[str, Any]]:
    terms = {}
    for index in (protocol.timer_index, protocol.obligation_index):
        for term_id, (step, spec) in index.items():
            terms[term_id] = {"stap": step, **spec.model_dump(mode="json", by_alias=True, exclude_defaults=True)}
    return terms


def _transitions(protocol: Protocol) -> dict[str, dict[str, Any]]:
    grouped: dict[str, dict[str, Any]] = {}
    for t in protocol.spec.transitions:
        entry = t.model_dump(mode="json", by_alias=True, exclude_defaults=True)
        entry.pop("trigger")
        if t.trigger in grouped:  # several transitions share a trigger: compare them as one list
            previous = grouped[t.trigger]
            grouped[t.trigger] = {"varianten": [*previous.get("varianten", [previous]), entry]}
        else:
            grouped[t.trigger] = entry
    return grouped


def _compare(what: str, old: dict[str, dict[str, Any]], new: dict[str, dict[str, Any]]) -> list[Change]:
    changes = []
    for name in old.keys() - new.keys():
        changes.append(Change("removed", what, name, [_summary(old[name])]))
    for name in new.keys() - old.keys():
        changes.append(Change("added", what, name, [_summary(new[name])]))
    for name in old.keys() & new.keys():
        details = _field_changes(old[name], new[name])
        if details:
            changes.append(Change("changed", what, name, details))
    order = {"removed": 0, "changed": 1, "added": 2}
    return sorted(changes, key=lambda c: (order[c.kind], c.name))


def _field_changes(old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    details = []
    for key in sorted(old.keys() | new.keys()):
        before, after = old.get(key), new.get(key)
        if before != after:
            details.append(f"{key}: {_show(before)} → {_show(after)}")
    return details


def _summary(entry: dict[str, Any]) -> str:
    return str(entry.get("label") or entry.get("after") or "")


def _show(value: Any) -> str:
    if value is None:
        return "(geen)"
    if isinstance(value, list):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show(v)}" for k, v in value.items()) + "}"
    return str(value)
