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
    login: str
    role: str
    display_name: str | None = None

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


def write_service(role: str, what: str) -> Callable[[Callable], Callable]:
    """Mark a function ``fn(db, actor, ...)`` as a write service needing ``role``."""

    def decorate(fn: Callable) -> Callable:
        @functools.wraps(fn)
        def checked(db, actor, *args, **kwargs):
            require(actor, role, what)
            return fn(db, actor, *args, **kwargs)

        checked.required_role = role
        WRITE_SERVICES[fn.__name__] = (role, what, checked)
        return checked

    return decorate
