"""The one error tree of trede.

Every error carries structured fields (``fields``) and a Dutch message meant for
the people who use trede. The edges translate: the CLI maps ``exit_code``, the
web layer maps ``http_status``; neither inspects message text.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, ClassVar


class TredeError(Exception):
    code: ClassVar[str] = "trede_error"
    http_status: ClassVar[int] = 400
    exit_code: ClassVar[int] = 1

    def __init__(self, message: str, **fields: Any) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields

    def to_dict(self) -> dict[str, Any]:
        return {"error": self.code, "message": self.message, **self.fields}


# --- protocols -------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a protocol file, located in that file."""

    file: str
    line: int
    column: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}: {self.message}"


class ProtocolError(TredeError):
    """A protocol file that cannot be used. Lists every problem found."""

    code = "protocol_invalid"
    http_status = 422
    exit_code = 3

    MAX_PROBLEMS: ClassVar[int] = 100  # a file with thousands of wrong values gets a readable answer

    def __init__(self, problems: list[Problem]) -> None:
        ordered = sorted(problems, key=lambda p: (p.file, p.line, p.column))
        if len(ordered) > self.MAX_PROBLEMS:
            rest = ordered[self.MAX_PROBLEMS]
            more = len(ordered) - self.MAX_PROBLEMS
            ordered = [
                *ordered[: self.MAX_PROBLEMS],
                Problem(rest.file, rest.line, rest.column, f"en nog {more} problemen; los eerst de bovenstaande op"),
            ]
        self.problems = ordered
        first = self.problems[0]
        super().__init__(
            "\n".join(str(p) for p in self.problems),
            file=first.file,
            line=first.line,
            column=first.column,
            problems=[p.__dict__ for p in self.problems],
        )


class ProtocolNotFound(TredeError):
    code = "protocol_not_found"
    http_status = 404
    exit_code = 4

    def __init__(self, protocol_id: str, version: int | None = None) -> None:
        what = protocol_id if version is None else f"{protocol_id} versie {version}"
        super().__init__(f"Protocol {what} is niet geladen.", protocol_id=protocol_id, version=version)


# --- cases -----------------------------------------------------------------


class CaseNotFound(TredeError):
    code = "case_not_found"
    http_status = 404
    exit_code = 4

    def __init__(self, case_id: str) -> None:
        super().__init__(f"Zaak {case_id} bestaat niet.", case_id=case_id)


class IncidentNotFound(TredeError):
    code = "incident_not_found"
    http_status = 404
    exit_code = 4

    def __init__(self, incident_id: str) -> None:
        super().__init__(f"Incident {incident_id[:40]} bestaat niet.", incident_id=incident_id[:40])


class DataFileError(TredeError):
    """A data file loaded beside the protocols (incident categories, meldpunt triage, monitor
    results) that cannot be used: every problem at once, each at its file:line."""

    code = "data_file_invalid"
    http_status = 422
    exit_code = 3
    lead = "Het bestand is niet bruikbaar"

    def __init__(self, problems: list[str]) -> None:
        super().__init__(f"{self.lead}: " + "; ".join(problems[:50]), problems=problems[:50])
        self.problems = problems


class CategoriesError(DataFileError):
    """An incident-categories file that cannot be used (issue 28)."""

    code = "categories_invalid"
    lead = "De incidentcategorieën zijn niet bruikbaar"


class MonitorFileError(DataFileError):
    """A monitor-results file that cannot be imported (the yearly evaluation, issue 28)."""

    code = "monitor_invalid"
    lead = "De monitorresultaten zijn niet in te lezen"


class TriageError(DataFileError):
    """A meldpunt triage file (categories, routing, standard answers) that cannot be used."""

    code = "triage_invalid"
    lead = "De indeling van het meldpunt is niet bruikbaar"


class TransitionNotAllowed(TredeError):
    """The trigger does not exist or is not valid from the current step."""

    code = "transition_not_allowed"
    http_status = 409
    exit_code = 5

    def __init__(self, trigger: str, step: str, allowed: list[str], reason: str | None = None) -> None:
        allowed_txt = ", ".join(allowed) if allowed else "geen"
        why = reason or f"Actie '{trigger}' is niet mogelijk in stap '{step}'."
        super().__init__(f"{why} Nu mogelijk: {allowed_txt}.", trigger=trigger, step=step, allowed=allowed)


