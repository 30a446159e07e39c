"""The protocol file format, as pydantic models (documented in docs/protocol-format.md).

The models check shape and types; engine.protocol.checks checks meaning (unknown steps,
roles and triggers, reachability, timers that cannot fire).
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Discriminator,
    Field,
    StrictBool,
    StrictInt,
    StrictStr,
    Tag,
    field_validator,
    model_validator,
)

from engine.durations import Duration, DurationSyntaxError
from engine.protocol.scenarios import Scenario, parse_act, parse_expect, parse_given

Identifier = Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*$", max_length=64)]
MAX_VERSION = 1_000_000  # stored as an integer column on both backends
ENTERED = "binnenkomst"


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True, strict=True, populate_by_name=True)


def _parse_duration(value: object) -> str:
    if isinstance(value, dict):
        try:
            return str(Duration.from_mapping(value))
        except (DurationSyntaxError, TypeError) as exc:
            raise ValueError(str(exc)) from None
    if not isinstance(value, str):
        raise ValueError("een duur is tekst zoals '6 weken' of een paar zoals {weken: 6}")
    try:
        return str(Duration.parse(value))
    except DurationSyntaxError as exc:
        raise ValueError(str(exc)) from None


class RoleSpec(_Strict):
    label: StrictStr
    source: StrictStr | None = None
    # A role that sees a case only when the case was routed to it (the meldpunt's triage:
    # the case fact ``behandelaars`` names it); fail closed, an unrouted case it never sees.
    routed: StrictBool = False


def _unset(value: object) -> bool:
    return value is None


class InputSpec(_Strict):
    type: Literal["tekst", "datum", "akkoord", "keuze", "getal"]
    label: StrictStr
    options: list[StrictStr] | None = None
    future: StrictBool = False  # a datum that may lie ahead, e.g. an agreed end date
    source: StrictStr | None = None
    # A datum a letter asks: the day that letter is sent or handed over (Awb 3:41). It cannot
    # lie before the day the letter is made, and making the letter again with another date
    # moves the terms that run from it (issue 23).
    dispatch: StrictBool | None = Field(default=None, exclude_if=_unset)


class IdentitySpec(_Strict):
    """Whose identity the case protects, and who may see it (e.g. a melder, Wbk / art. 5)."""

    visible_to: list[Identifier]
    consent: Identifier | None = None  # an akkoord input: the subject agreed to be named
    fields: list[Identifier] = []  # inputs that identify the melder (contact details): masked like the name
    source: StrictStr | None = None


NOBODY = "niemand"  # the option of a concerns fact that names no role


class ChannelSpec(_Strict):
    """Who may see a report made through one channel (besides the melder, who always sees their own)."""

    roles: list[Identifier]
    source: StrictStr | None = None


class NeedToKnowSpec(_Strict):
    """Need to know: the channel the melder chose decides which roles see the case, and every
    holder of the role the report concerns is kept out of it. Both facts are given when the
    case is opened and no action may change them afterwards."""

    # A keuze input: the channel; every option is a key of ``channels``. Optional: without a
    # channel (the concerns-only form) every protocol role sees the case, except a stand-in
    # role, which sees it only while it stands in for the role the report concerns.
    channel: Identifier | None = Field(default=None, exclude_if=lambda v: v is None)
    channels: dict[StrictStr, ChannelSpec] = Field(default_factory=dict, exclude_if=lambda v: not v)
    concerns: Identifier | None = None  # a keuze input: the role the report concerns, or 'niemand'
    # A concerned role whose place another protocol role takes (art. 3 lid 1 onder b: the
    # toezichthouder for the bevoegd gezag); that role then also sees the case.
    stand_in: dict[Identifier, Identifier] = Field(default_factory=dict)
    # Roles kept out with a concerned role: those who work under it (a behandelaar appointed
    # by the bestuur is not impartial about a report on the bestuur; Richtlijn 2019/1937 art. 9).
    excludes: dict[Identifier, list[Identifier]] = Field(default_factory=dict, exclude_if=lambda v: not v)
    source: StrictStr | None = None

    def opening_facts(self) -> list[str]:
        return [name for name in (self.channel, self.concerns) if name]


class LegalLimit(_Strict):
    """A bound set by law that a school's variant may not cross."""

    after: StrictStr
    basis: StrictStr

    _after = field_validator("after", mode="before")(_parse_duration)


