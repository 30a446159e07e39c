"""Carrying a school variant onto a new version of its base: what its owners are told.

When the board loads a new version of a protocol that variants extend, the protocol owners
of each variant's school get a notice (kind ``PROTOCOL_NOTICE``, no case) naming the variant
and the new base version; the protocol page then shows what changed in the base and the
variant's text applied to it. Carrying it over is a publication like any other: the owner
proposes the rebased text (``Proposals.carry_over``), its proefscenario's run on it, and it
is published only when a second authorised person approves it (four eyes).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from engine.errors import Problem
from engine.ports import StoredProtocol
from engine.protocol.diff import Change
from engine.protocol.model import Protocol
from engine.protocol.yamlsource import read_yaml

PROTOCOL_NOTICE = "basisversie"  # the kind of a notice about a new base version of a variant


def notice_key(variant_id: str, base_id: str, base_version: int) -> str:
    """What a base-version notice is about (its ``deadline_key``): ``variant:base@version``."""
    return f"{variant_id}:{base_id}@{base_version}"


def notice_about(key: str) -> tuple[str, str, int] | None:
    """(variant id, base id, base version) of a base-version notice's key; None when malformed."""
    variant, _, rest = key.partition(":")
    base, _, version = rest.rpartition("@")
    if not (variant and base and version.isdigit()):
        return None
    return variant, base, int(version)


def notice_label(key: str) -> str:
    found = notice_about(key)
    if found is None:
        return key
    variant, base, version = found
    return f"{base} versie {version}: neem de variant {variant} over"


@dataclass(frozen=True)
class Rebase:
    """A variant whose base has a newer version, and its text applied to that version."""

    variant: StoredProtocol  # the newest version of the variant (on the earlier base)
    base_id: str
    old_version: int  # the base version the variant extends
    new_version: int  # the newest base version offered at the variant's school
    changes: list[Change]  # what the base changed from old_version to new_version
    text: str  # the variant's text with ``extends`` on the new version
    problems: list[Problem] = field(default_factory=list)  # why the rebased text does not load
    protocol: Protocol | None = None  # the rebased variant, when it validates
    warnings: list[str] = field(default_factory=list)  # what now means something else (``now_in_base``)

    @property
    def ok(self) -> bool:
        return self.protocol is not None and not self.problems

    @property
    def status(self) -> str:
        if self.ok:
            return "kan worden overgenomen"
        return f"{len(self.problems)} probleem" + ("" if len(self.problems) == 1 else "en")


def on_base_version(text: str, file: str, version: int) -> str:
    """The variant's text with its ``extends`` on base ``version``: only that number changes,
    so every line (and every problem found in it) stays where the owner wrote it."""
    located, problems = read_yaml(text, file)
    if problems or (located.data or {}).get("extends") is None:
        return text
    _, line, column = located.locate(("extends", "version"))
    lines = text.splitlines(keepends=True)
    row = lines[line - 1]
    start = column - 1
    end = start
    while end < len(row) and row[end].isdigit():
        end += 1
    if end == start:  # not a plain number where the reader placed it: leave the text alone
        return text
    lines[line - 1] = row[:start] + str(version) + row[end:]
    return "".join(lines)


def now_in_base(text: str, file: str, old: Protocol, new: Protocol) -> list[str]:
    """The variant's own new steps and actions that the new base now also has under the same
    name: on the new base the variant changes the base's element instead of adding its own,
    which the owner must know before proposing it (Dutch, one line each)."""
    located, problems = read_yaml(text, file)
    data = located.data if not problems and isinstance(located.data, dict) else {}
    found_steps = data.get("steps")
    steps: dict[str, object] = found_steps if isinstance(found_steps, dict) else {}
    triggers = [t.get("trigger") for t in data.get("transitions") or [] if isinstance(t, dict)]
    old_triggers = {t.trigger for t in old.spec.transitions}
    new_triggers = {t.trigger for t in new.spec.transitions}
    found = [
        f"de nieuwe basisversie heeft nu ook een stap '{name}'; uw variant wijzigt die nu in plaats "
        "van een eigen stap toe te voegen"
        for name in steps
        if name not in old.spec.steps and name in new.spec.steps
    ]
    found += [
        f"de nieuwe basisversie heeft nu ook een actie '{name}'; uw variant wijzigt die nu in plaats "
        "van een eigen actie toe te voegen"
        for name in dict.fromkeys(t for t in triggers if isinstance(t, str))
        if name not in old_triggers and name in new_triggers
    ]
    return found
