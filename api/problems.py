"""A protocol's problems as a person reads them, on a page and on the command line: every
problem, each with file:line:column, up to a readable number."""

from __future__ import annotations

from collections.abc import Sequence

from engine.errors import Problem, ProtocolError

SHOWN = 20  # a file with more problems than this gets the first ones and a count of the rest


def shown_problems(problems: Sequence[Problem], limit: int = SHOWN) -> list[str]:
    """``file:line:column: message`` for each of the first ``limit`` problems, then how many more."""
    lines = [str(p) for p in problems[:limit]]
    rest = len(problems) - limit
    if rest > 0:
        many = len(problems) > ProtocolError.MAX_PROBLEMS  # the error itself kept only the first ones
        lines.append(f"en nog {'meer dan ' if many else ''}{rest} {'probleem' if rest == 1 else 'problemen'}; los eerst de bovenstaande op")
    return lines


def counted(problems: Sequence[Problem]) -> str:
    """How many problems a file has, in words: "3 problemen"."""
    if len(problems) > ProtocolError.MAX_PROBLEMS:
        return f"meer dan {ProtocolError.MAX_PROBLEMS} problemen"
    return "1 probleem" if len(problems) == 1 else f"{len(problems)} problemen"
