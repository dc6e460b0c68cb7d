"""Who may write what. Every write service checks its actor before anything else."""

from __future__ import annotations

import functools
from collections.abc import Callable
from dataclasses import dataclass

from dashboard.tracker.errors import PermissionDenied

ROLES = ("lecteur", "contributeur", "administrateur")
_RANK = {role: rank for rank, role in enumerate(ROLES)}


@dataclass(frozen=True)
class Actor:
    """Who writes. An account's actor carries its id and the access epoch it was
    opened with: every write service checks both against the account as it is now, so
    a role lowered, an account deactivated or a password changed ends that actor's
    rights at once. Actors without an account (the import of the acts, the command
    line run by the server's operator) have no id."""

    login: str
    role: str
    display_name: str | None = None
    user_id: int | None = None
    epoch: int | None = None
    #: signed in with a password an administrator set: must choose their own first
    provisional: bool = False

    def __post_init__(self) -> None:
        if self.role not in _RANK:
            raise PermissionDenied(f"Rôle inconnu : « {self.role} ».")

    @property
    def name(self) -> str:
        return self.display_name or self.login

    def can(self, role: str) -> bool:
        return _RANK[self.role] >= _RANK[role]


#: The actor that loads the facts of the acts (seed and imports).
SEED_ACTOR = Actor("import-actes", "administrateur", "Import des actes")

#: Every write service, by name: (role needed, what it does in French, the function).
WRITE_SERVICES: dict[str, tuple[str, str, Callable]] = {}


REVOKED = (
    "Vos droits ont changé depuis votre connexion (compte désactivé, rôle ou mot de passe "
    "modifié) : reconnectez-vous. Rien n'a été enregistré."
)


def require(actor: Actor, role: str, what: str) -> None:
    if not isinstance(actor, Actor):
        raise PermissionDenied(
            "Aucun utilisateur identifié : connectez-vous pour modifier les données."
        )
    if not actor.can(role):
        raise PermissionDenied(
            f"Votre rôle ({actor.role}) ne permet pas de {what} : "
            f"il faut le rôle {role} ou supérieur. Rien n'a été enregistré."
        )


def still_valid(db, actor: Actor) -> bool:
    """An account's actor is valid while its account is active with the same role and
    access epoch as when it was opened; actors without an account always are."""
    if actor.user_id is None:
        return True
    with db.reader() as cur:
        row = cur.execute(
            "select role, active, access_epoch from app_user where id = $id",
            {"id": actor.user_id},
        ).fetchone()
    return row is not None and row[1] and row[0] == actor.role and row[2] == actor.epoch


PROVISIONAL = (
    "Choisissez d'abord votre propre mot de passe : celui qu'un administrateur vous a "
    "donné est provisoire. Rien n'a été enregistré."
)


def write_service(
    role: str, what: str, *, provisional_ok: bool = False
) -> Callable[[Callable], Callable]:
    """Mark a function ``fn(db, actor, ...)`` as a write service needing ``role``
    (``provisional_ok``: open to an actor whose password is still provisional)."""

    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def checked(db, actor, *args, **kwargs):
            require(actor, role, what)
            if not still_valid(db, actor):
                raise PermissionDenied(REVOKED)
            if getattr(actor, "provisional", False) and not provisional_ok:
                raise PermissionDenied(PROVISIONAL)
            return fn(db, actor, *args, **kwargs)

        checked.required_role = role
        WRITE_SERVICES[fn.__name__] = (role, what, checked)
        return checked

    return decorate