class Term(_Strict):
    """A due moment: a duration after a start fact, computed by a rule.

    Two kinds of time (docs/terms.md): a *term* ("binnen zes weken na ...") starts the day
    after its start fact (Awb 6:8); the *duration of a measure* (``measure: true``, "een
    schorsing van ten hoogste een week") starts on its first day and includes it.
    """

    after: StrictStr
    start: StrictStr = Field(default=ENTERED, alias="from")
    rule: Literal["kalender", "atw"] = "kalender"
    basis: StrictStr
    remind: list[StrictStr] = Field(default_factory=list)
    floor: LegalLimit | None = None  # the term may not be shorter (e.g. bezwaar: 6 weken, Awb 6:7)
    ceiling: LegalLimit | None = None  # the term may not be longer (e.g. schorsing: 1 week)
    # Added later: left out of the content hash when unset, so stored protocols keep theirs.
    measure: bool | None = Field(default=None, exclude_if=_unset)
    # The term starts this many calendar days after its start fact ("drie maanden na het
    # verstrijken van de termijn van zeven dagen na de melding"): e.g. "7 dagen".
    shift: StrictStr | None = Field(default=None, exclude_if=_unset)
    duration_from: Identifier | None = Field(default=None, exclude_if=_unset)  # a keuze input of durations
    when: Guard | None = Field(default=None, exclude_if=_unset)  # only scheduled when this holds
    # A statutory term from the catalogue (engine/protocol/statutory.py): its limit and rule apply.
    wettelijk: Identifier | None = Field(default=None, exclude_if=_unset)

    _after = field_validator("after", mode="before")(_parse_duration)

    @field_validator("remind", mode="before")
    @classmethod
    def _reminders(cls, value: object) -> object:
        if isinstance(value, list):
            return [_parse_duration(v) for v in value]
        return value


class OnExpiry(_Strict):
    """What happens when a timer's term passes: fire an action, tell roles, or both.

    Unset keys are left out of the content hash, so protocols written before both could be
    combined keep their hash."""

    fire: Identifier | None = Field(default=None, exclude_if=_unset)
    escalate: list[Identifier] | None = Field(default=None, exclude_if=_unset)

    @model_validator(mode="after")
    def _something(self) -> OnExpiry:
        if self.fire is None and self.escalate is None:
            raise ValueError("on_expiry is {fire: actie}, {escalate: [rollen]} of beide")
        return self

    @property
    def roles(self) -> list[str]:
        return list(self.escalate or [])


class TimerSpec(Term):
    id: Identifier
    label: StrictStr
    on_expiry: OnExpiry
    # Recurrence: after the first occurrence (``after``), again every ``every``, on the
    # ``anchor`` day when given, until the date fact ``until`` or ``times`` occurrences.
    every: StrictStr | None = Field(default=None, exclude_if=_unset)
    anchor: Literal["maandag", "dinsdag", "woensdag", "donderdag", "vrijdag", "laatste schooldag"] | None = Field(
        default=None, exclude_if=_unset
    )
    until: Identifier | None = Field(default=None, exclude_if=_unset)
    times: Annotated[StrictInt, Field(ge=1, le=1000)] | None = Field(default=None, exclude_if=_unset)

    _every = field_validator("every", mode="before")(_parse_duration)


class ObligationSpec(Term):
    id: Identifier
    label: StrictStr
    roles: list[Identifier]
    escalate: list[Identifier] = Field(default_factory=list)
    track: Identifier | None = Field(default=None, exclude_if=_unset)  # the parallel track it belongs to


class TrackSpec(_Strict):
    """A parallel track inside a step: its own actions and obligations (tagged ``track``);
    done when its ``done_by`` action is recorded. The step is left only when every required
    track is done."""

    label: StrictStr
    done_by: Identifier
    required: StrictBool = True
    source: StrictStr | None = None


class AnswerSpec(_Strict):
    label: StrictStr
    to: Identifier
    source: StrictStr | None = None


class DecisionSpec(_Strict):
    question: StrictStr
    roles: list[Identifier]
    answers: dict[Identifier, AnswerSpec]
    source: StrictStr | None = None