class GuardFailed(TransitionNotAllowed):
    """The trigger is valid from this step but its condition does not hold."""

    code = "guard_failed"

    def __init__(self, trigger: str, step: str, allowed: list[str], condition: str) -> None:
        super().__init__(
            trigger,
            step,
            allowed,
            reason=f"Actie '{trigger}' kan nu niet: voorwaarde niet vervuld ({condition}).",
        )
        self.fields["condition"] = condition


class RemedyRunning(GuardFailed):
    """The case would close while a remedy's term or decision still runs, without a reason."""

    code = "remedy_running"

    def __init__(self, trigger: str, step: str, deadlines: list[str], running: str) -> None:
        super().__init__(
            trigger,
            step,
            [],
            f"er loopt nog een rechtsmiddel: {running}; sluit de zaak alleen af met een reden in "
            "'motivering_rechtsmiddel'",
        )
        self.fields["remedies"] = deadlines


class RecordedByAction(TransitionNotAllowed):
    """An obligation that an action fulfils is recorded with that action, not on its own."""

    code = "recorded_by_action"

    def __init__(self, obligation: str, step: str, actions: list[str]) -> None:
        names = " of ".join(f"'{a}'" for a in actions)
        super().__init__(
            obligation,
            step,
            actions,
            reason=f"'{obligation}' wordt vastgelegd met de actie {names}, met de voorwaarden en invoer van die actie.",
        )


class CaseClosed(TransitionNotAllowed):
    code = "case_closed"

    def __init__(self, trigger: str, step: str) -> None:
        super().__init__(trigger, step, [], reason=f"De zaak is afgesloten in stap '{step}'.")


class Refusal:
    """Why an action is refused to someone (``PermissionDenied.fields["reason"]``)."""

    NOT_YOUR_GROUP = "not_your_group"  # they hold a role that may, but for other groups
    NOT_YOUR_SCHOOL = "not_your_school"  # they hold a role that may, but at another school
    NOT_YOUR_ROLE = "not_your_role"  # other roles may; theirs may not
    NOBODY_HERE = "nobody_here"  # no role at all may do this here

    ALL = (NOT_YOUR_GROUP, NOT_YOUR_SCHOOL, NOT_YOUR_ROLE, NOBODY_HERE)


class PermissionDenied(TredeError):
    """Someone may not do what they asked. Built by ``engine.refusals`` from who they are and
    who may; the message says why in the user's terms and whom to ask, and is the one
    rendering every edge shows (the page, the REST ``detail``, the command line).

    ``action`` is what was asked, as a Dutch phrase ("een zaak openen volgens ..."); ``roles``
    the roles the person holds there and ``allowed_roles`` those that may, both as the
    protocol (or trede) names them, never by id; ``ask`` whom to ask, each with its article
    ("de intern begeleider", "de leerkracht van groep 6b"); ``deed`` what to ask them, as a
    te-infinitive ("de zaak te openen"); ``why`` an extra reason in the user's terms;
    ``advice`` a sentence of its own instead of "Vraag ... om ..."."""

    code = "permission_denied"
    http_status = 403
    exit_code = 6

    def __init__(
        self,
        action: str,
        *,
        reason: str = Refusal.NOT_YOUR_ROLE,
        roles: Sequence[str] = (),
        allowed_roles: Sequence[str] = (),
        ask: Sequence[str] | None = None,
        deed: str = "dit te doen",
        why: str | None = None,
        advice: str | None = None,
        groups: Sequence[str] = (),
        group_known: bool = False,
        school: str | None = None,
    ) -> None:
        if reason not in Refusal.ALL:
            raise ValueError(f"unknown refusal reason {reason!r}")
        asked = list(ask) if ask is not None else [with_article(label) for label in allowed_roles]
        if ask is None and asked and reason == Refusal.NOT_YOUR_SCHOOL:
            asked[-1] = f"{asked[-1]} van {school or 'het bestuur'}"
        named_already = ask is None and len(asked) > 1 and reason in (Refusal.NOT_YOUR_ROLE, Refusal.NOT_YOUR_SCHOOL)
        whom = "een van hen" if named_already else either(asked)
        ask_them = f" {advice}" if advice else (f" Vraag {whom} om {deed}." if asked else "")
        message = _refusal_text(reason, action, list(roles), list(allowed_roles), ask_them, why, list(groups), group_known, school)
        super().__init__(
            message,
            reason=reason,
            action=action,
            roles=list(roles),
            allowed_roles=list(allowed_roles),
            ask=asked,
            groups=list(groups),
            group_known=group_known,
            school=school,
        )


def _refusal_text(
    reason: str,
    action: str,
    roles: list[str],
    allowed: list[str],
    ask_them: str,
    why: str | None,
    groups: list[str],
    group_known: bool,
    school: str | None,
) -> str:
    because = f" ({why})" if why else ""
    if reason == Refusal.NOT_YOUR_GROUP:
        yours = f"{'uw groep' if len(groups) == 1 else 'uw groepen'} ({', '.join(groups)})"
        first = f"Deze leerling zit niet in {yours}." if group_known else f"Bij deze leerling is geen groep bekend, en u werkt voor {yours}."
        return f"{first}{because}{ask_them}"
    if reason == Refusal.NOT_YOUR_SCHOOL:  # no school: a role for every school of the board is meant
        where = f"op {school}" if school else "voor alle scholen van het bestuur"
        plain = either([plain_label(label) for label in allowed])
        of_school = f"{either([with_article(label) for label in allowed])} van {school or 'het bestuur'}"
        return f"U werkt niet {where} als {plain}, en alleen {of_school} mag {action}{because}.{ask_them}"
    if reason == Refusal.NOBODY_HERE:
        first = f"Geen enkele rol mag {action}{because}."
        return f"{first}{ask_them or ' Vraag de protocoleigenaar van uw bestuur of dat zo bedoeld is.'}"
    now = f"u werkt hier als {either([plain_label(r) for r in roles])}" if roles else "u hebt hier geen rol"
    return f"Alleen {either([with_article(label) for label in allowed])} mag {action}; {now}{because}.{ask_them}"


# Role labels whose noun takes "het" (het bevoegd gezag); every other label takes "de".
HET_NOUNS = frozenset({"gezag", "bestuur", "schoolbestuur", "team", "zorgteam", "college", "management", "meldpunt"})


def plain_label(label: str) -> str:
    """A label in running text: "Intern begeleider" -> "intern begeleider"; "HGKM" stays."""
    if len(label) > 1 and label[0].isupper() and not label[1].isupper():
        return label[0].lower() + label[1:]
    return label


def with_article(label: str) -> str:
    """"de intern begeleider", "het bevoegd gezag": a role as one says whom to ask."""
    plain = plain_label(label)
    if plain.split(" ", 1)[0] in ("de", "het", "een"):
        return plain
    head = plain.split(" (", 1)[0].split(" / ", 1)[0].split()
    return f"{'het' if head and head[-1].lower() in HET_NOUNS else 'de'} {plain}"


def either(items: Sequence[str]) -> str:
    """"a", "a of b", "a, b of c"."""
    items = list(dict.fromkeys(items))
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} of {items[-1]}"


class InputError(TredeError):
    """Something wrong with one named input field."""

    code = "invalid_input"
    http_status = 422
    exit_code = 7

    def __init__(self, field: str, message: str) -> None:
        super().__init__(f"{field}: {message}", field=field)


class MissingInput(InputError):
    code = "missing_input"

    def __init__(self, field: str, label: str | None = None) -> None:
        super().__init__(field, f"verplicht veld{f' ({label})' if label else ''} ontbreekt")


class UndeclaredInput(InputError):
    """A field the action does not declare: an action records only what it declares
    (``requires``/``accepts``), so no role can write another action's fact."""

    code = "undeclared_input"

    def __init__(self, field: str, label: str, action: str, declared: list[str]) -> None:
        asked = f"deze actie vraagt alleen: {', '.join(declared)}" if declared else "deze actie vraagt geen velden"
        super().__init__(field, f"'{label}' hoort niet bij de actie '{action}' en wordt niet vastgelegd; {asked}")
        self.fields.update(action=action, declared=declared)


class SentBeforeLetter(InputError):
    """A sending date (an input with ``dispatch``) before the day its letter is made: a
    decision cannot have been sent before the letter stating it existed (Awb 3:41)."""

    code = "sent_before_letter"

    def __init__(self, field: str, label: str, sent: str, letter_date: str) -> None:
        super().__init__(
            field,
            f"{label}: {sent} kan niet; een besluit kan niet verzonden zijn voordat de brief is gemaakt "
            f"({letter_date}); vul de dag in waarop deze brief wordt verzonden of uitgereikt: {letter_date} of later",
        )
        self.fields.update(label=label, sent=sent, letter_date=letter_date)


