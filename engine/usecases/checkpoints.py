"""Signed checkpoints of the whole trail, and the checks that need no checkpoint at all.

Made by the server's administrator or a board-wide auditor (the worker makes them on a
schedule); verified against a checkpoint file the auditor keeps, with the public key the
auditor keeps. The results name ids and positions only, never a case's contents."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from engine.access import AUDITOR, Principal
from engine.audit import missing_events, verify_case
from engine.checkpoints import (
    ACCESS_GENESIS,
    Checkpoint,
    ProtocolText,
    access_chain,
    leaves_problems,
    proposal_chain,
    reporter_chain,
    state,
    text_sha256,
)
from engine.events import Event
from engine.incidents import INCIDENT_GENESIS, EntryType, chain_problems, personal_problems
from engine.ports import ChainedAccess, ChainedReporterEntry, ProposalEntry, SignatureChecker, Signer, UnitOfWork
from engine.protocol.loader import load_protocol_text
from engine.refusals import refused
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
            incidents = uow.incidents.chain()
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
                proposals=len(proposals := uow.proposals.entries()),
                proposals_head=proposals[-1].hash if proposals else ACCESS_GENESIS,
                incident_log=len(incidents),
                incident_log_head=incidents[-1].hash if incidents else INCIDENT_GENESIS,
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
            proposals = uow.proposals.entries()
            problems += proposal_chain_problems(proposals)
            if statement.proposals is not None and statement.proposals_head is not None:
                stated = [p.hash for p in proposals]
                problems += _since(stated, statement.proposals, statement.proposals_head, PROPOSALS_LOG)
            incidents = uow.incidents.chain()
            problems += incident_problems(uow)
            if statement.incident_log is not None and statement.incident_log_head is not None:
                problems += _since(
                    [r.hash for r in incidents], statement.incident_log, statement.incident_log_head, INCIDENT_LOG
                )
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
            problems += proposal_chain_problems(uow.proposals.entries())
            problems += incident_problems(uow)
        return IntegrityReport(not problems, problems, 0, len(stored), len(chain), len(reporting))

    def _cases_since(self, uow: UnitOfWork, checkpoint: Checkpoint) -> list[str]:
        problems: list[str] = []
        made = _made_at(checkpoint)
        heads = list(checkpoint.heads)
        for start in range(0, len(heads), CHUNK):
            part = heads[start : start + CHUNK]
            ids = [h.case_id for h in part]
            events = uow.cases.events_many(ids)
            present = set(uow.cases.get_many([i for i in ids if events.get(i)]))
            letters, files = uow.letters.hashes(ids), uow.attachments.hashes(ids)
            for head in part:
                found = events.get(head.case_id, [])
                by_seq = {e.seq: e for e in found}
                missing = [n for n in range(1, head.seq + 1) if n not in by_seq]
                if not found or head.case_id not in present:
                    problems.append(f"zaak {head.case_id} ontbreekt (bij het controlepunt {head.seq} gebeurtenissen)")
                elif missing and missing[-1] == head.seq and max(by_seq) < missing[0]:
                    problems.append(f"zaak {head.case_id} is ingekort: {missing_events(missing)}")
                elif missing:
                    problems.append(f"zaak {head.case_id}: {missing_events(missing)} (bij het controlepunt aanwezig)")
                elif by_seq[head.seq].hash != head.hash:
                    problems.append(
                        f"zaak {head.case_id}: gebeurtenis {head.seq} is anders dan bij het controlepunt "
                        "(de keten is opnieuw berekend of gewijzigd)"
                    )
                else:
                    case = uow.cases.get(head.case_id)
                    result = verify_case(case, found, letters, files)
                    if not result.ok:
                        problems.append(f"zaak {head.case_id}: {result.problem}")
                if made is not None:
                    later = [e for e in found if e.seq > head.seq]
                    problems += _backdated(head.case_id, later, made, checkpoint.statement.made_at)
        if made is not None:
            problems += self._new_cases_before(uow, checkpoint, made)
        return problems

    def _new_cases_before(self, uow: UnitOfWork, checkpoint: Checkpoint, made: datetime) -> list[str]:
        """A case the checkpoint does not hold was opened after it: every one of its events
        must be recorded after the checkpoint was made (issue 24)."""
        covered = {h.case_id for h in checkpoint.heads}
        new = [c for c in uow.cases.ids() if c not in covered]
        new += [c for c in uow.cases.orphans() if c not in covered]
        problems: list[str] = []
        for start in range(0, len(new), CHUNK):
            events = uow.cases.events_many(new[start : start + CHUNK])
            for case_id in new[start : start + CHUNK]:
                early = [e for e in events.get(case_id, []) if e.recorded_at < made - CHECKPOINT_GRACE]
                if early:
                    problems.append(
                        f"zaak {case_id} staat niet in het controlepunt van {checkpoint.statement.made_at}, "
                        f"maar gebeurtenis {early[0].seq} is vastgelegd op {_moment(early[0].recorded_at)}, "
                        "daarvóór (achteraf ingevoegd of teruggedateerd)"
                    )
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


# How long before a checkpoint's made_at an event it does not hold may still be recorded: a
# writer that read the clock before the checkpoint's snapshot and committed after it.
CHECKPOINT_GRACE = timedelta(minutes=2)


def _made_at(checkpoint: Checkpoint) -> datetime | None:
    try:
        return datetime.fromisoformat(checkpoint.statement.made_at)
    except ValueError:
        return None  # the signature check already reports an edited statement


def _moment(at: datetime) -> str:
    return at.astimezone(UTC).isoformat(timespec="seconds")


def _backdated(case_id: str, later: Sequence[Event], made: datetime, stated: str) -> list[str]:
    """Events beyond the checkpoint's head were appended after it was made."""
    return [
        f"zaak {case_id}: gebeurtenis {e.seq} valt na het controlepunt van {stated}, "
        f"maar is vastgelegd op {_moment(e.recorded_at)}, daarvóór (achteraf ingevoegd of teruggedateerd)"
        for e in later
        if e.recorded_at < made - CHECKPOINT_GRACE
    ]


