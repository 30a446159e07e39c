"""Signed checkpoints of the whole trail, and the checks that need no checkpoint at all.

Made by the server's administrator or a board-wide auditor (the worker makes them on a
schedule); verified against a checkpoint file the auditor keeps, with the public key the
auditor keeps. The results name ids and positions only, never a case's contents."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from engine.access import Principal
from engine.audit import verify_case
from engine.checkpoints import (
    ACCESS_GENESIS,
    Checkpoint,
    ProtocolText,
    access_chain,
    leaves_problems,
    reporter_chain,
    state,
    text_sha256,
)
from engine.errors import PermissionDenied
from engine.ports import ChainedAccess, ChainedReporterEntry, SignatureChecker, Signer, UnitOfWork
from engine.protocol.loader import load_protocol_text
from engine.usecases.base import Services

CHUNK = 500


@dataclass(frozen=True)
class IntegrityReport:
    ok: bool
    problems: list[str] = field(default_factory=list)
    cases: int = 0
    protocols: int = 0
    access_log: int = 0
    reporter_log: int = 0

    def to_dict(self) -> dict[str, object]:
        return dict(self.__dict__)


@dataclass
class Checkpoints:
    services: Services

    def make(self, principal: Principal, signer: Signer) -> Checkpoint:
        """State the whole trail now, sign it and store the statement (append-only)."""
        _board_wide(principal, "een controlepunt maken")
        s = self.services
        with s.uow(write=True, snapshot=True) as uow:
            heads = uow.cases.heads()
            texts = [ProtocolText(p.content_hash, text_sha256(p.text)) for p in uow.protocols.list()]
            chain = uow.access_log.chain()
            reporting = uow.reporter_log.chain()
            statement = state(
                made_at=s.clock.now(),
                heads=heads,
                events=uow.cases.event_count(),
                texts=texts,
                access_log=len(chain),
                access_log_head=(chain[-1].hash or "") if chain else ACCESS_GENESIS,
                key_id=signer.key_id,
                reporter_log=len(reporting),
                reporter_log_head=reporting[-1].hash if reporting else ACCESS_GENESIS,
            )
            signature = signer.sign(statement.canonical())
            uow.checkpoints.add(s.clock.now(), signer.key_id, statement.canonical().decode("utf-8"), signature)
            uow.commit()
        return Checkpoint(statement, signature, tuple(heads), tuple(texts))

    def verify(self, principal: Principal, checkpoint: Checkpoint, checker: SignatureChecker) -> IntegrityReport:
        """Everything the checkpoint covered is still there, unchanged, in the same order."""
        _board_wide(principal, "tegen een controlepunt controleren")
        statement = checkpoint.statement
        problems: list[str] = []
        if checker.key_id != statement.key_id or not checker.verify(statement.canonical(), checkpoint.signature):
            problems.append("de handtekening van het controlepunt klopt niet (andere sleutel of gewijzigd bestand)")
        problems += leaves_problems(checkpoint)
        with self.services.uow(snapshot=True) as uow:
            problems += self._cases_since(uow, checkpoint)
            problems += self._protocols_since(uow, checkpoint)
            chain = uow.access_log.chain()
            problems += _chain_problems(chain)
            problems += _log_since(chain, statement.access_log, statement.access_log_head)
            reporting = uow.reporter_log.chain()
            problems += _reporter_chain_problems(reporting)
            if statement.reporter_log is not None and statement.reporter_log_head is not None:
                hashes = [r.hash for r in reporting]
                problems += _since(hashes, statement.reporter_log, statement.reporter_log_head, MELDERS_LOG)
        return IntegrityReport(
            not problems,
            problems,
            statement.cases,
            statement.protocols,
            statement.access_log,
            statement.reporter_log or 0,
        )

    def verify_store(self, principal: Principal) -> IntegrityReport:
        """What needs no checkpoint: every stored protocol text still gives its content hash,
        and the access log still chains. (Cases: Reads.verify_all.)"""
        _board_wide(principal, "de opslag controleren")
        problems: list[str] = []
        with self.services.uow(snapshot=True) as uow:
            stored = uow.protocols.list()
            for p in stored:
                found = load_protocol_text(p.text, p.file, self.services.stored_base).content_hash
                if found != p.content_hash:
                    problems.append(f"protocol {p.id} versie {p.version}: de opgeslagen tekst is gewijzigd")
            chain = uow.access_log.chain()
            problems += _chain_problems(chain)
            reporting = uow.reporter_log.chain()
            problems += _reporter_chain_problems(reporting)
        return IntegrityReport(not problems, problems, 0, len(stored), len(chain), len(reporting))

    def _cases_since(self, uow: UnitOfWork, checkpoint: Checkpoint) -> list[str]:
        problems: list[str] = []
        heads = list(checkpoint.heads)
        for start in range(0, len(heads), CHUNK):
            part = heads[start : start + CHUNK]
            ids = [h.case_id for h in part]
            events = uow.cases.events_many(ids)
            present = set(uow.cases.get_many([i for i in ids if events.get(i)]))
            letters, files = uow.letters.hashes(ids), uow.attachments.hashes(ids)
            for head in part:
                found = events.get(head.case_id, [])
                if not found or head.case_id not in present:
                    problems.append(f"zaak {head.case_id} ontbreekt (bij het controlepunt {head.seq} gebeurtenissen)")
                elif len(found) < head.seq:
                    problems.append(f"zaak {head.case_id} is ingekort: gebeurtenis {len(found) + 1} tot en met {head.seq} ontbreken")
                elif found[head.seq - 1].hash != head.hash:
                    problems.append(
                        f"zaak {head.case_id}: gebeurtenis {head.seq} is anders dan bij het controlepunt "
                        "(de keten is opnieuw berekend of gewijzigd)"
                    )
                else:
                    case = uow.cases.get(head.case_id)
                    result = verify_case(case, found, letters, files)
                    if not result.ok:
                        problems.append(f"zaak {head.case_id}: {result.problem}")
        return problems

    def _protocols_since(self, uow: UnitOfWork, checkpoint: Checkpoint) -> list[str]:
        stored = {p.content_hash: p for p in uow.protocols.list()}
        problems = []
        for p in checkpoint.protocols:
            now = stored.get(p.content_hash)
            if now is None:
                problems.append(f"protocolversie {p.content_hash[:12]} ontbreekt")
            elif text_sha256(now.text) != p.text_sha256:
                problems.append(f"protocol {now.id} versie {now.version}: de opgeslagen tekst is gewijzigd")
        return problems


def _chain_problems(chain: list[ChainedAccess]) -> list[str]:
    prev = ACCESS_GENESIS
    for position, row in enumerate(chain, start=1):
        e = row.entry
        expected = access_chain(prev, e.at, e.username, e.roles, e.case_id, e.school, e.what)
        if row.prev_hash != prev:
            return [f"toegangslog: regel {position} sluit niet aan op de vorige (verwijderd, verplaatst of ingevoegd)"]
        if row.hash != expected:
            return [f"toegangslog: regel {position} is gewijzigd"]
        prev = expected
    return []


def _reporter_chain_problems(chain: list[ChainedReporterEntry]) -> list[str]:
    prev = ACCESS_GENESIS
    for position, row in enumerate(chain, start=1):
        e = row.entry
        expected = reporter_chain(prev, e.day.isoformat(), e.reader, e.roles, e.case_id, e.school, e.what)
        if row.prev_hash != prev:
            return [f"{MELDERS_LOG}: regel {position} sluit niet aan op de vorige (verwijderd, verplaatst of ingevoegd)"]
        if row.hash != expected:
            return [f"{MELDERS_LOG}: regel {position} is gewijzigd"]
        prev = expected
    return []


MELDERS_LOG = "toegangslog van melders"


def _log_since(chain: list[ChainedAccess], count: int, head: str) -> list[str]:
    return _since([row.hash for row in chain], count, head, "toegangslog")


def _since(hashes: Sequence[str | None], count: int, head: str, name: str) -> list[str]:
    if len(hashes) < count:
        return [f"{name} is ingekort: {count} regels bij het controlepunt, nu {len(hashes)}"]
    at_checkpoint = hashes[count - 1] if count else ACCESS_GENESIS
    if at_checkpoint != head:
        return [f"{name}: de eerste {count} regels zijn anders dan bij het controlepunt"]
    return []


def _board_wide(principal: Principal, action: str) -> None:
    if not (principal.is_operator() or (principal.is_auditor() and principal.schools() is None)):
        raise PermissionDenied(",".join(sorted(principal.roles())) or "-", action, ["auditor"])
