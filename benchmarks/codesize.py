"""Size and complexity of trede's own code (engine, adapters, api). Prints one table;
run: python benchmarks/codesize.py [ROOT]

- the modules over 450 lines (the limit is 600 outside tests);
- radon's cyclomatic complexity: the average over every block, how many blocks rank C
  (11-20) or worse, and the worst blocks;
- whether a class named ``Accounts`` is still defined anywhere.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from radon.complexity import cc_rank, cc_visit

PACKAGES = ("engine", "adapters", "api")


def modules(root: Path) -> list[Path]:
    return sorted(p for package in PACKAGES for p in (root / package).rglob("*.py") if "migrations" not in p.parts)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("root", nargs="?", default=str(Path(__file__).resolve().parent.parent))
    parser.add_argument("--worst", type=int, default=10)
    args = parser.parse_args()
    root = Path(args.root)
    lines: dict[str, int] = {}
    blocks: list[tuple[int, str]] = []
    accounts = []
    for path in modules(root):
        text = path.read_text(encoding="utf-8")
        name = str(path.relative_to(root))
        lines[name] = text.count("\n")
        if re.search(r"^class Accounts\b", text, re.M):
            accounts.append(name)
        for block in cc_visit(text):
            label = f"{block.classname}.{block.name}" if getattr(block, "classname", None) else block.name
            blocks.append((block.complexity, f"{name}:{block.lineno} {label}"))
    total = sum(lines.values())
    print(f"{'modules':<40} {len(lines):>8}")
    print(f"{'lines (engine, adapters, api)':<40} {total:>8}")
    print(f"{'modules over 600 lines':<40} {sum(n > 600 for n in lines.values()):>8}")
    print(f"{'blocks (radon cc)':<40} {len(blocks):>8}")
    print(f"{'average complexity':<40} {sum(c for c, _ in blocks) / len(blocks):>8.2f}")
    for rank in "CDEF":
        print(f"{'blocks ranked ' + rank:<40} {sum(cc_rank(c) == rank for c, _ in blocks):>8}")
    print(f"{'class Accounts defined in':<40} {', '.join(accounts) or '-':>8}")
    print("\nlargest modules")
    for name, count in sorted(lines.items(), key=lambda item: -item[1])[:10]:
        print(f"  {count:>6}  {name}")
    print("\nmost complex blocks")
    for complexity, where in sorted(blocks, reverse=True)[: args.worst]:
        print(f"  {complexity:>3} {cc_rank(complexity)}  {where}")


if __name__ == "__main__":
    sys.exit(main())
