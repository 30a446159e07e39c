"""Hostile protocol files: each is refused with a Dutch file:line:column message, cheaply,
and `protocol validate` and `protocol load` say the same thing. Nothing reaches the store.

Time per file is measured by benchmarks/bench.py (the "vijandige protocollen" rows); memory
is bounded here with tracemalloc, which is deterministic.
"""

from __future__ import annotations

import re
import tracemalloc
from pathlib import Path

import pytest

from engine.errors import ProtocolError
from engine.protocol.loader import load_protocol_text
from tests.conftest import MINIMAL
from tests.integration.test_cli import Cli

LOL = '["lol","lol","lol","lol","lol","lol","lol","lol","lol"]'
HOSTILE: dict[str, tuple[str, str]] = {
    # name: (text, what the message must say)
    "billion-laughs": (
        f"a: &a {LOL}\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
        "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\ne: [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n",
        r":1:4: YAML-fout: ankers",
    ),
    "recursive-alias": ("a: &a [*a]\n", r":1:4: YAML-fout: ankers"),
    "alias-without-anchor": (MINIMAL.replace("title: Mini", "title: *t"), r":3:8: YAML-fout: verwijzingen"),
    "deep-flow": ("a: " + "[" * 10_000 + "]" * 10_000 + "\n", r":1:\d+: YAML-fout: te diep genest"),
    "deep-block": ("".join("  " * i + f"k{i}:\n" for i in range(200)), r":\d+:\d+: YAML-fout: te diep genest"),
    "only-null": ("~\n", r":1:1: het bestand is leeg"),
    "only-a-list": ("- a\n- b\n", r":1:1: een protocol is een lijst van sleutels"),
    "explicit-str-tag": (MINIMAL.replace("version: 1", "version: !!str 1"), r":2:10: YAML-fout: labels"),
    "python-tag": (MINIMAL + "x: !!python/object/apply:os.system [ls]\n", r":26:4: YAML-fout: labels"),
    "ten-megabytes": (MINIMAL + "# " + "x" * 10_000_000 + "\n", r":1:1: het bestand is te groot"),
    "many-values": (
        MINIMAL.replace("roles:\n", "roles:\n" + "".join(f"  r{i}: {{label: R}}\n" for i in range(30_000)), 1),
        r":\d+:\d+: YAML-fout: het bestand is te groot \(meer dan 50000 waarden\)",
    ),
    "huge-version": (MINIMAL.replace("version: 1", "version: 100000000000000000000000000"), r":2:10: 'version' is te groot"),
    "huge-integer": (MINIMAL.replace("version: 1", "version: " + "7" * 5000), r":2:10: YAML-fout: een getal van 5000 cijfers is te groot"),
    "huge-float": (MINIMAL.replace("version: 1", "version: 1." + "7" * 5000), r":2:10: YAML-fout: een getal van 5001 cijfers"),
    "huge-duration-amount": (MINIMAL.replace("after: 2 weken", "after: {weken: " + "9" * 4400 + "}"), r":14:24: YAML-fout: een getal van 4400"),
    "thousands-of-problems": (
        MINIMAL.replace("roles:\n", "roles:\n" + "".join(f"  r{i}: 1\n" for i in range(3_000)), 1),
        r":\d+:\d+: 'r0' moet een lijst van sleutels en waarden zijn",
    ),
    "huge-duration": (MINIMAL.replace("after: 2 weken", "after: 9999 jaren"), r":14:16: duur '9999 jaren' is te lang"),
    "reserved-trigger": (
        MINIMAL.replace("on_expiry: {fire: klaar}", "on_expiry: {fire: state}").replace("trigger: klaar", "trigger: state"),
        r":\d+:\d+: 'state' is gereserveerd",
    ),
    "two-documents": (MINIMAL + "---\nid: nog-een\n", r":26:1: YAML-fout: een protocolbestand bevat één document"),
    "tab-indent": (MINIMAL.replace("  begin:\n    label: Begin", "  begin:\n\tlabel: Begin"), r":10:1: YAML-fout: "),
    "bad-indent": (MINIMAL.replace("  eind:\n    label: Eind", "  eind:\n   label: Eind"), r":\d+:\d+: YAML-fout: "),
    "control-character": (MINIMAL.replace("title: Mini", "title: Mi\x07ni"), r":3:\d+: YAML-fout: "),
    "bidi-override": (MINIMAL.replace("title: Mini", "title: \u202einiM"), r":3:8: het bestand bevat een onzichtbaar teken \(U\+202E\)"),
    "zero-width-space": (MINIMAL.replace("label: Begin", "label: Be\u200bgin"), r":\d+:\d+: het bestand bevat een onzichtbaar teken \(U\+200B\)"),
    "arabic-indic-digits": (MINIMAL.replace("after: 2 weken", "after: \u0665 weken"), r":14:16: duur '\u0665 weken' niet begrepen"),
}
LOCATED = re.compile(r"^[^:]+\.yaml:\d+:\d+: ")
ENGLISH = re.compile(r"\b(expected|found|while|mapping|scanning|could not)\b")


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_a_hostile_file_is_refused_cheaply_with_a_dutch_located_message(name: str) -> None:
    text, expected = HOSTILE[name]
    tracemalloc.start()
    try:
        with pytest.raises(ProtocolError) as refused:
            load_protocol_text(text, f"{name}.yaml")
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    messages = [str(p) for p in refused.value.problems]
    assert messages and all(LOCATED.match(m) for m in messages), messages
    assert re.search(expected, messages[0]), messages
    assert not any(ENGLISH.search(m.split(": ", 1)[1]) for m in messages), messages
    assert peak < 200_000_000, f"{peak / 1e6:.0f} MB"


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_validate_and_load_agree_and_nothing_is_stored(name: str, db_url: str, tmp_path: Path) -> None:
    text, _ = HOSTILE[name]
    path = tmp_path / f"{name}.yaml"
    path.write_text(text, encoding="utf-8")
    cli = Cli(db_url)
    cli("db", "init")
    [validated] = cli("protocol", "validate", str(path), code=3)
    loaded = cli("protocol", "load", str(path), code=3)
    assert [p["message"] for p in validated["problems"]] == [p["message"] for p in loaded["problems"]]
    assert cli("protocol", "list") == []
