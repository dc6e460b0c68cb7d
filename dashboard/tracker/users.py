"""Accounts: login, display name, role and a bcrypt hash (never the password)."""

from __future__ import annotations

import re

import bcrypt

from dashboard.tracker import fmt, validate
from dashboard.tracker.access import ROLES, Actor, write_service
from dashboard.tracker.db import Database, utcnow
from dashboard.tracker.errors import PermissionDenied, ValidationError
from dashboard.tracker.records import audit, create, fetch

MIN_PASSWORD = 12
_LOGIN = re.compile(r"[a-z0-9._-]{2,64}")
_ROLES = {role: fmt.ROLE_LABELS[role] for role in ROLES}


def check_password(password: object) -> str:
    if not isinstance(password, str) or len(password) < MIN_PASSWORD:
        raise ValidationError(f"Le mot de passe doit compter au moins {MIN_PASSWORD} caractères.")
    if len(password.encode()) > 72:
        raise ValidationError("Le mot de passe doit compter au plus 72 octets.")
    return password


def hash_password(password: str) -> str:
    return bcrypt.hashpw(check_password(password).encode(), bcrypt.gensalt()).decode()


def _login(value: object) -> str:
    login = validate.text(value, "Identifiant", max_len=64).lower()
    if not _LOGIN.fullmatch(login):
        raise ValidationError(
            f"L'identifiant « {login} » ne convient pas : lettres minuscules, chiffres, point, "
            "tiret ou souligné, 2 à 64 caractères."
        )
    return login


def count_users(db: Database) -> int:
    return db.scalar("select count(*) from app_user")


def _insert_user(
    db: Database, actor: Actor, login: str, display_name: str, role: str, password: str
) -> int:
    values = {
        "login": _login(login),
        "display_name": validate.text(display_name, "Nom affiché", max_len=200),
        "role": validate.choice(role, _ROLES, "Rôle"),
        "password_hash": hash_password(password),
    }
    with db.transaction() as cur:
        if cur.execute(
            "select 1 from app_user where login = $l", {"l": values["login"]}
        ).fetchone():
            raise ValidationError(f"L'identifiant « {values['login']} » est déjà pris.")
        return create(cur, actor, "app_user", values)


@write_service("administrateur", "créer un compte")
def add_user(
    db: Database, actor: Actor, *, login: str, display_name: str, role: str, password: str
) -> int:
    return _insert_user(db, actor, login, display_name, role, password)


def create_first_admin(db: Database, *, login: str, display_name: str, password: str) -> int:
    """Only while no account exists: the first administrator creates themself."""
    with db.transaction():
        if count_users(db):
            raise PermissionDenied(
                "Un compte existe déjà : seul un administrateur peut en créer d'autres."
            )
        bootstrap = Actor(_login(login), "administrateur", display_name)
        return _insert_user(db, bootstrap, login, display_name, "administrateur", password)


def _user_change(db: Database, actor: Actor, login: str, changes: dict) -> dict:
    with db.transaction() as cur:
        row = cur.execute(
            "select id from app_user where login = $l", {"l": _login(login)}
        ).fetchone()
        if row is None:
            raise ValidationError(f"Aucun compte « {login} ».")
        before = fetch(cur, "app_user", row[0])
        assignments = ", ".join(f"{c} = ${c}" for c in changes)
        cur.execute(
            f"update app_user set {assignments}, version = version + 1, updated_at = $at where id = $id",
            {**changes, "at": utcnow(), "id": row[0]},
        )
        after = fetch(cur, "app_user", row[0])
        audit(cur, actor, "update", "app_user", row[0], before=before, after=after)
        return after


@write_service("administrateur", "changer le rôle d'un compte")
def set_role(db: Database, actor: Actor, *, login: str, role: str) -> dict:
    clean_role = validate.choice(role, _ROLES, "Rôle")
    if _login(login) == actor.login and clean_role != "administrateur":
        remaining = db.scalar(
            "select count(*) from app_user where role = 'administrateur' and active"
            " and login <> $l",
            {"l": actor.login},
        )
        if not remaining:
            raise ValidationError(
                "Vous êtes le dernier administrateur : nommez-en un autre d'abord."
            )
    return _user_change(db, actor, login, {"role": clean_role})


@write_service("administrateur", "réinitialiser un mot de passe")
def reset_password(db: Database, actor: Actor, *, login: str, password: str) -> dict:
    return _user_change(db, actor, login, {"password_hash": hash_password(password)})


@write_service("administrateur", "activer ou désactiver un compte")
def set_active(db: Database, actor: Actor, *, login: str, active: bool) -> dict:
    if not isinstance(active, bool):
        raise ValidationError("« Actif » vaut oui ou non.")
    return _user_change(db, actor, login, {"active": active})


def authenticate(db: Database, login: str, password: str) -> Actor | None:
    """The account's actor if the password matches an active account, else None."""
    if not isinstance(login, str) or not isinstance(password, str):
        return None
    with db.reader() as cur:
        row = cur.execute(
            "select login, role, display_name, password_hash, active from app_user where login = $l",
            {"l": login.strip().lower()},
        ).fetchone()
    if row is None or not row[4]:
        return None
    try:
        ok = bcrypt.checkpw(password.encode()[:72], row[3].encode())
    except ValueError:
        return None
    return Actor(row[0], row[1], row[2]) if ok else None


def list_users(db: Database) -> list[dict]:
    return db.records("users")
