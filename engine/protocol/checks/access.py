"""Who may see what: the melder's identity, and need to know (the channel a report came
through, and the role it concerns)."""

from __future__ import annotations

import re

from engine.protocol.checks.context import Context
from engine.protocol.schema import NOBODY, NeedToKnowSpec
from engine.protocol.yamlsource import Path_

_BASE: Path_ = ("need_to_know",)


def check_identity(c: Context) -> None:
    identity = c.spec.identity
    if identity is None:
        return
    c.check_roles(("identity", "visible_to"), identity.visible_to)
    consent = c.inputs.get(identity.consent) if identity.consent else None
    if identity.consent and (consent is None or consent.type != "akkoord"):
        c.err(("identity", "consent"), f"'{identity.consent}' is geen invoerveld van type akkoord")
    for i, name in enumerate(identity.fields):
        if name not in c.inputs:
            c.err(("identity", "fields", i), f"'{name}' is geen invoerveld{c.known('inputs', c.inputs)}")


def check_need_to_know(c: Context) -> None:
    """The channel and the role concerned: keuze inputs, every channel named with known
    roles, and fixed once the case is open (no action or letter records them later)."""
    rule = c.spec.need_to_know
    if rule is None:
        return
    _check_channel(c, rule)
    _check_channel_roles(c, rule)
    concerned = _concerned(c, rule)
    _check_stand_in(c, rule, concerned)
    _check_excludes(c, rule, concerned)
    _check_fixed(c, rule)


def _check_channel(c: Context, rule: NeedToKnowSpec) -> None:
    """The channel is a keuze input whose options are exactly the channels listed."""
    if rule.channel is None:
        # the concerns-only form: every role sees the report, but never who it concerns
        if rule.concerns is None:
            c.err(_BASE, "noem 'channel' (het kanaal dat de melder koos), 'concerns' (wie de melding betreft) of beide")
        if rule.channels:
            c.err(_BASE + ("channels",), "'channels' hoort bij 'channel'; noem ook 'channel' of haal 'channels' weg", at_key=True)
        return
    channel = c.spec.inputs.get(rule.channel)
    if channel is None or channel.type != "keuze":
        c.err(_BASE + ("channel",), f"'{rule.channel}' is geen invoerveld van type keuze")
        return
    options = channel.options or []
    missing = [o for o in options if o not in rule.channels]
    if missing:
        c.err(_BASE + ("channels",), f"kanaal '{missing[0]}' (een keuze van '{rule.channel}') ontbreekt hier")
    for name in rule.channels:
        if name not in options:
            c.err(
                _BASE + ("channels", name),
                f"'{name}' is geen keuze van '{rule.channel}'; kies uit {', '.join(options)}",
                at_key=True,
            )


def _check_channel_roles(c: Context, rule: NeedToKnowSpec) -> None:
    for name, spec in rule.channels.items():
        if not spec.roles:
            c.err(_BASE + ("channels", name, "roles"), "noem minstens één rol die meldingen via dit kanaal ziet")
        c.check_roles(_BASE + ("channels", name, "roles"), spec.roles)


def _concerned(c: Context, rule: NeedToKnowSpec) -> list[str]:
    """The roles a report can concern: the options of a keuze input of its own (besides
    'niemand'), each a role name; none when that input is not so."""
    if rule.concerns is None:
        return []
    concerns = c.spec.inputs.get(rule.concerns)
    if concerns is None or concerns.type != "keuze" or rule.concerns == rule.channel:
        c.err(_BASE + ("concerns",), f"'{rule.concerns}' is geen eigen invoerveld van type keuze")
        return []
    concerned = [o for o in concerns.options or [] if o != NOBODY]
    for option in concerned:
        if not re.fullmatch(r"[a-z][a-z0-9_]*", option):
            c.err(
                ("inputs", rule.concerns, "options"),
                f"keuze '{option}' is geen rolnaam (kleine letters, cijfers en _) of '{NOBODY}'",
            )
    return concerned


def _check_stand_in(c: Context, rule: NeedToKnowSpec, concerned: list[str]) -> None:
    for name, role in rule.stand_in.items():
        if name not in concerned:
            c.err(_BASE + ("stand_in", name), f"'{name}' is geen keuze van 'concerns'", at_key=True)
        if role not in c.roles or role == name:
            c.err(_BASE + ("stand_in", name), f"'{role}' is geen andere rol van dit protocol{c.known('roles', c.roles)}")


def _check_excludes(c: Context, rule: NeedToKnowSpec, concerned: list[str]) -> None:
    for name, kept_out in rule.excludes.items():
        if name not in concerned:
            c.err(_BASE + ("excludes", name), f"'{name}' is geen keuze van 'concerns'", at_key=True)
        for i, role in enumerate(kept_out):
            if role not in c.roles or role == name or role == rule.stand_in.get(name):
                c.err(
                    _BASE + ("excludes", name, i),
                    f"'{role}' is geen andere rol van dit protocol die buiten de melding blijft{c.known('roles', c.roles)}",
                )


def _check_fixed(c: Context, rule: NeedToKnowSpec) -> None:
    """The opening facts are fixed: no action or letter records them later."""
    fixed = set(rule.opening_facts())
    message = "'{}' wordt bij het openen van de zaak vastgelegd (need_to_know) en kan niet later worden gewijzigd"
    for i, t in enumerate(c.spec.transitions):
        for listed in ("requires", "accepts"):
            for j, name in enumerate(getattr(t, listed)):
                if name in fixed:
                    c.err(("transitions", i, listed, j), message.format(name))
    for letter_name, letter in c.spec.letters.items():
        for j, name in enumerate(letter.asks):
            if name in fixed:
                c.err(("letters", letter_name, "asks", j), message.format(name))