def _chain_problems(chain: list[ChainedAccess]) -> list[str]:
    rows = [
        (row.prev_hash, row.hash, access_chain(row.prev_hash or "", e.at, e.username, e.roles, e.case_id, e.school, e.what), e.at)
        for row in chain
        for e in (row.entry,)
    ]
    return _log_problems("toegangslog", rows)


def _reporter_chain_problems(chain: list[ChainedReporterEntry]) -> list[str]:
    rows = [
        (
            row.prev_hash,
            row.hash,
            reporter_chain(row.prev_hash, e.day.isoformat(), e.reader, e.roles, e.case_id, e.school, e.what),
            e.day,
        )
        for row in chain
        for e in (row.entry,)
    ]
    return _log_problems(MELDERS_LOG, rows)


def _log_problems(name: str, rows: Sequence[tuple[str | None, str | None, str, date]]) -> list[str]:
    """Every problem of an access log's chain, not only the first (issue 24): each row is
    checked against the row stored before it, so an edit does not hide a later removal.
    A row's time never goes back (``at``, or the day in the melders' log)."""
    problems: list[str] = []
    prev: str | None = ACCESS_GENESIS
    before: date | None = None
    for position, (prev_hash, stored, expected, at) in enumerate(rows, start=1):
        if prev_hash != prev:
            problems.append(f"{name}: regel {position} sluit niet aan op de vorige (verwijderd, verplaatst of ingevoegd)")
        elif stored != expected:
            problems.append(f"{name}: regel {position} is gewijzigd")
        if before is not None and at < before:
            problems.append(f"{name}: regel {position} is vastgelegd vóór regel {position - 1}")
        prev, before = stored, at
    return problems


MELDERS_LOG = "toegangslog van melders"
PROPOSALS_LOG = "logboek van protocolvoorstellen"


def proposal_chain_problems(entries: Sequence[ProposalEntry]) -> list[str]:
    """Every step of the proposals log that no longer chains or no longer gives its hash,
    or that was recorded before the step it follows."""
    rows = [(e.prev_hash, e.hash, proposal_chain(e.prev_hash, e), e.at) for e in entries]
    return _log_problems(PROPOSALS_LOG, rows)
INCIDENT_LOG = "incidentenlog"


def incident_problems(uow: UnitOfWork) -> list[str]:
    """The incident log still chains, and every loaded categories version is the text its
    chained entry names (a text edited in the database, or a version the chain never saw)."""
    chain = uow.incidents.chain()
    problems = chain_problems(chain) + personal_problems(chain, uow.incidents.personal())
    chained: dict[int, str] = {}
    for row in chain:
        try:
            entry = row.entry()
        except (ValueError, KeyError, TypeError):
            continue
        if entry.type == EntryType.CATEGORIES:
            chained[int(entry.data["version"])] = str(entry.data["content_hash"])
    for version, content_hash, text_hash in uow.incidents.categories_versions():
        if text_hash != content_hash:
            problems.append(f"incidentcategorieën versie {version}: de opgeslagen tekst is gewijzigd")
        if chained.get(version) != content_hash:
            problems.append(f"incidentcategorieën versie {version}: staat niet (zo) in het incidentenlog")
    return problems


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
        raise refused(principal, action, [AUDITOR], board_wide=True)
