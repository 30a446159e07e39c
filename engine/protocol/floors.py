"""Legal floors for deletion: a school variant may not take out what the law requires.

Shortening a statutory term is refused where the term is checked (checks/terms.py); this module
refuses removing one. A base element is *statutory* when it carries a legal limit (``floor``,
``ceiling``), names a catalogued term (``wettelijk``), or its ``basis`` cites an article of the
catalogue (engine/protocol/statutory.py: the terms and the duties). A remedy is statutory when its
term or one of its decision terms is, or its own basis cites such an article.

The resolved variant is compared with its resolved base, so every way of removing counts: a
``remove`` entry, replacing a list or a remedy by another or by nothing, removing the step that
holds an obligation or timer, removing every action that enters that step, or removing the
action by which a remedy is filed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from engine.errors import Problem
from engine.protocol.statutory import requiring_article
from engine.protocol.yamlsource import Located, Path_

KIND_LABELS = {
    "timer": "termijn",
    "obligation": "verplichting",
    "remedy": "rechtsmiddel",
    "remedy_term": "termijn",
    "decision": "beslistermijn",
}


@dataclass(frozen=True)
class Statutory:
    """One statutory element of a protocol and where it lives."""

    kind: str  # timer | obligation | remedy | remedy_term | decision
    name: str
    article: str
    step: str | None = None  # the step that holds a timer or obligation
    remedy: str | None = None  # the remedy that holds a term or decision

    @property
    def label(self) -> str:
        return f"{KIND_LABELS[self.kind]} '{self.name}'"


def statutory_elements(doc: Any) -> dict[tuple[str, str], Statutory]:
    """Every statutory element of a protocol document (plain data, as read or resolved)."""
    found: dict[tuple[str, str], Statutory] = {}
    if not isinstance(doc, dict):
        return found
    for step_id, step in _items(doc.get("steps")):
        for kind, field in (("timer", "timers"), ("obligation", "obligations")):
            for term in _list(step.get(field) if isinstance(step, dict) else None):
                art = requiring_article(term)
                if art and isinstance(term.get("id"), str):
                    found[(kind, term["id"])] = Statutory(kind, term["id"], art, step=step_id)
    for name, remedy in _items(doc.get("remedies")):
        if not isinstance(remedy, dict):
            continue
        parts: list[Statutory] = []
        remedy_term = remedy.get("term")
        if isinstance(remedy_term, dict) and (art := requiring_article(remedy_term)):
            parts.append(Statutory("remedy_term", str(remedy_term.get("id", name)), art, remedy=name))
        for decision in _list(remedy.get("decision")):
            if (art := requiring_article(decision)) and isinstance(decision.get("id"), str):
                parts.append(Statutory("decision", decision["id"], art, remedy=name))
        own = requiring_article({"basis": remedy.get("basis")})
        art = own or (parts[0].article if parts else None)
        if art:
            found[("remedy", name)] = Statutory("remedy", name, art)
        for part in parts:
            found[(part.kind, part.name)] = part
    return found


def deletion_problems(base: Located, variant: Located, result: Any) -> list[Problem]:
    """What the variant removed that the law requires, each at the variant's line that did it."""
    if not isinstance(result, dict) or not isinstance(base.data, dict):
        return []
    before = statutory_elements(base.data)
    after = statutory_elements(result)
    problems: list[Problem] = []
    reported_remedies: set[str] = set()
    for key, element in before.items():
        if key in after:
            continue
        if element.remedy is not None and element.remedy in reported_remedies:
            continue  # the remedy itself is gone: one message for it and its terms
        if element.kind == "remedy":
            reported_remedies.add(element.name)
        path, how = _cause(variant, element)
        problems.append(variant.problem(path, _message(element, how, "verwijderd"), at_key=True))
    problems += _carriers(base.data, variant, result, before, after)
    problems += _conditions(base.data, variant, result, before, after)
    problems += _identity(base.data, variant, result)
    return problems


def replacement_problems(board: Located, own: Located, where: str) -> list[Problem]:
    """What a school's own version of a board protocol (the same id, loaded for one school)
    removed that the law requires: at that school it replaces the board's version as a
    variant does (the newer of the two is offered), so the same floors hold. ``board``: the
    board's newest version, resolved; ``own``: the school's version, resolved; ``where``: the
    school's name."""
    found = deletion_problems(board, own, own.data)
    if not found:
        return []
    head = own.problem(
        ("id",),
        f"deze versie geldt alleen voor {where} en vervangt daar de versie van het bestuur; net als een "
        "schoolvariant mag zij niet weglaten wat de wet eist (hieronder wat ontbreekt)",
        at_key=True,
    )
    return [head, *found]


