"""A school variant as an edit model: the form of the browser editor, turned into variant
YAML with stable formatting, and back.

The YAML stays the stored form. The edit model covers what a protocol owner changes in a
variant (inputs, steps with their terms and tracks, actions with their count guards and
linked cases, removals); every key it has no field for is kept, per entry, as a small YAML
text ("overige sleutels"), so nothing of a file is lost when it passes through the form.

Form fields are named after their place in the model (``steps-0-timers-1-after``), and
``Built.origin`` tells, for every path of the generated document, which field wrote it, so
that the loader's ``file:line:column`` problems can be placed at the field (``place``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import yaml

from engine.errors import Problem
from engine.protocol.yamlsource import Path_, read_yaml

BOOLEAN = ("", "ja", "nee")  # a yes/no key: absent, true or false


@dataclass(frozen=True)
class Field:
    """One form field of an entry: where its value goes in the entry's YAML mapping."""

    name: str
    keys: tuple[str, ...]
    kind: str  # text | long | list | bool | int | choice | guard | condition | count | count_min | count_max
    label: str
    hint: str = ""
    options: tuple[str, ...] = ()


TERM_FIELDS = (
    Field("after", ("after",), "text", "Duur", "bijvoorbeeld 5 werkdagen, 2 weken, 0 dagen"),
    Field(
        "from", ("from",), "text", "Vanaf",
        "leeg: bij binnenkomst in de stap (bij een verplichting van een actie: het moment van die actie); "
        "of de naam van een datumveld, of van een actie: vanaf het moment dat die actie is vastgelegd",
    ),
    Field("rule", ("rule",), "choice", "Rekenregel", "atw voor wettelijke termijnen", ("", "kalender", "atw")),
    Field("basis", ("basis",), "text", "Grondslag", "de regel of afspraak waar de termijn uit komt"),
    Field("remind", ("remind",), "list", "Herinneringen vooraf", "duren, gescheiden door komma's, bijvoorbeeld 1 dag"),
    Field("shift", ("shift",), "text", "Pas later beginnen", "de termijn begint zoveel dagen na 'vanaf', bijvoorbeeld 7 dagen"),
    Field(
        "measure", ("measure",), "bool", "Duur van een maatregel",
        "ja: een maatregel (schorsing, time-out) die op de dag van 'vanaf' begint en die dag meetelt", BOOLEAN,
    ),
    Field(
        "duration_from", ("duration_from",), "text", "Duur gekozen in de zaak",
        "de naam van een keuzeveld met duren als keuzes (1 dag, 3 schooldagen, 1 week); 'duur' is dan de bovengrens",
    ),
)
OBLIGATION_TRACK = Field(
    "track", ("track",), "text", "Spoor", "de naam van een spoor van deze stap; niet bij een verplichting die een actie start"
)
KINDS: dict[str, tuple[Field, ...]] = {
    "input": (
        Field("id", (), "key", "Naam (id)", "kleine letters, cijfers en _"),
        Field("type", ("type",), "choice", "Soort", "", ("", "tekst", "datum", "akkoord", "keuze", "getal")),
        Field("label", ("label",), "text", "Omschrijving op het formulier"),
        Field("options", ("options",), "list", "Keuzes", "alleen bij soort keuze; gescheiden door komma's"),
        Field("future", ("future",), "bool", "Datum mag in de toekomst liggen", "", BOOLEAN),
        Field("source", ("source",), "text", "Bron"),
    ),
    "step": (
        Field("id", (), "key", "Naam (id)", "de naam van een stap uit het basisprotocol om die te wijzigen, of een nieuwe naam"),
        Field("label", ("label",), "text", "Titel"),
        Field("description", ("description",), "long", "Wat er in deze stap gebeurt"),
        Field("source", ("source",), "text", "Bron"),
        Field("final", ("final",), "bool", "Eindstap (sluit de zaak)", "", BOOLEAN),
    ),
    "timer": (
        Field("id", ("id",), "text", "Naam (id)", "kleine letters, cijfers en _"),
        Field("label", ("label",), "text", "Omschrijving"),
        *TERM_FIELDS,
        Field("every", ("every",), "text", "Herhalen elke", "voor een terugkerend moment, bijvoorbeeld 5 schooldagen"),
        Field(
            "anchor", ("anchor",), "choice", "Op de dag", "",
            ("", "maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "laatste schooldag"),
        ),
        Field("until", ("until",), "text", "Herhalen tot", "de naam van een datumveld"),
        Field("times", ("times",), "int", "Aantal keren", "in plaats van 'herhalen tot'"),
        Field("fire", ("on_expiry", "fire"), "text", "Bij het verstrijken: actie", "de naam van een actie die het systeem neemt"),
        Field("escalate", ("on_expiry", "escalate"), "list", "Bij het verstrijken: seintje aan", "rollen, gescheiden door komma's"),
        Field("when", ("when",), "guard", "Alleen als", "een voorwaarde, bijvoorbeeld {fact: ernstig, equals: ja}"),
    ),
    "obligation": (
        Field("id", ("id",), "text", "Naam (id)", "kleine letters, cijfers en _; niet de naam van een actie"),
        Field("label", ("label",), "text", "Omschrijving"),
        *TERM_FIELDS,
        Field("roles", ("roles",), "list", "Wie legt vast", "rollen, gescheiden door komma's"),
        Field("escalate", ("escalate",), "list", "Te laat: seintje aan", "rollen, gescheiden door komma's"),
        OBLIGATION_TRACK,
        Field("when", ("when",), "guard", "Alleen als", "een voorwaarde, bijvoorbeeld {fact: ernstig, equals: ja}"),
    ),
    "track": (
        Field("id", (), "key", "Naam (id)", "kleine letters, cijfers en _"),
        Field("label", ("label",), "text", "Omschrijving"),
        Field("done_by", ("done_by",), "text", "Afgerond door de actie"),
        Field("required", ("required",), "bool", "Verplicht", "nee: het spoor mag worden overgeslagen", BOOLEAN),
    ),
    "action": (
        Field("trigger", ("trigger",), "text", "Naam (id)", "de naam van een actie uit het basisprotocol om die te wijzigen, of een nieuwe"),
        Field("label", ("label",), "text", "Knoptekst"),
        Field("from", ("from",), "list", "Vanuit de stappen", "stapnamen, gescheiden door komma's; * voor elke stap"),
        Field("to", ("to",), "text", "Naar de stap", "leeg: de zaak blijft in de stap"),
        Field("roles", ("roles",), "list", "Wie mag het doen", "rollen, gescheiden door komma's"),
        Field("requires", ("requires",), "list", "Verplichte velden", "invoervelden, gescheiden door komma's"),
        Field("accepts", ("accepts",), "list", "Velden die mogen", "invoervelden, gescheiden door komma's"),
        Field("count", ("when",), "count", "Telt de actie", "alleen als deze actie al eerder is vastgelegd"),
        Field("count_min", ("when",), "count_min", "al minstens (keer)"),
        Field("count_max", ("when",), "count_max", "al hoogstens (keer)"),
        Field("when", ("when",), "guard", "Verder alleen als", "een voorwaarde, bijvoorbeeld {fact: ernstig, equals: ja}"),
        Field(
            "given", ("given",), "condition", "Alleen als deze actie vastlegt",
            "een voorwaarde die de velden van deze actie zelf ziet, bijvoorbeeld {fact: ernst, equals: ernstig}",
        ),
        Field("fulfils", ("fulfils",), "list", "Vervult de verplichtingen", "namen, gescheiden door komma's"),
        Field(
            "clears", ("clears",), "list", "Wist de gegevens",
            "invoervelden die daarna niet meer gelden, bijvoorbeeld gestopt_op; gescheiden door komma's",
        ),
        Field(
            "counts_as", ("counts_as",), "list", "Telt ook als de acties",
            "bijvoorbeeld een driegesprek dat telt als beide gesprekken; namen, gescheiden door komma's",
        ),
        Field("opens", ("opens", "protocol"), "text", "Opent een gekoppelde zaak onder", "de id van een protocol"),
        Field("subject_from", ("opens", "subject_from"), "text", "Voor de leerling in het veld", "leeg: dezelfde leerling"),
        Field(
            "opens_step", ("opens", "step"), "text", "De gekoppelde zaak begint in de stap",
            "leeg: de eerste stap van dat protocol",
        ),
        Field(
            "group_from", ("opens", "group_from"), "text", "Groep van die leerling in het veld",
            "een verplicht tekst- of keuzeveld; leeg: de groep uit de leerlingenlijst of van deze zaak",
        ),
        Field("track", ("track",), "text", "Spoor"),
        Field("source", ("source",), "text", "Bron"),
    ),
    "letter": (
        Field("id", (), "key", "Naam (id)", "de naam van een brief uit het basisprotocol om die te wijzigen, of een nieuwe"),
        Field("label", ("label",), "text", "Titel van de brief"),
        Field("template", ("template",), "text", "Sjabloon", "de naam van het briefsjabloon"),
        Field("steps", ("steps",), "list", "Te maken in de stappen", "stapnamen, gescheiden door komma's"),
        Field("roles", ("roles",), "list", "Wie maakt de brief", "rollen, gescheiden door komma's"),
        Field("to", ("to",), "choice", "Aan", "leeg: de ouders van de leerling; melder: aan de melder", ("", "melder")),
        Field(
            "asks", ("asks",), "list", "Vraagt bij het maken",
            "invoervelden, bijvoorbeeld geadresseerde_naam, geadresseerde_adres, ondertekenaar",
        ),
        Field("accepts", ("accepts",), "list", "Mag er ook bij", "invoervelden die niet verplicht zijn"),
        Field("source", ("source",), "text", "Bron"),
    ),
    "remedy": (
        Field("id", (), "key", "Naam (id)", "de naam van een rechtsmiddel uit het basisprotocol"),
        Field("label", ("label",), "text", "Omschrijving"),
        Field("kind", ("kind",), "choice", "Soort", "", ("", "bezwaar", "beroep", "geschillencommissie", "klacht")),
        Field("when", ("when",), "guard", "Alleen als", "bijvoorbeeld {fact: school_denominatie, equals: openbaar}"),
        Field("basis", ("basis",), "text", "Grondslag"),
        Field("term_after", ("term", "after"), "text", "Termijn: duur", "een wettelijke ondergrens blijft gelden"),
        Field("term_from", ("term", "from"), "text", "Termijn: vanaf", "het datumveld waarop de termijn begint"),
        Field("term_basis", ("term", "basis"), "text", "Termijn: grondslag"),
        Field("filed_by", ("filed_by",), "text", "Ingediend met de actie"),
        Field("filed_on", ("filed_on",), "text", "Datum van indienen in het veld"),
        Field("decided_on", ("decided_on",), "text", "Datum van de uitspraak in het veld"),
        Field("suspends", ("suspends",), "list", "Schort de beslissing op van", "rechtsmiddelen, gescheiden door komma's"),
    ),
}
CHILDREN = {
    "step": (("timers", "timer"), ("obligations", "obligation"), ("tracks", "track")),
    "action": (("obligations", "obligation"),),
}
REMOVABLE = ("transitions", "steps", "roles", "inputs", "timers", "obligations")
TOP_FIELDS = (
    Field("id", ("id",), "text", "Id van de variant", "kleine letters, cijfers en -"),
    Field("version", ("version",), "int", "Versie"),
    Field("title", ("title",), "text", "Titel"),
    Field("source", ("source",), "text", "Bron", "het schoolplan of de afspraak waar de variant op berust"),
    Field("description", ("description",), "long", "Toelichting"),
)
# The keyed and listed parts of a variant: (attribute and form prefix, kind, YAML key).
SECTIONS = (
    ("inputs", "input", "inputs"),
    ("steps", "step", "steps"),
    ("actions", "action", "transitions"),
    ("letters", "letter", "letters"),
    ("remedies", "remedy", "remedies"),
)
_LISTED = {"transitions"}  # the others are mappings by name
_OWN_TOP = {"id", "version", "extends", "title", "source", "description", "remove", *(key for _, _, key in SECTIONS)}


@dataclass
class Entry:
    """One input, step, timer, obligation, track or action: its fields as the form shows
    them (text), the keys the form has no field for (YAML text) and, for a step, its parts."""

    kind: str
    values: dict[str, str] = field(default_factory=dict)
    extra: str = ""
    children: dict[str, list[Entry]] = field(default_factory=dict)

    def value(self, name: str) -> str:
        return self.values.get(name, "")

    def blank(self) -> bool:
        return not any(self.values.values()) and not self.extra.strip() and not any(self.children.values())


@dataclass
class VariantEdit:
    """A variant as the editor edits it."""

    base_id: str = ""
    base_version: int = 0
    comment: str = ""  # the comment block the file starts with
    values: dict[str, str] = field(default_factory=dict)
    inputs: list[Entry] = field(default_factory=list)
    steps: list[Entry] = field(default_factory=list)
    actions: list[Entry] = field(default_factory=list)
    letters: list[Entry] = field(default_factory=list)
    remedies: list[Entry] = field(default_factory=list)
    remove: dict[str, str] = field(default_factory=dict)  # kind -> names, comma separated
    extra: str = ""  # other top-level keys (roles, need_to_know, ...) as YAML

    def section(self, prefix: str) -> list[Entry]:
        entries: list[Entry] = getattr(self, prefix)
        return entries

    def file_name(self) -> str:
        return f"{self.values.get('id') or 'variant'}.yaml"


@dataclass
class Built:
    """The variant as YAML, and which form field wrote each path of it."""

    text: str
    origin: dict[Path_, str]
    problems: list[tuple[str, str]]  # (form field, message): what could not even be written


class EditError(ValueError):
    """A value the form cannot turn into YAML (an unreadable guard or extra block)."""


# --- YAML -> edit model ---------------------------------------------------------


def parse_variant(text: str, file: str = "variant.yaml") -> tuple[VariantEdit, list[Problem]]:
    """The edit model of a variant text; the reader's problems when it cannot be read."""
    located, problems = read_yaml(text, file)
    if problems or not isinstance(located.data, dict):
        return VariantEdit(), problems
    return from_data(located.data, _leading_comment(text)), []


def from_data(data: Mapping[str, Any], comment: str = "") -> VariantEdit:
    extends = _mapping(data.get("extends"))
    edit = VariantEdit(
        base_id=str(extends.get("id", "")),
        base_version=int(extends.get("version", 0)) if isinstance(extends.get("version"), int) else 0,
        comment=comment,
    )
    edit.values = _values(TOP_FIELDS, data)
    for prefix, kind, key in SECTIONS:
        value = data.get(key)
        if key in _LISTED:
            setattr(edit, prefix, [_entry(kind, t) for t in value] if isinstance(value, list) else [])
        else:
            setattr(edit, prefix, [_entry(kind, v, key=k) for k, v in _mapping(value).items()])
    removals = _mapping(data.get("remove"))
    edit.remove = {k: ", ".join(map(str, v)) if isinstance(v, list) else _scalar(v) for k, v in removals.items()}
    rest = {k: v for k, v in data.items() if k not in _OWN_TOP}
    unusual = {k: v for k, v in removals.items() if k not in REMOVABLE}
    if "extends" in data and not isinstance(data.get("extends"), dict):
        rest["extends"] = data["extends"]
    if unusual:
        rest["remove"] = unusual
        edit.remove = {k: v for k, v in edit.remove.items() if k in REMOVABLE}
    for _, _, key in SECTIONS:
        value = data.get(key)
        if value is not None and not isinstance(value, list if key in _LISTED else dict):
            rest[key] = value  # not what the form can show: kept as it was written
    edit.extra = _dump_block(rest) if rest else ""
    return edit


def _mapping(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _entry(kind: str, data: Any, key: str | None = None) -> Entry:
    if not isinstance(data, dict):
        data = {} if data is None else {"__waarde__": data}
    fields = KINDS[kind]
    entry = Entry(kind, _values(fields, data))
    if key is not None:
        entry.values["id"] = key
    used = {f.keys[0] for f in fields if f.keys}
    children = CHILDREN.get(kind, ())
    rest = {k: v for k, v in data.items() if k not in used and k not in {c for c, _ in children}}
    for key in ("when", "given"):
        if key in data and key in used and not _form_guard(data[key]):
            rest[key] = data[key]  # not a condition the form can show: kept as written
            entry.values.pop(key, None)
    for f in fields:  # a structured value where the form has a line of text (after: {weken: 6})
        if len(f.keys) == 1 and f.kind not in _STRUCTURED and not _fits(f, data.get(f.keys[0])):
            rest[f.keys[0]] = data[f.keys[0]]
            entry.values.pop(f.name, None)
    for nested in {f.keys[0] for f in fields if len(f.keys) == 2}:  # on_expiry, opens, term
        inner = data.get(nested)
        if isinstance(inner, dict):
            shown = {f.keys[1] for f in fields if len(f.keys) == 2 and f.keys[0] == nested}
            hidden = {k: v for k, v in inner.items() if k not in shown or isinstance(v, (dict, list))}
            if hidden:  # the keys inside that the form does not show: kept as written, beside the fields
                rest[nested] = hidden
                for f in fields:
                    if f.keys[:1] == (nested,) and f.keys[1] in hidden:
                        entry.values.pop(f.name, None)
        elif nested in data:
            rest[nested] = inner
    for child_key, child_kind in children:
        value = data.get(child_key)
        if isinstance(value, list) and child_kind != "track":
            entry.children[child_key] = [_entry(child_kind, item) for item in value]
        elif isinstance(value, dict) and child_kind == "track":
            entry.children[child_key] = [_entry(child_kind, v, key=k) for k, v in value.items()]
        elif value is not None:
            rest[child_key] = value
    entry.extra = _dump_block(rest) if rest else ""
    return entry


_STRUCTURED = ("guard", "condition", "count", "count_min", "count_max")


def _fits(f: Field, value: Any) -> bool:
    """Whether a text field shows this value so that it is written back the same."""
    if f.kind == "list" and isinstance(value, list):
        return all(not isinstance(v, (dict, list, bool)) and v is not None for v in value)
    if f.kind == "bool":
        return value is None or isinstance(value, bool)
    if f.kind == "int":
        return value is None or (isinstance(value, int) and not isinstance(value, bool))
    return not isinstance(value, (dict, list))


def _values(fields: tuple[Field, ...], data: Mapping[str, Any]) -> dict[str, str]:
    values: dict[str, str] = {}
    counted = any(f.kind == "count" for f in fields)
    for f in fields:
        if not f.keys:
            continue
        if f.kind in ("count", "count_min", "count_max", "guard"):
            count, rest = _split_guard(data.get("when")) if counted else (None, data.get("when"))
            if f.kind == "guard":
                if rest is not None and _form_guard(data.get("when")):
                    values[f.name] = _flow(rest)
            elif count is not None:
                key = {"count": "count", "count_min": "at_least", "count_max": "at_most"}[f.kind]
                if key in count:
                    values[f.name] = _scalar(count[key])
            continue
        node: Any = data
        for key in f.keys:
            node = node.get(key) if isinstance(node, dict) else None
        if node is None:
            continue
        if f.kind == "list":
            values[f.name] = ", ".join(_scalar(v) for v in node) if isinstance(node, list) else _scalar(node)
        elif f.kind == "bool":
            values[f.name] = {True: "ja", False: "nee"}.get(node, _scalar(node)) if isinstance(node, bool) else _scalar(node)
        else:
            values[f.name] = _scalar(node)
    return values


def _scalar(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (dict, list)):
        return _flow(value)
    return "" if value is None else str(value)


def _is_count(guard: Any) -> bool:
    return isinstance(guard, dict) and "count" in guard and set(guard) <= {"count", "at_least", "at_most"}


def _split_guard(guard: Any) -> tuple[dict[str, Any] | None, Any]:
    """A guard as the form shows it: a count of an earlier action, and the rest."""
    if _is_count(guard):
        return guard, None
    if isinstance(guard, dict) and set(guard) == {"all"} and isinstance(guard["all"], list):
        parts = guard["all"]
        if len(parts) == 2 and _is_count(parts[0]) and not _is_count(parts[1]):
            return parts[0], parts[1]
    return None, guard


def _form_guard(guard: Any) -> bool:
    """Whether the form's guard fields can show this guard (else it stays in the extra keys)."""
    return guard is not None and (isinstance(guard, dict))


def _leading_comment(text: str) -> str:
    lines = []
    for line in text.lstrip("\ufeff").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line[1:].removeprefix(" "))
    return "\n".join(lines)


# --- edit model -> YAML ---------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    """Block style for the structure, flow style for lists of names and for guards."""


def _represent_list(dumper: yaml.SafeDumper, value: list[Any]) -> yaml.Node:
    flow = all(not isinstance(v, (dict, list)) for v in value)
    return dumper.represent_sequence("tag:yaml.org,2002:seq", value, flow_style=flow)


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    if "\n" in value:
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style="|")
    return dumper.represent_scalar("tag:yaml.org,2002:str", value)