class StepSpec(_Strict):
    label: StrictStr
    description: StrictStr | None = None
    source: StrictStr | None = None
    final: StrictBool = False
    timers: list[TimerSpec] = Field(default_factory=list)
    obligations: list[ObligationSpec] = Field(default_factory=list)
    decision: DecisionSpec | None = None
    tracks: dict[Identifier, TrackSpec] | None = Field(default=None, exclude_if=_unset)


class FactEquals(_Strict):
    fact: Identifier
    equals: StrictStr


class FactIn(_Strict):
    fact: Identifier
    in_: list[StrictStr] = Field(alias="in")


class FactSet(_Strict):
    fact: Identifier
    set: StrictBool


class _Bounds(_Strict):
    at_least: StrictInt | None = None
    at_most: StrictInt | None = None

    @model_validator(mode="after")
    def _a_bound(self) -> _Bounds:
        if self.at_least is None and self.at_most is None:
            raise ValueError("een vergelijking heeft at_least of at_most (of beide)")
        return self

    def within(self, number: int) -> bool:
        return (self.at_least is None or number >= self.at_least) and (self.at_most is None or number <= self.at_most)


class FactCompare(_Bounds):
    """A number fact (type getal) compared: {fact: aantal_incidenten, at_least: 3}."""

    fact: Identifier


class ActionCount(_Bounds):
    """How often an action was recorded before this one: {count: melding_vastleggen, at_least: 2}."""

    count: Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9_]*(:[a-z0-9_]+)?$", max_length=129)]


class AllOf(_Strict):
    all: list[Guard]


class AnyOf(_Strict):
    any: list[Guard]


class NotOf(_Strict):
    not_: Guard = Field(alias="not")


_GUARD_KEYS = (
    ("all", "all"),
    ("any", "any"),
    ("not", "not"),
    ("count", "count"),
    ("equals", "equals"),
    ("in", "in"),
    ("set", "set"),
    ("at_least", "compare"),
    ("at_most", "compare"),
)


def _guard_kind(value: object) -> str | None:
    if isinstance(value, BaseModel):
        return {
            FactEquals: "equals",
            FactIn: "in",
            FactSet: "set",
            FactCompare: "compare",
            ActionCount: "count",
            AllOf: "all",
            AnyOf: "any",
            NotOf: "not",
        }[type(value)]
    if isinstance(value, dict):
        return next((tag for key, tag in _GUARD_KEYS if key in value), None)
    return None


Guard = Annotated[
    Annotated[FactEquals, Tag("equals")]
    | Annotated[FactIn, Tag("in")]
    | Annotated[FactSet, Tag("set")]
    | Annotated[FactCompare, Tag("compare")]
    | Annotated[ActionCount, Tag("count")]
    | Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[NotOf, Tag("not")],
    Discriminator(
        _guard_kind,
        custom_error_type="guard",
        custom_error_message=(
            "een voorwaarde is {fact: x, equals: y}, {fact: x, in: [..]}, {fact: x, set: true}, "
            "{fact: x, at_least: n}, {count: actie, at_least: n}, of {all: [..]}, {any: [..]}, {not: ..}"
        ),
    ),
]


class Advice(_Strict):
    """A soft precondition: when it does not hold the action still goes ahead, with a warning
    shown beforehand and recorded in the event ("bij voorkeur eerst ...")."""

    when: Guard
    warning: StrictStr


class OpensSpec(_Strict):
    """A linked case: the action also opens a case under another protocol, at the same school,
    for the same pupil or for the one named in a tekst input."""

    protocol: Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=64)]
    subject_from: Identifier | None = Field(default=None, exclude_if=_unset)
    # Issue 27: the step of the other protocol the linked case starts in (its initial step when
    # unset), and a required tekst or keuze input naming the group of the pupil it is about
    # (used when the school's pupil register does not know that pupil).
    step: Identifier | None = Field(default=None, exclude_if=_unset)
    group_from: Identifier | None = Field(default=None, exclude_if=_unset)


