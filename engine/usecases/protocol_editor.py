"""The protocol owner's editor: a school variant built in a form (or typed as YAML),
checked by the loader as it is typed, shown against its base, and saved.

Only a protocol owner of the school the variant is for may use it; every call checks that
here, whatever the edge. Saving goes through ``_store``, the one place that decides what
saving means: proposing the variant (four eyes), published only when a second person approves.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from engine.access import PROTOCOL_OWNER, Principal
from engine.errors import Problem, ProtocolError, TredeError
from engine.protocol.diagram import DiagramMarks, marks_of, svg
from engine.protocol.diff import Change, diff_protocols
from engine.protocol.loader import load_protocol_text
from engine.protocol.model import Protocol
from engine.protocol.variant_builder import Built, Placed, VariantEdit, build, parse_variant, place, to_form
from engine.refusals import refused
from engine.usecases.base import Services
from engine.usecases.proposals import Proposal, Proposals
from engine.usecases.protocols import Protocols


@dataclass(frozen=True)
class EditorCheck:
    """What the editor shows beside the form: the problems at their fields, the YAML, and,
    once it validates, the diagram with the changes marked and the differences with the base."""

    edit: VariantEdit | None
    text: str
    file: str
    placed: Placed
    protocol: Protocol | None
    diff: list[Change] | None
    marks: DiagramMarks | None
    diagram: str

    @property
    def valid(self) -> bool:
        return self.protocol is not None and not self.placed.fields and not self.placed.general


@dataclass
class ProtocolEditor:
    services: Services

    def allowed(self, principal: Principal, school: str) -> None:
        """Only a protocol owner of this school edits its variants."""
        if not Protocols.manages(principal, school):
            raise refused(
                principal,
                "een schoolvariant van een protocol bewerken",
                [PROTOCOL_OWNER],
                school=school,
                school_name=self.services.school_name(school),
            )

    def schools(self, principal: Principal) -> list[tuple[str, str]]:
        """(id, name) of the schools whose variants this person may edit."""
        with self.services.uow() as uow:
            schools = uow.schools.list()
        return [(s.id, s.name or s.id) for s in sorted(schools, key=lambda s: s.name) if Protocols.manages(principal, s.id)]

    def start(self, principal: Principal, school: str, protocol_id: str, version: int | None = None) -> VariantEdit:
        """The edit model to begin with: a stored variant as it is (its next version), or a
        new variant of a base protocol for this school."""
        self.allowed(principal, school)
        with self.services.uow() as uow:
            stored = uow.protocols.get(protocol_id, version)
        if stored.scope not in (None, school):  # another school's own protocol: not theirs to read
            raise refused(principal, "een protocol van een andere school bewerken", [PROTOCOL_OWNER], school=stored.scope)
        protocol = self.services.protocol(stored.content_hash)
        if protocol.spec.extends is not None:
            edit, _ = parse_variant(stored.text, stored.file)
            edit.values["version"] = str(stored.version + 1)
            return edit
        edit = VariantEdit(base_id=stored.id, base_version=stored.version)
        edit.values = {
            "id": f"{stored.id}-{school}"[:64],
            "version": "1",
            "title": f"{protocol.spec.title} ({self.services.school_name(school)})",
            "source": f"{protocol.spec.source}, met afspraken van {self.services.school_name(school)}",
        }
        return edit

    def check(self, principal: Principal, school: str, edit: VariantEdit) -> EditorCheck:
        """The loader's verdict on the variant the form describes, each problem at its field."""
        self.allowed(principal, school)
        built = build(edit)
        return self._checked(school, edit, built, edit.file_name(), to_form(edit).keys())

    def check_text(self, principal: Principal, school: str, text: str, file: str = "variant.yaml") -> EditorCheck:
        """The same checks on YAML typed directly (the advanced view): problems by line."""
        self.allowed(principal, school)
        return self._checked(school, None, Built(text, {}, []), file, ())

    def _checked(
        self, school: str, edit: VariantEdit | None, built: Built, file: str, names: Iterable[str]
    ) -> EditorCheck:
        problems: list[Problem] = []
        protocol = None
        try:  # also when a field could not be written: every problem at once
            # its base: the board's or this school's own version, never another school's
            protocol = load_protocol_text(built.text, file, self.services.stored_base_at(school))
        except ProtocolError as exc:
            problems = exc.problems
        except TredeError as exc:  # the base is not loaded, or another refusal of the reader
            problems = [Problem(file, 1, 1, exc.message)]
        placed = place(built, file, problems, names)
        diff = marks = None
        diagram = ""
        if protocol is not None and not placed.fields:
            base = self._base(protocol)
            diff = diff_protocols(base, protocol) if base is not None else None
            marks = marks_of(diff or [], protocol)
            diagram = svg(protocol, marks=marks)
        return EditorCheck(edit, built.text, file, placed, protocol, diff, marks, diagram)

    def _base(self, protocol: Protocol) -> Protocol | None:
        ref = protocol.spec.extends
        if ref is None:
            return None
        with self.services.uow() as uow:
            stored = uow.protocols.get(ref.id, ref.version)
        return self.services.protocol(stored.content_hash)

    def save(self, principal: Principal, school: str, edit: VariantEdit | str) -> Proposal:
        """Check the variant and propose it for this school; a problem refuses it whole."""
        self.allowed(principal, school)
        if isinstance(edit, str):
            checked = self.check_text(principal, school, edit)
        else:
            checked = self.check(principal, school, edit)
        if not checked.valid or checked.protocol is None:
            raise ProtocolError(_problems(checked))
        return self._store(principal, checked.protocol, school)

    def _store(self, principal: Principal, protocol: Protocol, school: str) -> Proposal:
        """What saving does: a proposal, published when a second person approves it."""
        return Proposals(self.services).propose(principal, protocol.text, protocol.file, scope=school)


def _problems(checked: EditorCheck) -> list[Problem]:
    found = [Problem(checked.file, 1, 1, f"{name}: {m}") for name, ms in checked.placed.fields.items() for m in ms]
    found += [Problem(checked.file, 1, 1, m) for m in checked.placed.general]
    return found or [Problem(checked.file, 1, 1, "de variant is niet in orde")]

