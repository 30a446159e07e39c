"""EDEXML 2.1, the Dutch exchange format that ParnasSys, ESIS and other administrations
export (edustandaard.nl). The XSD is not bundled (it was not obtainable here); these are the
elements read, by local name (with or without a namespace), everything else is ignored:

    EDEX/school/schooljaar                       the school year (reported)
    EDEX/groepen/groep[@key]/naam                a stamgroep and its name ("5a")
    EDEX/leerlingen/leerling[@key]               a pupil; @key is the school's own number
        roepnaam (else the first of voornamen), voorvoegsel, achternaam
        groep[@key]                              the pupil's stamgroep
    EDEX/leerkrachten/leerkracht                 a teacher
        emailadres, gebruikersnaam               to find their trede account
        groepen/groep[@key]                      the stamgroepen they teach

Never read: the ECK iD (@eckid; its use is restricted to learning materials), birth dates,
sex, BSN, addresses. Samengestelde groepen are not used: a case belongs to a stamgroep.
The parser resolves no entities, loads no DTD and no network resource; a DOCTYPE is refused.
"""

from __future__ import annotations

from lxml import etree

from engine.errors import ImportRefused
from engine.pupils import Roster, RosterPupil, RosterTeacher, checked_roster, roster_value

MAX_BYTES = 20_000_000  # an EDEXML of a large school is a few megabytes


def read_edexml(content: bytes, file: str = "EDEX.xml") -> Roster:
    root = _parse(content, file)
    if _local(root) != "EDEX":
        raise ImportRefused(file, root.sourceline or 1, f"dit is geen EDEXML-bestand (het begint met <{_local(root)}>, niet met <EDEX>).", _local(root))
    year = _text(_child(root, "school"), "schooljaar")
    groups: dict[str, str] = {}
    for group in _path(root, "groepen", "groep"):
        key = _key(group, file)
        name = roster_value(file, group.sourceline or 0, "groep", "groep", _text(group, "naam") or key, 50)
        if key in groups:
            raise ImportRefused(file, group.sourceline or 0, f"de groep met key '{key}' staat er twee keer in.", "groep")
        groups[key] = name
    pupils = tuple(_pupil(element, groups, file) for element in _path(root, "leerlingen", "leerling"))
    numbers: dict[str, int] = {}
    for pupil in pupils:
        if pupil.number in numbers:
            raise ImportRefused(
                file, pupil.line, f"leerling '{pupil.number}' staat er twee keer in (ook op regel {numbers[pupil.number]}).", "leerling"
            )
        numbers[pupil.number] = pupil.line
    teachers = tuple(_teacher(element, groups, file) for element in _path(root, "leerkrachten", "leerkracht"))
    return checked_roster(Roster(year, tuple(sorted(set(groups.values()))), pupils, teachers, "EDEXML"), file)


def _parse(content: bytes, file: str) -> etree._Element:
    if len(content) > MAX_BYTES:
        raise ImportRefused(file, 1, f"het bestand is te groot ({len(content) // 1_000_000} MB; ten hoogste {MAX_BYTES // 1_000_000} MB).")
    parser = etree.XMLParser(
        resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False, huge_tree=False, remove_comments=True
    )
    try:
        root = etree.fromstring(content, parser)
    except etree.XMLSyntaxError as exc:
        raise ImportRefused(file, exc.lineno or 1, f"geen geldige XML: {exc.msg}.") from None
    if root.getroottree().docinfo.doctype:
        raise ImportRefused(file, 1, "een DOCTYPE is niet toegestaan in een EDEXML-bestand.")
    return root


def _pupil(element: etree._Element, groups: dict[str, str], file: str) -> RosterPupil:
    line = element.sourceline or 0
    number = _key(element, file)
    first = _text(element, "roepnaam") or _text(element, "voornamen").split(" ")[0]
    last = " ".join(part for part in (_text(element, "voorvoegsel"), _text(element, "achternaam")) if part)
    if not first or not _text(element, "achternaam"):
        raise ImportRefused(file, line, f"bij leerling '{number}' ontbreekt de roepnaam of de achternaam.", "leerling")
    group = _child(element, "groep")
    name = None
    if group is not None:
        ref = _key(group, file)
        if ref not in groups:
            raise ImportRefused(file, group.sourceline or line, f"leerling '{number}' staat in groep '{ref}', maar die groep staat niet onder <groepen>.", "groep")
        name = groups[ref]
    return RosterPupil(number, first, last, name, line)


def _teacher(element: etree._Element, groups: dict[str, str], file: str) -> RosterTeacher:
    refs = []
    for group in _path(element, "groepen", "groep"):
        ref = _key(group, file)
        if ref not in groups:
            raise ImportRefused(file, group.sourceline or 0, f"een leerkracht staat bij groep '{ref}', maar die groep staat niet onder <groepen>.", "groep")
        refs.append(groups[ref])
    email = _text(element, "emailadres") or None
    username = _text(element, "gebruikersnaam") or None
    return RosterTeacher(email, username, frozenset(refs), element.sourceline or 0)


def _local(element: etree._Element) -> str:
    return etree.QName(element).localname if isinstance(element.tag, str) else ""


def _child(element: etree._Element | None, name: str) -> etree._Element | None:
    if element is None:
        return None
    return next((c for c in element if _local(c) == name), None)


def _path(element: etree._Element, container: str, item: str) -> list[etree._Element]:
    holder = _child(element, container)
    return [c for c in holder if _local(c) == item] if holder is not None else []


def _text(element: etree._Element | None, name: str) -> str:
    found = _child(element, name)
    return (found.text or "").strip() if found is not None else ""


def _key(element: etree._Element, file: str) -> str:
    key = (element.get("key") or "").strip()
    if not key:
        raise ImportRefused(file, element.sourceline or 0, f"<{_local(element)}> mist het attribuut key.", _local(element))
    if len(key) > 64:
        raise ImportRefused(file, element.sourceline or 0, f"de key van <{_local(element)}> is te lang (ten hoogste 64 tekens).", _local(element))
    return key