def _carriers(
    base: dict[str, Any],
    variant: Located,
    result: dict[str, Any],
    before: dict[tuple[str, str], Statutory],
    after: dict[tuple[str, str], Statutory],
) -> list[Problem]:
    """Statutory elements still written but never reached: their step is no longer entered,
    or the action that files their remedy is gone."""
    problems: list[Problem] = []
    entered_before, entered_after = _entered(base), _entered(result)
    triggers_before, triggers_after = _triggers(base), _triggers(result)
    lost: dict[str, list[Statutory]] = {}
    for key, element in after.items():
        step = element.step
        if key in before and step and step in entered_before and step not in entered_after:
            lost.setdefault(step, []).append(element)
    for step, elements in lost.items():
        path = _removal_path(variant, "transitions", _entering(base, step)) or ("transitions",)
        named = ", ".join(f"{e.label} ({e.article})" for e in elements)
        problems.append(
            variant.problem(
                path,
                f"geen actie leidt meer naar stap '{step}', en daarmee wordt wat de wet daar eist nooit "
                f"meer gepland: {named}. Een schoolvariant mag niet weglaten wat de wet eist; laat een actie "
                f"naar stap '{step}' staan (u kunt wel haar label of rollen wijzigen)",
                at_key=True,
            )
        )
    for key, element in after.items():
        if key not in before:
            continue
        if element.kind == "remedy":
            spec = result.get("remedies", {}).get(element.name, {})
            action = spec.get("filed_by") if isinstance(spec, dict) else None
            if isinstance(action, str) and action in triggers_before and action not in triggers_after:
                path = _removal_path(variant, "transitions", [action]) or ("transitions",)
                how = f"de actie '{action}' waarmee het wordt ingediend is verwijderd"
                problems.append(variant.problem(path, _message(element, how, "onbruikbaar")))
    return problems


def _conditions(
    base: dict[str, Any],
    variant: Located,
    result: dict[str, Any],
    before: dict[tuple[str, str], Statutory],
    after: dict[tuple[str, str], Statutory],
) -> list[Problem]:
    """Statutory elements still written whose condition (``when``) the variant changed: one
    planned only when a fact holds that the base did not ask for (or never holds) is taken
    away in every other case, as its removal would be."""
    problems: list[Problem] = []
    for key, element in after.items():
        if key not in before:
            continue
        found_before, found_after = _element(base, element), _element(result, element)
        if found_before is None or found_after is None:
            continue
        if found_before.get("when") == found_after.get("when"):
            continue
        where = f" van rechtsmiddel '{element.remedy}'" if element.remedy else ""
        problems.append(
            variant.problem(
                _written_at(variant, element) + ("when",),
                f"{element.label}{where} is wettelijk verplicht ({element.article}); deze variant wijzigt wanneer "
                f"het geldt (when). Een schoolvariant mag niet inperken wanneer geldt wat de wet eist: laat de "
                f"voorwaarde van het basisprotocol staan (u kunt wel het label, de rollen, de escalatie of de "
                f"herinneringen wijzigen)",
                at_key=True,
            )
        )
    return problems


def _identity(base: dict[str, Any], variant: Located, result: dict[str, Any]) -> list[Problem]:
    """A melder's identity the base protects stays protected: a variant may show it to fewer
    roles, never to more, nor without the consent the base asks, nor protect fewer fields
    (Wbk; Richtlijn (EU) 2019/1937 art. 16: no disclosure without consent)."""
    protected = base.get("identity")
    if not isinstance(protected, dict):
        return []
    now = result.get("identity")
    now = now if isinstance(now, dict) else {}
    why = "De identiteit van de melder is beschermd (Wbk; Richtlijn (EU) 2019/1937 art. 16)"
    keep = "Een schoolvariant mag die bescherming niet verminderen: u kunt wel minder rollen noemen"
    problems: list[Problem] = []
    added = [r for r in _names(now.get("visible_to")) if r not in _names(protected.get("visible_to"))]
    if added:
        problems.append(
            variant.problem(
                ("identity", "visible_to"),
                f"{why}; deze variant laat haar ook zien aan {', '.join(added)}. {keep}",
                at_key=True,
            )
        )
    if protected.get("consent") and now.get("consent") != protected.get("consent"):
        problems.append(
            variant.problem(
                ("identity", "consent"),
                f"{why}; het basisprotocol toont haar alleen met instemming ('{protected['consent']}'), "
                f"en deze variant wijzigt of schrapt die instemming. {keep}",
                at_key=True,
            )
        )
    dropped = [f for f in _names(protected.get("fields")) if f not in _names(now.get("fields"))]
    if dropped:
        problems.append(
            variant.problem(
                ("identity", "fields"),
                f"{why}; deze variant beschermt {', '.join(dropped)} niet meer. {keep}",
                at_key=True,
            )
        )
    if not now:
        problems.append(variant.problem(("identity",), f"{why}; deze variant haalt die bescherming weg. {keep}", at_key=True))
    return problems


def _names(value: Any) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


def _element(doc: dict[str, Any], element: Statutory) -> dict[str, Any] | None:
    """The statutory element's own mapping in a protocol document (plain data), if there."""
    kinds = {"timer": "timers", "obligation": "obligations"}
    if element.kind in kinds:
        step = dict(_items(doc.get("steps"))).get(element.step or "")
        terms = _list(step.get(kinds[element.kind]) if isinstance(step, dict) else None)
        return next((t for t in terms if t.get("id") == element.name), None)
    remedy = dict(_items(doc.get("remedies"))).get(element.remedy or element.name)
    if not isinstance(remedy, dict):
        return None
    if element.kind == "remedy":
        return remedy
    if element.kind == "remedy_term":
        term = remedy.get("term")
        return term if isinstance(term, dict) else None
    return next((d for d in _list(remedy.get("decision")) if d.get("id") == element.name), None)