class TransitionSpec(_Strict):
    trigger: Identifier
    label: StrictStr
    from_: list[Identifier] | Literal["*"] = Field(alias="from")
    to: Identifier | None = None
    roles: list[Identifier]
    requires: list[Identifier] = Field(default_factory=list)
    accepts: list[Identifier] = Field(default_factory=list)  # inputs offered but not required
    when: Guard | None = None
    # A guard on the facts as this action's own inputs leave them (issue 27): "a melding with
    # ernst = ernstig goes to the directie". ``when`` stays a precondition on what was recorded before.
    given: Guard | None = Field(default=None, exclude_if=_unset)
    fulfils: list[Identifier] = Field(default_factory=list)  # obligations this action discharges
    advice: list[Advice] | None = Field(default=None, exclude_if=_unset)
    opens: OpensSpec | None = Field(default=None, exclude_if=_unset)
    track: Identifier | None = Field(default=None, exclude_if=_unset)  # the parallel track it belongs to
    # Obligations this action starts (issue 27): "at the third melding the parents are told"
    # without a step of its own. Their term runs from the action's moment (``from`` omitted).
    obligations: list[ObligationSpec] | None = Field(default=None, exclude_if=_unset)
    # Facts this action clears (issue 27): "het pesten is gestopt" no longer holds once the
    # pupil is targeted again. Recorded in the event (``cleared``); earlier events keep the value.
    clears: list[Identifier] | None = Field(default=None, exclude_if=_unset)
    # Other actions this one also counts as (issue 27): a driegesprek is the talk with the
    # bullied pupil and the talk with the bully at once, for tracks (done_by) and counts.
    counts_as: list[Identifier] | None = Field(default=None, exclude_if=_unset)
    source: StrictStr | None = None

    @field_validator("from_", mode="before")
    @classmethod
    def _one_or_many(cls, value: object) -> object:
        return [value] if isinstance(value, str) and value != "*" else value


class LetterSpec(_Strict):
    """A letter the protocol requires, generated from the case in the given steps."""

    label: StrictStr
    template: Identifier
    steps: list[Identifier]
    roles: list[Identifier]
    source: StrictStr | None = None
    # To whom the letter is addressed, when not to the pupil's parents (the template's own
    # addressee): 'melder' addresses the reporter in a protocol that protects their identity.
    to: Literal["melder"] | None = Field(default=None, exclude_if=_unset)
    # What the writer is asked when making it (signer, date and way of sending, ...): recorded
    # with the letter; a date fact among them may start a term (the remedy runs from sending).
    asks: list[Identifier] = Field(default_factory=list, exclude_if=lambda v: not v)
    # What the writer may add (not required): e.g. that the pupil is of age, which changes
    # to whom the letter is addressed. Recorded with the letter like what it asks.
    accepts: list[Identifier] = Field(default_factory=list, exclude_if=lambda v: not v)


class DecisionRetention(_Strict):
    """A case that holds a decision (one of these facts is recorded, or one of these actions
    was taken: a schorsing without a letter is still a decision) is kept at least this long
    after closing, departure or not: until every remedy against it has run out."""

    after: StrictStr
    basis: StrictStr
    facts: list[Identifier] = Field(default_factory=list, exclude_if=lambda v: not v)
    actions: list[Identifier] = Field(default_factory=list, exclude_if=lambda v: not v)

    _after = field_validator("after", mode="before")(_parse_duration)


class RetentionSpec(_Strict):
    """How long after closing a case keeps its personal data before it is anonymised."""

    after: StrictStr
    basis: StrictStr
    on_departure: StrictBool = False  # also anonymise once the pupil has left the school
    source: StrictStr | None = None
    decisions: DecisionRetention | None = Field(default=None, exclude_if=_unset)

    _after = field_validator("after", mode="before")(_parse_duration)


class RemedyTermSpec(Term):
    """The term within which a remedy may be filed (e.g. the bezwaartermijn, Awb 6:7)."""

    id: Identifier
    label: StrictStr


class CommitteeSpec(_Strict):
    """A longer decision term when an advisory committee hears the remedy (Awb 7:10 lid 1, 7:13)."""

    after: StrictStr
    when: Guard
    basis: StrictStr

    _after = field_validator("after", mode="before")(_parse_duration)


class PostponeSpec(_Strict):
    """The decision may be postponed once, by an action recording its reason (Awb 7:10 lid 3)."""

    by: StrictStr
    action: Identifier
    basis: StrictStr

    _by = field_validator("by", mode="before")(_parse_duration)


REMEDY_FROM_TERM_END = "einde_termijn"  # the day after the filing term ends (Awb 7:10 lid 1)
REMEDY_FROM_FILED = "ingediend"  # the day after the remedy was filed (WPO art. 63 lid 3)


class RemedyDecisionSpec(ObligationSpec):
    """The duty to decide on a filed remedy; ``from`` is einde_termijn or ingediend."""

    committee: CommitteeSpec | None = Field(default=None, exclude_if=_unset)
    postpone: PostponeSpec | None = Field(default=None, exclude_if=_unset)


class RemedySpec(_Strict):
    """A remedy (bezwaar, beroep, Geschillencommissie, klacht) is a track of the case, not of a
    step: its term starts when its start fact is recorded and runs whatever the steps do; a
    decision duty starts only when it is filed (docs/protocol-format.md, "Rechtsmiddelen")."""

    label: StrictStr
    kind: Literal["bezwaar", "beroep", "geschillencommissie", "klacht"]
    basis: StrictStr
    source: StrictStr | None = None
    when: Guard | None = Field(default=None, exclude_if=_unset)  # e.g. only at an openbare school
    term: RemedyTermSpec
    filed_by: Identifier  # the action that records the filing
    filed_on: Identifier  # the datum input of that action: the day it was received
    decision: list[RemedyDecisionSpec]  # the first whose ``when`` holds applies
    suspends: list[Identifier] = Field(default_factory=list)  # remedies whose decision waits for this one
    decided_on: Identifier | None = Field(default=None, exclude_if=_unset)  # the day of the decision (ends a suspension)


class ExtendsSpec(_Strict):
    id: StrictStr
    version: Annotated[StrictInt, Field(ge=1, le=MAX_VERSION)]


def _act_line(value: str) -> str:
    parse_act(value)
    return value


def _expect_line(value: str) -> str:
    parse_expect(value)
    return value


class ScenarioSpec(_Strict):
    """A proefscenario (engine/protocol/scenarios.py): stored with the protocol, run against a
    sandbox; it changes nothing the protocol does."""

    naam: StrictStr
    gegeven: StrictStr
    als: list[Annotated[StrictStr, AfterValidator(_act_line)]] = Field(default_factory=list)
    dan: Annotated[list[Annotated[StrictStr, AfterValidator(_expect_line)]], Field(min_length=1)]

    @field_validator("gegeven")
    @classmethod
    def _given(cls, value: str) -> str:
        parse_given(value)
        return value

    def parsed(self, index: int) -> Scenario:
        return Scenario(
            self.naam,
            parse_given(self.gegeven),
            tuple(parse_act(line) for line in self.als),
            tuple(parse_expect(line) for line in self.dan),
            index,
        )


class ProtocolSpec(_Strict):
    id: Annotated[StrictStr, Field(pattern=r"^[a-z][a-z0-9-]*$", max_length=64)]
    version: Annotated[StrictInt, Field(ge=1, le=MAX_VERSION)]
    extends: ExtendsSpec | None = None
    title: StrictStr
    source: StrictStr
    description: StrictStr | None = None
    roles: dict[Identifier, RoleSpec]
    identity: IdentitySpec | None = None
    # Added later: left out of the content hash when unset, so stored protocols keep theirs.
    need_to_know: NeedToKnowSpec | None = Field(default=None, exclude_if=_unset)
    inputs: dict[Identifier, InputSpec] = Field(default_factory=dict)
    initial: Identifier
    steps: dict[Identifier, StepSpec]
    transitions: list[TransitionSpec] = Field(default_factory=list)
    letters: dict[Identifier, LetterSpec] = Field(default_factory=dict)
    retention: RetentionSpec | None = None
    remedies: dict[Identifier, RemedySpec] | None = Field(default=None, exclude_if=_unset)
    # Trial scenarios: left out of the content hash when absent, so stored protocols keep theirs.
    proefscenarios: list[ScenarioSpec] | None = Field(default=None, exclude_if=_unset)

    def scenarios(self) -> list[Scenario]:
        return [s.parsed(i) for i, s in enumerate(self.proefscenarios or [])]


AllOf.model_rebuild()
AnyOf.model_rebuild()
NotOf.model_rebuild()
Advice.model_rebuild()
TransitionSpec.model_rebuild()
Term.model_rebuild()
TimerSpec.model_rebuild()
ObligationSpec.model_rebuild()
StepSpec.model_rebuild()
RemedyTermSpec.model_rebuild()
CommitteeSpec.model_rebuild()
RemedyDecisionSpec.model_rebuild()
RemedySpec.model_rebuild()
ProtocolSpec.model_rebuild()