class SentTooLate(InputError):
    """A sending date further ahead than a letter waits: the remedy term runs from sending,
    so a far date would park it; a letter sent later is made again on the day it goes."""

    code = "sent_too_late"

    def __init__(self, field: str, label: str, sent: str, latest: str) -> None:
        super().__init__(
            field,
            f"{label}: {sent} ligt te ver vooruit; een brief gaat binnen twee weken na het maken de deur uit "
            f"(uiterlijk {latest}). Gaat hij later, maak de brief dan op de dag van verzending opnieuw",
        )
        self.fields.update(label=label, sent=sent, latest=latest)


class InvalidEffectiveDate(InputError):
    """A moment that cannot be when something happened (in the future, too early): by
    default the action's ``effective`` moment; ``field`` names another (an incident's
    ``happened``)."""

    code = "invalid_effective_date"

    def __init__(self, message: str, field: str = "effective") -> None:
        super().__init__(field, message)


class QuickRecordConflict(TredeError):
    """A quick record sent again with the key of an earlier one, but saying something else:
    the key's first record stands, and this one is not recorded (docs/snel-vastleggen.md)."""

    code = "quick_record_conflict"
    http_status = 409
    exit_code = 5

    def __init__(self, key: str, incident_id: str, differs: Sequence[str]) -> None:
        super().__init__(
            f"Met deze sleutel is al een ander incident vastgelegd (anders: {', '.join(differs)}); dat eerste "
            "record blijft staan en dit wordt niet vastgelegd. Leg een nieuw incident vast als het om iets anders gaat.",
            key=key,
            incident_id=incident_id,
            differs=list(differs),
        )


class ConcurrencyConflict(TredeError):
    code = "concurrency_conflict"
    http_status = 409
    exit_code = 8

    def __init__(self, case_id: str, expected: int | None, actual: int | None) -> None:
        super().__init__(
            f"Zaak {case_id} is intussen door iemand anders gewijzigd; laad de zaak opnieuw.",
            case_id=case_id,
            expected=expected,
            actual=actual,
        )


class ProposalLapsed(TredeError):
    """A protocol proposal can no longer be approved or published as it is (a newer version
    of its protocol was published meanwhile, its scenarios or the legal floors fail now, or
    its approver may no longer decide): it is marked ``vervallen`` with ``reason``, and the
    proposer proposes the change again."""

    code = "proposal_lapsed"
    http_status = 409
    exit_code = 8

    def __init__(self, proposal_id: str, reason: str, *, current_version: int | None = None) -> None:
        super().__init__(
            f"Dit voorstel is vervallen en wordt niet gepubliceerd. {reason}",
            proposal=proposal_id,
            reason=reason,
            current_version=current_version,
        )


# --- time and storage ------------------------------------------------------


class SandboxRequired(TredeError):
    code = "sandbox_required"
    exit_code = 9

    def __init__(self) -> None:
        super().__init__("Gesimuleerde tijd kan alleen in een sandbox-database (trede db init --sandbox).")


class TimeTravel(TredeError):
    code = "time_travel"
    exit_code = 9

    def __init__(self, until: str, now: str) -> None:
        super().__init__(f"Gesimuleerde tijd kan niet terug: {until} ligt voor {now}.", until=until, now=now)


class ClockBehind(TredeError):
    """The clock stands further behind the case's last recorded event than a clock may drift:
    recording now would put the chain's times out of order (issue 24)."""

    code = "clock_behind"
    http_status = 503
    exit_code = 9

    def __init__(self, case_id: str, last: str, now: str) -> None:
        super().__init__(
            f"De klok van de server ({now}) staat voor het tijdstip van de laatste gebeurtenis van zaak {case_id} "
            f"({last}); er wordt niets vastgelegd tot de klok klopt. Waarschuw de beheerder.",
            case_id=case_id,
            last=last,
            now=now,
        )


class TimersDoNotSettle(TredeError):
    """Timers that keep scheduling each other: the run stops instead of looping forever."""

    code = "timers_do_not_settle"
    http_status = 500
    exit_code = 9

    def __init__(self, rounds: int) -> None:
        super().__init__(
            f"Na {rounds} rondes zijn er nog steeds termijnen die direct aflopen; controleer de timers van het protocol.",
            rounds=rounds,
        )