def _written_at(variant: Located, element: Statutory) -> Path_:
    """Where the variant writes the element (for the problem's line), as far as it does."""
    data = variant.data if isinstance(variant.data, dict) else {}
    kinds = {"timer": "timers", "obligation": "obligations"}
    if element.kind in kinds:
        field = kinds[element.kind]
        step = dict(_items(data.get("steps"))).get(element.step or "")
        listed = step.get(field) if isinstance(step, dict) else None
        for j, term in enumerate(listed if isinstance(listed, list) else []):
            if isinstance(term, dict) and term.get("id") == element.name:
                return ("steps", element.step or "", field, j)
        return ("steps", element.step or "", field)
    remedy = element.remedy or element.name
    if element.kind == "remedy_term":
        return ("remedies", remedy, "term")
    if element.kind == "decision":
        spec = dict(_items(data.get("remedies"))).get(remedy)
        listed = spec.get("decision") if isinstance(spec, dict) else None
        for j, duty in enumerate(listed if isinstance(listed, list) else []):
            if isinstance(duty, dict) and duty.get("id") == element.name:
                return ("remedies", remedy, "decision", j)
        return ("remedies", remedy, "decision")
    return ("remedies", remedy)


def _message(element: Statutory, how: str, what: str) -> str:
    where = f" van rechtsmiddel '{element.remedy}'" if element.remedy else ""
    return (
        f"{element.label}{where} is wettelijk verplicht ({element.article}) en wordt door deze variant {what}"
        f"{': ' + how if how else ''}. Een schoolvariant mag niet weglaten wat de wet eist: laat het staan. "
        f"U kunt wel het label, de rollen, de escalatie of de herinneringen wijzigen, en een termijn "
        f"aanscherpen binnen de wettelijke grens; geldt het niet voor uw school, dan wordt het ook niet "
        f"gepland zolang zijn voorwaarde (when) niet geldt"
    )


def _cause(variant: Located, element: Statutory) -> tuple[Path_, str]:
    """The place in the variant that removed the element, and how (in words)."""
    kinds = {"timer": "timers", "obligation": "obligations"}
    if element.kind in kinds:
        path = _removal_path(variant, kinds[element.kind], [element.name])
        if path:
            return path, ""
    if element.kind == "remedy" and (path := _removal_path(variant, "remedies", [element.name])):
        return path, ""
    if element.step:
        path = _removal_path(variant, "steps", [element.step])
        if path:
            return path, f"stap '{element.step}' is verwijderd"
        field = kinds[element.kind]
        for candidate in (("steps", element.step, field), ("steps", element.step), ("steps",)):
            if _written(variant, candidate):
                return candidate, f"de lijst '{field}' van stap '{element.step}' is vervangen"
    remedy = element.remedy or element.name
    for candidate in (("remedies", remedy, "term"), ("remedies", remedy, "decision"), ("remedies", remedy), ("remedies",)):
        if element.kind != "remedy_term" and candidate[-1:] == ("term",):
            continue
        if element.kind != "decision" and candidate[-1:] == ("decision",):
            continue
        if _written(variant, candidate):
            return candidate, "het rechtsmiddel is vervangen of weggelaten"
    return ("extends",), ""


def _written(variant: Located, path: Path_) -> bool:
    return path in variant.positions or path in variant.key_positions


def _removal_path(variant: Located, kind: str, names: list[str]) -> Path_ | None:
    removals = variant.data.get("remove") if isinstance(variant.data, dict) else None
    listed = removals.get(kind) if isinstance(removals, dict) else None
    for j, name in enumerate(listed if isinstance(listed, list) else []):
        if name in names:
            return ("remove", kind, j)
    return None


def _entered(doc: dict[str, Any]) -> set[str]:
    """The steps a case can come into: the first step, and every step an action or an answer leads to."""
    steps = {doc.get("initial")}
    for t in _list(doc.get("transitions")):
        steps.add(t.get("to"))
    for _, step in _items(doc.get("steps")):
        decision = step.get("decision") if isinstance(step, dict) else None
        for _, answer in _items(decision.get("answers") if isinstance(decision, dict) else None):
            if isinstance(answer, dict):
                steps.add(answer.get("to"))
    return {s for s in steps if isinstance(s, str)}


def _entering(doc: dict[str, Any], step: str) -> list[str]:
    return [str(t.get("trigger")) for t in _list(doc.get("transitions")) if t.get("to") == step]


def _triggers(doc: dict[str, Any]) -> set[str]:
    return {t["trigger"] for t in _list(doc.get("transitions")) if isinstance(t.get("trigger"), str)}


def _items(value: Any) -> list[tuple[str, Any]]:
    return [(str(k), v) for k, v in value.items()] if isinstance(value, dict) else []


def _list(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []
