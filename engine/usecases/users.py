"""The people trede knows: adding them, their e-mail address and choice of mail, the names
pages show them by, and the groups an import of the school's administration gives a
leerkracht. Who they are as a ``Principal`` (their memberships limited to their board's
schools) is built here, once, for every edge."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass

from engine.access import Membership, Principal, within_board
from engine.account_ports import Account, NewUser, PasswordHasher
from engine.errors import StorageError
from engine.ports import UnitOfWork
from engine.pupils import GroupLinks, RosterTeacher, link_teachers
from engine.usecases.base import Services
from engine.views import Names


def passwords_of(services: Services) -> PasswordHasher:
    if services.passwords is None:
        raise StorageError("Er is geen wachtwoord-hasher ingesteld; inloggen met een wachtwoord kan hier niet.")
    return services.passwords


def principal_of(uow: UnitOfWork, account: Account | None) -> Principal | None:
    """The principal with its board-wide memberships limited to the schools of its board."""
    if account is None:
        return None
    return _principal(account, {s.id: s.board for s in uow.schools.list()})


def principals(uow: UnitOfWork, holding: Collection[str] | None = None) -> list[Principal]:
    """Every active user as a principal, by user name (the register read once, in a few
    statements); ``holding``: only those who hold one of these roles somewhere."""
    school_boards = {s.id: s.board for s in uow.schools.list()}
    return [_principal(a, school_boards) for a in uow.users.accounts(holding)]


def _principal(account: Account, school_boards: dict[str, str]) -> Principal:
    memberships = within_board(account.memberships, account.board, school_boards)
    return Principal(account.username, account.display_name, memberships, account.board)


def link_groups(uow: UnitOfWork, school: str, teachers: Sequence[RosterTeacher]) -> GroupLinks:
    """Set the groups of each matching user's leerkracht role at ``school`` to the groups the
    file gives them (``engine.pupils.link_teachers``); roles themselves stay as trede's
    administrators set them."""
    roles = uow.users.teacher_roles(school)
    links = link_teachers(teachers, uow.users.emails(), roles)
    for username, groups in links.linked.items():
        uow.users.set_groups(roles[username], groups)
    return links


@dataclass(frozen=True)
class MailChoice:
    daily: bool  # one overview a day instead of a mail per notice
    has_email: bool


@dataclass
class Users:
    services: Services

    def add(
        self,
        username: str,
        display_name: str,
        board: str,
        password: str,
        memberships: Sequence[Membership],
        totp_secret: str | None = None,
        email: str | None = None,
    ) -> None:
        """A new user with their roles (the command line and the demo: an administrator's)."""
        hashed = passwords_of(self.services).hash(password)  # slow on purpose: before the transaction
        user = NewUser(username, display_name, board, hashed, tuple(memberships), totp_secret, email)
        with self.services.uow(write=True) as uow:
            uow.users.add(user)
            uow.commit()

    def new_totp_secret(self) -> str:
        """A secret for an authenticator app, from the one-time-codes port (as logins check it)."""
        if self.services.codes is None:
            raise StorageError("Er is geen controle van inlogcodes ingesteld; een tweede stap kan hier niet.")
        return self.services.codes.new_secret()

    def set_email(self, username: str, email: str | None) -> None:
        with self.services.uow(write=True) as uow:
            uow.users.set_email(username, email)
            uow.commit()

    def principal(self, username: str) -> Principal | None:
        """The active user of that name, with the roles their memberships give them."""
        with self.services.uow() as uow:
            return principal_of(uow, uow.users.account(username))

    def all_principals(self) -> list[Principal]:
        with self.services.uow() as uow:
            return principals(uow)

    def has_users(self) -> bool:
        with self.services.uow() as uow:
            return uow.users.has_users()

    def display_names(self) -> dict[str, str]:
        """username -> the name people know them by (for showing who did what)."""
        with self.services.uow() as uow:
            return uow.users.display_names()

    def password_is(self, username: str, password: str) -> bool:
        """Whether ``username`` still has ``password``: for the operator's own command line
        (which demo logins still work), never for a login, which is throttled (``Login``)."""
        with self.services.uow() as uow:
            stored = uow.users.password_hash(username)
        return stored is not None and passwords_of(self.services).verify(stored, password)

    def names(self, people: bool = True) -> Names:
        """Schools by name and, when asked, people by name: what a page shows instead of ids."""
        with self.services.uow() as uow:
            schools = {s.id: s.name for s in uow.schools.list()}
            return Names(schools, uow.users.display_names() if people else {})

    def mail_choice(self, username: str) -> MailChoice:
        with self.services.uow() as uow:
            return MailChoice(uow.users.mail_digest(username), bool(uow.users.email(username)))

    def set_mail_digest(self, username: str, daily: bool) -> None:
        """The user's own choice: one mail per notice, or one overview a day."""
        with self.services.uow(write=True) as uow:
            uow.users.set_mail_digest(username, daily)
            uow.commit()