class TamperedProtocol(TredeError):
    """A stored protocol text no longer gives its content hash: changed outside trede."""

    code = "protocol_tampered"
    http_status = 500
    exit_code = 11

    def __init__(self, content_hash: str, found: str) -> None:
        super().__init__(
            f"De opgeslagen tekst van protocolversie {content_hash[:12]} past niet bij haar hash (nu {found[:12]}); "
            "de database is buiten trede om gewijzigd. trede voert dit protocol niet uit.",
            content_hash=content_hash,
            found=found,
        )


class StorageError(TredeError):
    code = "storage_error"
    http_status = 503
    exit_code = 10


class DatabaseNotInitialised(StorageError):
    code = "database_not_initialised"

    def __init__(self, url: str) -> None:
        super().__init__(f"De database {url} is nog niet aangemaakt; voer eerst 'trede db init' uit.", url=url)


class MigrationRefused(TredeError):
    code = "migration_refused"
    http_status = 409
    exit_code = 5

    def __init__(self, case_id: str, to_version: int, reason: str, **fields: object) -> None:
        super().__init__(
            f"Zaak {case_id} kan niet naar versie {to_version}: {reason}.",
            case_id=case_id,
            to_version=to_version,
            **fields,
        )


class LetterNotAvailable(TredeError):
    code = "letter_not_available"
    http_status = 409
    exit_code = 5

    def __init__(self, name: str, step: str, available: list[str]) -> None:
        super().__init__(
            f"Brief '{name}' kan niet in stap '{step}'. Nu mogelijk: {', '.join(available) or 'geen'}.",
            letter=name,
            step=step,
            available=available,
        )


class LetterChanged(TredeError):
    """The letter as it would be stored now differs from the preview the writer confirmed:
    the case moved on, or the day changed. Nothing is stored; the writer checks it again."""

    code = "letter_changed"
    http_status = 409
    exit_code = 8

    def __init__(self, case_id: str, name: str) -> None:
        super().__init__(
            "De brief is veranderd sinds u het voorbeeld zag (de zaak is intussen bijgewerkt of het is een "
            "andere dag); er is niets opgeslagen. Bekijk het nieuwe voorbeeld en sla het dan op.",
            case_id=case_id,
            letter=name,
        )


class LetterNotFound(TredeError):
    code = "letter_not_found"
    http_status = 404
    exit_code = 4

    def __init__(self, case_id: str, name: str) -> None:
        super().__init__(f"Zaak {case_id} heeft geen brief '{name}'.", case_id=case_id, letter=name)


class AnonymisationRefused(TredeError):
    code = "anonymisation_refused"
    http_status = 409
    exit_code = 5

    def __init__(self, case_id: str, reason: str) -> None:
        super().__init__(f"Zaak {case_id} kan niet worden geanonimiseerd: {reason}.", case_id=case_id)


# --- imports ---------------------------------------------------------------


class ImportRefused(TredeError):
    """A file from the school's administration that cannot be imported; nothing was changed."""

    code = "import_refused"
    http_status = 422
    exit_code = 7

    def __init__(self, file: str, line: int, message: str, element: str | None = None) -> None:
        super().__init__(
            f"{file}:{line}: {message} Er is niets ingelezen.", file=file, line=line, element=element
        )


# --- meldpunt ----------------------------------------------------------------


class ReceiptNotFound(TredeError):
    """A receipt code (and password) that opens no report: said the same way whatever was wrong."""

    code = "receipt_unknown"
    http_status = 404
    exit_code = 4

    def __init__(self) -> None:
        super().__init__(
            "Met deze code (en dit wachtwoord) vinden wij geen melding. Controleer de code; "
            "hoofdletters, spaties en streepjes maken niet uit."
        )


class ReportClosed(TredeError):
    """The reporter writes about a report whose conversation the school has closed."""

    code = "report_closed"
    http_status = 409
    exit_code = 5

    def __init__(self) -> None:
        super().__init__("De school heeft het gesprek over deze melding afgesloten. Je kunt hier geen berichten meer sturen.")


# --- login through the board's identity provider --------------------------------


class LoginFailed(TredeError):
    """The identity provider's answer cannot be used; the person is not logged in."""

    code = "login_failed"
    http_status = 401
    exit_code = 6

    def __init__(self, reason: str) -> None:
        super().__init__(f"Inloggen via de identiteitsaanbieder is mislukt: {reason}", reason=reason)