class _Flow(dict[str, Any]):
    """A mapping written on one line (a guard, an on_expiry, an opens)."""


def _represent_flow(dumper: yaml.SafeDumper, value: _Flow) -> yaml.Node:
    return dumper.represent_mapping("tag:yaml.org,2002:map", dict(value), flow_style=True)


_Dumper.add_representer(list, _represent_list)
_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(_Flow, _represent_flow)


def _dump(data: Any) -> str:
    return yaml.dump(data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=4096, default_flow_style=False)


def _dump_block(data: Mapping[str, Any]) -> str:
    return _dump(_flowed(dict(data)))


def _flow(value: Any) -> str:
    return yaml.dump(value, Dumper=_Dumper, default_flow_style=True, sort_keys=False, allow_unicode=True, width=10_000).strip().removesuffix("...").strip()


def _flowed(value: Any, key: str = "") -> Any:
    """Guards, on_expiry and opens on one line; the rest as it is."""
    if isinstance(value, dict):
        if key in ("when", "given", "on_expiry", "opens", "extends"):
            return _Flow(value)
        return {k: _flowed(v, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_flowed(v, key if key in ("when", "given") else "") for v in value]
    return value


def build(edit: VariantEdit) -> Built:
    """The variant's YAML text and where each of its paths came from in the form."""
    origin: dict[Path_, str] = {}
    problems: list[tuple[str, str]] = []
    data: dict[str, Any] = {}
    for f in TOP_FIELDS:
        value = _typed(f, edit.values.get(f.name, ""), f.name, problems)
        if value is not None:
            data[f.keys[0]] = value
            origin[(f.keys[0],)] = f.name
        if f.name == "version" and edit.base_id:
            data["extends"] = {"id": edit.base_id, "version": edit.base_version}
            origin[("extends",)] = "version"
    extra = _read_block(edit.extra, "extra", problems)
    for key, value in extra.items():
        if key not in data:
            data[key] = value
            origin[(key,)] = "extra"
    for prefix, _, key in SECTIONS:
        entries = edit.section(prefix)
        if entries:
            written = _listed if key in _LISTED else _keyed
            data[key] = written(entries, prefix, (key,), origin, problems)
    removals = {}
    for kind in REMOVABLE:
        names = _names(edit.remove.get(kind, ""))
        if names:
            removals[kind] = names
            origin[("remove", kind)] = f"remove-{kind}"
    if removals:
        data["remove"] = {**removals, **_mapping(data.get("remove"))}
    head = "".join(f"# {line}".rstrip() + "\n" for line in edit.comment.splitlines())
    body = re.sub(r"\n(?=[a-z_]+:\n)", "\n\n", _dump(_flowed(data)))  # a blank line before each section
    return Built(head + body, origin, problems)


def _keyed(
    entries: list[Entry], prefix: str, path: Path_, origin: dict[Path_, str], problems: list[tuple[str, str]]
) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for i, entry in enumerate(entries):
        name = f"{prefix}-{i}"
        key = entry.value("id") or f"nieuw_{i + 1}"
        if key in out:
            problems.append((f"{name}-id", f"'{key}' staat hier twee keer; geef elk een eigen naam"))
            continue
        out[key] = _entry_data(entry, name, (*path, key), origin, problems)
        origin[(*path, key)] = f"{name}-id"
    return out


def _listed(
    entries: list[Entry], prefix: str, path: Path_, origin: dict[Path_, str], problems: list[tuple[str, str]]
) -> list[Any]:
    out: list[Any] = []
    for i, entry in enumerate(entries):
        name = f"{prefix}-{i}"
        origin[(*path, len(out))] = f"{name}-{KINDS[entry.kind][0].name}"
        out.append(_entry_data(entry, name, (*path, len(out)), origin, problems))
    return out


def _entry_data(
    entry: Entry, name: str, path: Path_, origin: dict[Path_, str], problems: list[tuple[str, str]]
) -> dict[str, Any]:
    data: dict[str, Any] = {}
    count: dict[str, Any] = {}
    guard: Any = None
    for f in KINDS[entry.kind]:
        raw = entry.value(f.name)
        if not f.keys or not raw.strip():
            continue
        field_name = f"{name}-{f.name}"
        if f.kind in ("count", "count_min", "count_max"):
            key = {"count": "count", "count_min": "at_least", "count_max": "at_most"}[f.kind]
            count[key] = raw.strip() if f.kind == "count" else _typed(f, raw, field_name, problems)
            continue
        value = _typed(f, raw, field_name, problems)
        if f.kind == "guard":
            guard = value
            continue
        if value is None:
            continue
        if f.name == "from" and entry.kind == "action" and isinstance(value, list):
            value = value[0] if len(value) == 1 else value  # one step, or "*": as written by hand
        node = data
        for key in f.keys[:-1]:
            node = node.setdefault(key, {})
        node[f.keys[-1]] = value
        origin[(*path, *f.keys)] = field_name
    count = {k: v for k, v in count.items() if v is not None}
    if count:
        data["when"] = {"all": [count, guard]} if guard is not None else count
        if guard is not None:
            origin[(*path, "when", "all", 0)] = f"{name}-count"
            origin[(*path, "when", "all", 1)] = f"{name}-when"
        origin[(*path, "when")] = f"{name}-count"
    elif guard is not None:
        data["when"] = guard
        origin[(*path, "when")] = f"{name}-when"
    for child_key, child_kind in CHILDREN.get(entry.kind, ()):
        children = entry.children.get(child_key, [])
        if not children:
            continue
        child_prefix = f"{name}-{child_key}"
        if child_kind == "track":
            data[child_key] = _keyed(children, child_prefix, (*path, child_key), origin, problems)
        else:
            data[child_key] = _listed(children, child_prefix, (*path, child_key), origin, problems)
    for key, value in _read_block(entry.extra, f"{name}-extra", problems).items():
        if key == "__waarde__":
            return value  # type: ignore[no-any-return]  # an entry that was no mapping: as written
        if key not in data:
            data[key] = value
            origin[(*path, key)] = f"{name}-extra"
        elif isinstance(data[key], dict) and isinstance(value, dict):  # keys inside opens, term, ...
            for inner, inner_value in value.items():
                if inner not in data[key]:
                    data[key][inner] = inner_value
                    origin[(*path, key, inner)] = f"{name}-extra"
    return data


def _names(text: str) -> list[str]:
    return [part.strip() for part in text.split(",") if part.strip()]


def _typed(f: Field, raw: str, field_name: str, problems: list[tuple[str, str]]) -> Any:
    text = raw.strip()
    if not text:
        return None
    if f.kind == "list":
        names = _names(text)
        return "*" if names == ["*"] else names
    if f.kind in ("int", "count_min", "count_max"):
        if re.fullmatch(r"[0-9]{1,7}", text):
            return int(text)
        problems.append((field_name, f"'{text}' is geen geheel getal"))
        return None
    if f.kind == "bool":
        return {"ja": True, "nee": False, "true": True, "false": False}.get(text, text)
    if f.kind in ("guard", "condition"):
        try:
            return _read_value(text)
        except EditError as exc:
            problems.append((field_name, str(exc)))
            return None
    if f.kind == "long":
        return raw.replace("\r\n", "\n").strip("\n")
    return text


def _read_value(text: str) -> Any:
    """One value in flow YAML, read the strict way (a guard such as {fact: a, equals: b})."""
    located, problems = read_yaml("waarde: " + text.replace("\n", " "), "veld")
    if problems:
        raise EditError(problems[0].message)
    return located.data["waarde"]


def _read_block(text: str, field_name: str, problems: list[tuple[str, str]]) -> dict[str, Any]:
    if not text.strip():
        return {}
    located, found = read_yaml(text.replace("\r\n", "\n"), "veld")
    if found:
        problems.append((field_name, f"regel {found[0].line}: {found[0].message}"))
        return {}
    return dict(located.data) if isinstance(located.data, dict) else {}


# --- form fields <-> edit model ---------------------------------------------------


def to_form(edit: VariantEdit) -> dict[str, str]:
    """The edit model as the form's fields, by name."""
    form: dict[str, str] = {"base_id": edit.base_id, "base_version": str(edit.base_version), "comment": edit.comment}
    form.update({f.name: edit.values.get(f.name, "") for f in TOP_FIELDS})
    form["extra"] = edit.extra
    for kind in REMOVABLE:
        form[f"remove-{kind}"] = edit.remove.get(kind, "")
    for prefix, _, _ in SECTIONS:
        for i, entry in enumerate(edit.section(prefix)):
            _entry_form(entry, f"{prefix}-{i}", form)
    return form


def _entry_form(entry: Entry, name: str, form: dict[str, str]) -> None:
    for f in KINDS[entry.kind]:
        form[f"{name}-{f.name}"] = entry.value(f.name)
    form[f"{name}-extra"] = entry.extra
    for child_key, _ in CHILDREN.get(entry.kind, ()):
        for j, child in enumerate(entry.children.get(child_key, [])):
            _entry_form(child, f"{name}-{child_key}-{j}", form)


def from_form(form: Mapping[str, str], *, drop: str = "", add: str = "") -> VariantEdit:
    """The edit model of a posted form. ``drop``: an entry's name to leave out
    (``steps-1-timers-0``); ``add``: a list to give an empty entry (``steps-1-timers``).
    Entries whose fields are all empty are left out."""
    version = form.get("base_version", "0").strip()
    edit = VariantEdit(
        base_id=form.get("base_id", "").strip(),
        base_version=int(version) if version.isdigit() else 0,
        comment=form.get("comment", "").replace("\r\n", "\n").strip("\n"),
        values={f.name: form.get(f.name, "") for f in TOP_FIELDS if form.get(f.name, "")},
        extra=form.get("extra", ""),
        remove={k: form[f"remove-{k}"] for k in REMOVABLE if form.get(f"remove-{k}", "").strip()},
    )
    for prefix, kind, _ in SECTIONS:
        setattr(edit, prefix, _entries_form(form, kind, prefix, drop, add))
    return edit


def _entries_form(form: Mapping[str, str], kind: str, prefix: str, drop: str, add: str) -> list[Entry]:
    pattern = re.compile(re.escape(prefix) + r"-([0-9]{1,4})-")
    indices = sorted({int(m.group(1)) for key in form if (m := pattern.match(key))})
    entries = []
    for i in indices:
        name = f"{prefix}-{i}"
        if name == drop:
            continue
        entry = Entry(kind, {f.name: form[f"{name}-{f.name}"] for f in KINDS[kind] if form.get(f"{name}-{f.name}", "")})
        entry.extra = form.get(f"{name}-extra", "")
        for child_key, child_kind in CHILDREN.get(kind, ()):
            entry.children[child_key] = _entries_form(form, child_kind, f"{name}-{child_key}", drop, add)
        if not entry.blank():
            entries.append(entry)
        elif add.startswith(name + "-"):
            entries.append(entry)  # an empty step that is given a part: kept
    if add == prefix:
        entries.append(Entry(kind))
    return entries


# --- problems at their fields ---------------------------------------------------


@dataclass
class Placed:
    """The loader's problems, each at the form field that wrote the value."""

    fields: dict[str, list[str]] = field(default_factory=dict)
    general: list[str] = field(default_factory=list)

    def add(self, name: str, message: str) -> None:
        self.fields.setdefault(name, []).append(message)


_MISSING = re.compile(r"verplichte sleutel '([a-z_]+)' ontbreekt")


def place(built: Built, file: str, problems: Iterable[Problem], form_names: Iterable[str] = ()) -> Placed:
    """Each problem at its field: the problem's line and column are looked up in the
    generated text, and the path found there in ``built.origin``. A problem in the base
    protocol, or one no field wrote, is ``general``."""
    placed = Placed()
    for written, message in built.problems:
        placed.add(written, message)
    located, _ = read_yaml(built.text, file)
    at: dict[tuple[int, int], Path_] = {}
    by_line: dict[int, Path_] = {}
    for positions in (located.key_positions, located.positions):
        for path, (_, line, column) in positions.items():
            if len(path) >= len(at.get((line, column), ())):
                at[(line, column)] = path
            if len(path) >= len(by_line.get(line, ())):
                by_line[line] = path
    known = set(form_names)
    for problem in problems:
        found: Path_ | None = None
        if problem.file == file:
            found = at.get((problem.line, problem.column)) or by_line.get(problem.line)
        at_field = _origin(built.origin, found) if found is not None else None
        if at_field is None:
            placed.general.append(str(problem) if problem.file != file else f"regel {problem.line}: {problem.message}")
            continue
        missing = _MISSING.search(problem.message)
        if missing and found is not None:
            candidate = at_field.rsplit("-", 1)[0] + "-" + missing.group(1)
            if not known or candidate in known:
                at_field = candidate
        placed.add(at_field, problem.message)
    return placed


def _origin(origin: Mapping[Path_, str], path: Path_) -> str | None:
    probe = tuple(path)
    while probe:
        if probe in origin:
            return origin[probe]
        probe = probe[:-1]
    return None
