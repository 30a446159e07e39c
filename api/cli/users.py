"""trede users: the school register, users with their roles, and API tokens."""

from __future__ import annotations

from datetime import timedelta
from typing import Annotated

import typer

from api.cli.common import OPTIONS, emit, handles_errors, principal_of
from engine.access import OPERATOR, Membership
from engine.errors import InputError
from engine.inputs import check_identifier
from engine.ports import SchoolRecord
from engine.views import ROLE_LABELS

users_app = typer.Typer(help="Scholen, gebruikers en API-tokens beheren.", no_args_is_help=True)


def _membership(text: str) -> Membership:
    """ROLE, ROLE@SCHOOL or ROLE@SCHOOL:GROUP,GROUP."""
    role, _, place = text.partition("@")
    school, _, groups = place.partition(":")
    if not role.strip():
        raise InputError("role", f"'{text[:60]}' is geen rol; schrijf ROL, ROL@SCHOOL of ROL@SCHOOL:GROEP,GROEP")
    return Membership(
        check_identifier("role", role, 100, "rol"),
        check_identifier("role", school, 100, "school") or None,
        frozenset(check_identifier("role", g, 50, "groep") for g in groups.split(",") if g.strip()),
    )


@users_app.command("school")
@handles_errors
def users_school(
    school_id: str,
    name: Annotated[str, typer.Option("--name")],
    board: Annotated[str, typer.Option("--board")],
    region: Annotated[str, typer.Option("--region", help="noord, midden of zuid")] = "midden",
    denominatie: Annotated[str | None, typer.Option("--denominatie", help="openbaar of bijzonder")] = None,
    sector: Annotated[str | None, typer.Option("--sector", help="po, vo of so")] = None,
    address: Annotated[str | None, typer.Option("--address", help="Adres van de school (voor brieven)")] = None,
    board_name: Annotated[str | None, typer.Option("--board-name", help="Naam van het bevoegd gezag")] = None,
    board_address: Annotated[str | None, typer.Option("--board-address", help="Adres van het bevoegd gezag")] = None,
) -> None:
    """Voeg een school toe aan het scholenregister, of werk haar gegevens bij."""
    record = SchoolRecord(
        check_identifier("school", school_id, 60, "school-id"),
        name, board, region, denominatie, sector, address, board_name, board_address,
    )
    OPTIONS.app().engine.schools.save(OPERATOR, record)
    emit({"school": school_id, "denominatie": denominatie, "sector": sector}, f"school {school_id} vastgelegd")


@users_app.command("add")
@handles_errors
def users_add(
    username: str,
    name: Annotated[str, typer.Option("--name")],
    board: Annotated[str, typer.Option("--board")],
    roles: Annotated[list[str], typer.Option("--role", help="ROL, ROL@SCHOOL of ROL@SCHOOL:GROEP,GROEP; mag vaker")],
    password: Annotated[str, typer.Option("--password", prompt=True, hide_input=True, confirmation_prompt=True)],
    totp: Annotated[bool, typer.Option("--totp", help="Tweede factor aanzetten (toont het geheim)")] = False,
    email: Annotated[str | None, typer.Option("--email", help="Voor herinneringen, en om in te loggen via de identiteitsaanbieder")] = None,
) -> None:
    """Voeg een gebruiker toe met een of meer rollen."""
    if len(password) < 12:
        raise InputError("password", "kies een wachtwoord van minstens 12 tekens")
    address = _email(email) if email else None
    username = check_identifier("username", username, 100, "gebruikersnaam").lower()
    if not username:
        raise InputError("username", "geef een gebruikersnaam")
    name = check_identifier("name", name, 200, "naam")
    board = check_identifier("board", board, 100, "bestuur")
    memberships = [_membership(r) for r in roles]
    engine = OPTIONS.app().engine
    known = set(ROLE_LABELS) | {role for found in engine.protocols.latest() for role in found.protocol.spec.roles}
    unknown = sorted({m.role for m in memberships} - known)
    if unknown:  # a misspelt role gives no access at all: say so instead of storing it
        raise InputError(
            "role",
            f"onbekende rol {', '.join(repr(r) for r in unknown)}; bekende rollen: {', '.join(sorted(known))}",
        )
    secret = engine.users.new_totp_secret() if totp else None
    engine.users.add(username, name, board, password, memberships, secret, address)
    human = f"gebruiker {username} toegevoegd"
    if secret:
        human += f"\nTOTP-geheim (zet dit in de authenticator-app): {secret}"
    emit({"username": username, "totp_secret": secret}, human)


