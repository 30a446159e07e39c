"""Every test in tests/unit belongs to the fast layer (``python3 dev.py test --fast``): it
needs no database server, browser or node. A test that does belongs in tests/integration."""

from __future__ import annotations

from pathlib import Path

import pytest

UNIT = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(UNIT):
            item.add_marker(pytest.mark.fast)
