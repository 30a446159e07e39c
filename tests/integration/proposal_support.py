"""What the tests of protocol proposals share: stored accounts of the demo board, and the
test protocol with another title (a change worth proposing)."""

from __future__ import annotations

from engine.access import Membership, Principal
from tests.conftest import PROEF
from tests.support import Driver

BOARD_ID = "stichting-demo"
PROEF_TEXT = PROEF.read_text(encoding="utf-8")


def titled(title: str) -> str:
    """The test protocol under another title."""
    return PROEF_TEXT.replace("title: Proefprotocol escalatie\n", f"title: {title}\n", 1)


TEXT = titled("Proefprotocol escalatie (herzien)")


def stored_account(trede: Driver, username: str, *memberships: Membership, email: str | None = None) -> Principal:
    """An account of the board (proposals look their people up again when they decide)."""
    trede.engine.users.add(username, username.title(), BOARD_ID, "geheim-wachtwoord-1", memberships, email=email)
    found = trede.engine.users.principal(username)
    assert found is not None
    return found
