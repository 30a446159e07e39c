"""Carrying a variant onto a new base version (issue 27, item 4), on SQLite and PostgreSQL:
the owners of a variant on an earlier base are told, once; a version loaded for one school
leaves the others the version they had."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from adapters.protocol_files import ProtocolFiles
from api.bootstrap import App
from engine.access import OPERATOR, PROTOCOL_OWNER, Membership, Principal
from engine.errors import InputError, TredeError
from engine.protocol.loader import load_protocol_file, load_protocol_text
from engine.rebase import PROTOCOL_NOTICE
from tests.support import person

ROOT = Path(__file__).parent.parent.parent
BASE = ROOT / "protocols" / "grensoverschrijdend-gedrag.yaml"
GEDRAG = "grensoverschrijdend-gedrag"


def _base(version: int, title_suffix: str = "") -> str:
    text = re.sub(r"^version: \d+$", f"version: {version}", BASE.read_text(encoding="utf-8"), count=1, flags=re.M)
    return re.sub(r"^title: (.*)$", rf"title: \1{title_suffix}", text, count=1, flags=re.M)


def _owner(app: App, username: str) -> Principal:
    found = app.engine.users.principal(username)
    assert found is not None
    return found


def _with_variant(app: App) -> None:
    for username, school in (("mw.linde", "de-linde"), ("dhr.anker", "het-anker")):
        app.engine.users.add(username, username, "stichting-demo", "geheim-wachtwoord", [Membership(PROTOCOL_OWNER, school)])
    variant = load_protocol_file(ROOT / "docs" / "examples" / "gedrag-de-linde.yaml", ProtocolFiles([BASE.parent]))
    app.engine.protocols.load(OPERATOR, variant, scope="de-linde")


def _base_notices(app: App, username: str) -> list[tuple[str, str, str | None]]:
    with app.engine.services.uow() as uow:
        notes = uow.notifications.of_user(username, "app", 50)
    return [(n.kind, n.deadline_key, n.case_id) for n in notes if n.kind == PROTOCOL_NOTICE]


def test_a_new_base_version_tells_the_owners_of_each_variant_once(app: App) -> None:
    _with_variant(app)
    stored, created = app.engine.protocols.load(OPERATOR, load_protocol_text(_base(6, " (herzien)"), "v6.yaml"))
    assert created and stored.version == 6
    told = [(PROTOCOL_NOTICE, f"gedrag-de-linde:{GEDRAG}@6", None)]
    assert _base_notices(app, "mw.linde") == told
    assert _base_notices(app, "mevr.protocol") == told  # the board's protocol owner keeps every school's
    assert _base_notices(app, "dhr.anker") == []  # no variant at Het Anker
    assert _base_notices(app, "juf.anna") == []  # not a protocol owner
    # loading the same text again changes nothing and tells nobody again
    assert app.engine.protocols.load(OPERATOR, load_protocol_text(_base(6, " (herzien)"), "v6.yaml"))[1] is False
    assert _base_notices(app, "mw.linde") == told
    # the notice is shown to its owner, with the variant it concerns
    shown = app.engine.reads.notifications(_owner(app, "mw.linde"))
    assert [(n.heading, n.variant) for n in shown] == [("Nieuwe basisversie beschikbaar", "gedrag-de-linde")]
    # carrying it over proposes the variant on version 6: nothing is loaded before a second
    # person approves; asking again returns the same open proposal
    proposal, rebase = app.engine.proposals.carry_over(_owner(app, "mw.linde"), "gedrag-de-linde")
    assert (proposal.status, proposal.scope, rebase.old_version, rebase.new_version) == ("voorgesteld", "de-linde", 5, 6)
    assert app.engine.proposals.carry_over(_owner(app, "mw.linde"), "gedrag-de-linde")[0].id == proposal.id
    assert [p.version for p in app.engine.protocols.versions("gedrag-de-linde")] == [1]
    assert [r.variant.id for r in app.engine.protocols.rebases(_owner(app, "mw.linde"))] == ["gedrag-de-linde"]
    assert app.engine.proposals.waiting(_owner(app, "mw.linde"), rebase) == proposal
    # the board's protocol owner approves; the variant then follows version 6, nothing is pending
    approved = app.engine.proposals.approve(_owner(app, "mevr.protocol"), proposal.id)
    assert (approved.status, approved.version) == ("gepubliceerd", 2)
    variant = app.engine.protocols.get("gedrag-de-linde")
    assert variant.stored.scope == "de-linde" and variant.protocol.spec.extends is not None
    assert variant.protocol.spec.extends.version == 6
    assert app.engine.protocols.rebases(_owner(app, "mw.linde")) == []


def test_a_protocol_owner_of_another_school_cannot_carry_the_variant_over(app: App) -> None:
    _with_variant(app)
    app.engine.protocols.load(OPERATOR, load_protocol_text(_base(6, " (herzien)"), "v6.yaml"))
    with pytest.raises(InputError):
        app.engine.proposals.carry_over(_owner(app, "dhr.anker"), "gedrag-de-linde")
    with pytest.raises(TredeError):  # not a protocol owner at all
        app.engine.proposals.carry_over(person("juf.anna", "leerkracht", school="de-linde"), "gedrag-de-linde")
    assert app.engine.proposals.list(_owner(app, "mevr.protocol")) == []


def test_a_version_for_one_school_leaves_the_others_their_version(app: App) -> None:
    _with_variant(app)
    app.engine.protocols.load(OPERATOR, load_protocol_text(_base(6, " (Het Anker)"), "v6.yaml"), scope="het-anker")

    def offered(school: str) -> list[tuple[str, int]]:
        openable = app.engine.protocols.openable(person("juf.x", "leerkracht", school=school))
        return sorted((o.stored.id, o.stored.version) for o in openable if GEDRAG in (o.stored.id, o.stored.title) or o.stored.id.startswith("gedrag"))

    assert offered("het-anker") == [(GEDRAG, 6)]
    assert offered("het-baken") == [(GEDRAG, 5)]  # kept the version it had
    assert offered("de-linde") == [("gedrag-de-linde", 1)]  # its own variant, still on version 5
    # a version loaded for Het Anker is no new base for De Linde's variant: nobody is told
    assert _base_notices(app, "mw.linde") == [] and app.engine.protocols.rebases(_owner(app, "mw.linde")) == []
    case = app.engine.cases.open(person("juf.x", "leerkracht"), GEDRAG, school="het-baken", subject="Leerling-Vos")
    assert case.protocol_hash == app.engine.protocols.get(GEDRAG, 5).stored.content_hash
    case = app.engine.cases.open(person("juf.x", "leerkracht"), GEDRAG, school="het-anker", subject="Leerling-Vos")
    assert case.protocol_hash == app.engine.protocols.get(GEDRAG, 6).stored.content_hash
