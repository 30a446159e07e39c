"""The catalogue of statutory terms: the legal limits any protocol's terms must respect.

A term may name an entry (``wettelijk: awb_bezwaar``) to take its limit and rule; and any
term whose ``basis`` cites a catalogued article is held to that article's limit, so that a
protocol cannot say "bezwaartermijn 4 weken, basis Awb 6:7". The catalogue is versioned:
a change to the law is a new version, recorded in docs/legal-basis.md with its source.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from engine.durations import Duration

CATALOGUE_VERSION = "2026-12-06"


@dataclass(frozen=True)
class StatutoryTerm:
    key: str
    label: str
    limit: str  # a duration
    kind: str  # "floor": at least this long; "ceiling": at most this long
    rule: str  # the rule the law's term is counted by (kalender | atw)
    basis: str
    cites: str  # a regular expression that finds a citation of the article in a basis

    def crossed_by(self, duration: Duration) -> bool:
        limit = Duration.parse(self.limit)
        return duration.shorter_than(limit) if self.kind == "floor" else limit.shorter_than(duration)

    def cited_in(self, basis: str) -> bool:
        return re.search(self.cites, basis, flags=re.IGNORECASE) is not None

    def describe(self) -> str:
        bound = "ondergrens" if self.kind == "floor" else "bovengrens"
        return f"de wettelijke {bound} van {self.limit} ({self.basis})"


CATALOGUE: dict[str, StatutoryTerm] = {
    t.key: t
    for t in (
        StatutoryTerm(
            "awb_bezwaar",
            "Termijn voor bezwaar of beroep",
            "6 weken",
            "floor",
            "atw",
            "Awb 6:7: de termijn voor het indienen van een bezwaar- of beroepschrift bedraagt zes weken",
            r"\bAwb\s*(art(ikel|\.)?\s*)?6:7\b",
        ),
        StatutoryTerm(
            "wpo_schorsing",
            "Schorsing van een leerling",
            "1 week",
            "ceiling",
            "kalender",
            "WPO art. 40c lid 1: schorsing voor ten hoogste een week",
            r"\bWPO\s*(art(ikel|\.)?\s*)?40c\b(?!\s*lid\s*[2-9])",
        ),
        StatutoryTerm(
            "wpo_beslissing_bezwaar",
            "Beslissing op bezwaar tegen verwijdering (bijzonder onderwijs)",
            "4 weken",
            "ceiling",
            "atw",
            "WPO art. 63 lid 3: beslissing binnen vier weken na ontvangst van het bezwaarschrift",
            r"\bWPO\s*(art(ikel|\.)?\s*)?63\s*lid\s*3\b",
        ),
        StatutoryTerm(
            "wbk_ontvangstbevestiging",
            "Ontvangstbevestiging van een melding",
            "7 dagen",
            "ceiling",
            "atw",
            "Wbk art. 2; Richtlijn (EU) 2019/1937 art. 9 lid 1 onder b: binnen zeven dagen",
            r"\bart(ikel|\.)?\s*9\s*lid\s*1\s*onder\s*b\b",
        ),
        StatutoryTerm(
            "wbk_terugkoppeling",
            "Informatie over de opvolging van een melding",
            "3 maanden",
            "ceiling",
            "atw",
            "Wbk art. 2; Richtlijn (EU) 2019/1937 art. 9 lid 1 onder f: binnen drie maanden",
            r"\bart(ikel|\.)?\s*9\s*lid\s*1\s*onder\s*f\b|\bWbk\s*(art(ikel|\.)?\s*)?2\b",
        ),
        StatutoryTerm(
            "klacht_besluit_op_advies",
            "Besluit van het bevoegd gezag op het advies van de klachtencommissie",
            "4 weken",
            "ceiling",
            "kalender",
            "WPO art. 14 en de modelklachtenregeling: binnen vier weken na ontvangst van het advies "
            "(lid van art. 14 niet geverifieerd; eenmaal met ten hoogste vier weken te verlengen)",
            r"\bbinnen vier weken na ontvangst van het advies\b",
        ),
        StatutoryTerm(
            "avg_verzoek",
            "Antwoord op een verzoek van een betrokkene (AVG)",
            "3 maanden",
            "ceiling",
            "kalender",
            "AVG art. 12 lid 3: binnen een maand, met verlenging ten hoogste drie maanden",
            r"\bAVG\s*(art(ikel|\.)?\s*)?12\s*lid\s*3\b",
        ),
    )
}


def cited(basis: str) -> list[StatutoryTerm]:
    """The catalogued articles a basis cites."""
    return [t for t in CATALOGUE.values() if t.cited_in(basis)]


@dataclass(frozen=True)
class StatutoryDuty:
    """A duty the law imposes whatever its term: a protocol element whose ``basis`` cites it
    is statutory, and a school variant may not remove it (engine/protocol/floors.py)."""

    key: str
    article: str
    basis: str
    cites: str

    def cited_in(self, basis: str) -> bool:
        return re.search(self.cites, basis, flags=re.IGNORECASE) is not None


DUTIES: dict[str, StatutoryDuty] = {
    d.key: d
    for d in (
        StatutoryDuty(
            "wpo_inspectie_schorsing",
            "WPO art. 40c lid 3",
            "WPO art. 40c lid 3: een schorsing van meer dan één dag wordt schriftelijk en met opgave van "
            "redenen aan de inspectie gemeld",
            r"\bWPO\s*(art(ikel|\.)?\s*)?40c\s*lid\s*3\b",
        ),
        StatutoryDuty(
            "awb_beslistermijn_bezwaar",
            "Awb 7:10",
            "Awb 7:10 lid 1: het bestuursorgaan beslist binnen zes weken (twaalf met een adviescommissie) op het bezwaar",
            r"\bAwb\s*(art(ikel|\.)?\s*)?7:10\b",
        ),
        StatutoryDuty(
            "wpo_geschillencommissie",
            "WPO art. 43",
            "WPO art. 43: de Geschillencommissie passend onderwijs oordeelt over een verwijdering",
            r"\bWPO\s*(art(ikel|\.)?\s*)?43\b",
        ),
        StatutoryDuty(
            "wpo_meldplicht",
            "WPO art. 4a",
            "WPO art. 4a: meldplicht en aangifteplicht bij een vermoeden van een zedendelict door een medewerker",
            r"\bWPO\s*(art(ikel|\.)?\s*)?4a\b",
        ),
    )
}


def article(basis: str) -> str:
    """The article a limit's basis names: the text before its explanation ("Awb 6:7: ...")."""
    return basis.split(": ", 1)[0].strip()


def requiring_article(element: dict[str, object]) -> str | None:
    """The law article that makes a term, obligation or remedy decision statutory, or None.

    An element is statutory when it carries a legal limit (``floor``, ``ceiling``), names a
    catalogued term (``wettelijk``), or its ``basis`` cites a catalogued term or duty."""
    for key in ("floor", "ceiling"):
        limit = element.get(key)
        if isinstance(limit, dict) and isinstance(limit.get("basis"), str):
            return article(limit["basis"])
    named = element.get("wettelijk")
    if isinstance(named, str) and named in CATALOGUE:
        return article(CATALOGUE[named].basis)
    basis = element.get("basis")
    if not isinstance(basis, str):
        return None
    for term in cited(basis):
        return article(term.basis)
    for duty in DUTIES.values():
        if duty.cited_in(basis):
            return duty.article
    return None