def _email(value: str) -> str:
    address = check_identifier("email", value, 254, "e-mailadres").lower()
    if "@" not in address or len(address) > 254 or " " in address:
        raise InputError("email", f"'{value[:60]}' is geen e-mailadres")
    return address


@users_app.command("email")
@handles_errors
def users_email(username: str, address: str) -> None:
    """Geef een gebruiker een e-mailadres: voor herinneringen, en om hem bij de eerste keer
    inloggen via de identiteitsaanbieder (OpenID Connect) aan die identiteit te koppelen."""
    principal_of(username)
    OPTIONS.app().engine.users.set_email(username.lower(), _email(address))
    emit({"username": username, "email": _email(address)}, f"{username} heeft nu e-mailadres {_email(address)}")


@users_app.command("link")
@handles_errors
def users_link(username: str, subject: Annotated[str, typer.Option("--subject", help="De 'sub' van de persoon bij de aanbieder")]) -> None:
    """Koppel een gebruiker rechtstreeks aan een identiteit bij de ingestelde aanbieder."""
    trede = OPTIONS.app()
    if trede.oidc is None:
        raise InputError("subject", "er is geen identiteitsaanbieder ingesteld (TREDE_OIDC_ISSUER)")
    principal_of(username)
    trede.engine.identities.link(username.lower(), trede.oidc.settings.issuer, subject.strip(), by="beheer")
    emit({"username": username, "subject": subject}, f"{username} is gekoppeld aan {subject}")


@users_app.command("token")
@handles_errors
def users_token(
    username: str,
    label: Annotated[str, typer.Option("--label")] = "integratie",
    days: Annotated[int, typer.Option("--days", min=1, max=365, help="Geldig voor zoveel dagen")] = 90,
) -> None:
    """Maak een API-token voor een gebruiker (het token wordt eenmaal getoond)."""
    tokens = OPTIONS.app().engine.tokens
    principal_of(username)
    token = tokens.create(username, label, timedelta(days=days))
    emit({"username": username, "token": token, "days": days}, f"API-token voor {username} ({days} dagen): {token}")


@users_app.command("tokens")
@handles_errors
def users_tokens(username: str) -> None:
    """Toon de API-tokens van een gebruiker (kenmerk, omschrijving, verloopdatum, status)."""
    tokens = OPTIONS.app().engine.tokens
    now = OPTIONS.app().engine.clock.now()
    rows = [
        {
            "id": t.id,
            "label": t.label,
            "created_at": t.created_at.isoformat(),
            "expires_at": t.expires_at.isoformat() if t.expires_at else None,
            "status": "ingetrokken" if t.revoked else "actief" if t.active(now) else "verlopen",
        }
        for t in tokens.list(username)
    ]
    human = "\n".join(f"{r['id']}  {r['status']:<11}  tot {r['expires_at'] or '-'}  {r['label']}" for r in rows)
    emit(rows, human or "geen tokens")


@users_app.command("revoke-token")
@handles_errors
def users_revoke_token(username: str, token_id: Annotated[str, typer.Argument(help="Het kenmerk uit 'trede users tokens'")]) -> None:
    """Trek een API-token in."""
    if not OPTIONS.app().engine.tokens.revoke(username, token_id):
        raise InputError("token_id", f"gebruiker '{username}' heeft geen token met kenmerk '{token_id}'")
    emit({"revoked": token_id}, f"token {token_id} ingetrokken")

