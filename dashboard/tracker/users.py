"""Accounts: login, display name, role and a bcrypt hash (never the password)."""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

import bcrypt

from dashboard.tracker import fmt, sessions, validate
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
    db: Database,
    actor: Actor,
    login: str,
    display_name: str,
    role: str,
    password: str,
    provisional: bool = False,
) -> int:
    values = {
        "login": _login(login),
        "display_name": validate.text(display_name, "Nom affiché", max_len=200),
        "role": validate.choice(role, _ROLES, "Rôle"),
        "password_hash": hash_password(password),
        "password_provisional": bool(provisional),
    }
    with db.transaction() as cur:
        if cur.execute(
            "select 1 from app_user where login = $l", {"l": values["login"]}
        ).fetchone():
            raise ValidationError(f"L'identifiant « {values['login']} » est déjà pris.")
        return create(cur, actor, "app_user", values)


@write_service("administrateur", "créer un compte")
def add_user(
    db: Database,
    actor: Actor,
    *,
    login: str,
    display_name: str,
    role: str,
    password: str,
    provisional: bool = True,
) -> int:
    """An account whose password, set by someone else, is provisional unless
    ``provisional`` is False (the person chose it: ``cdv user add --definitif``)."""
    return _insert_user(db, actor, login, display_name, role, password, provisional)


def create_first_admin(db: Database, *, login: str, display_name: str, password: str) -> int:
    """Only while no account exists: the first administrator creates themself."""
    with db.transaction():
        if count_users(db):
            raise PermissionDenied(
                "Un compte existe déjà : seul un administrateur peut en créer d'autres."
            )
        bootstrap = Actor(_login(login), "administrateur", display_name)
        return _insert_user(db, bootstrap, login, display_name, "administrateur", password)


#: who creates and updates the accounts of people signed in by the identity provider
PROVIDER_ACTOR = Actor("fournisseur-identite", "administrateur", "Fournisseur d'identité (SSO)")


def provider_login(value: object) -> str:
    """The tracker's login for the provider's claim (an e-mail address, say):
    lower case, « @ » written « _at_ », any other character outside the logins'
    alphabet written « _ »."""
    name = re.sub(r"[^a-z0-9._-]", "_", str(value or "").strip().lower().replace("@", "_at_"))
    if not _LOGIN.fullmatch(name):
        raise ValidationError(
            "le fournisseur d'identité n'a pas transmis d'identifiant utilisable "
            "(2 à 64 caractères)."
        )
    return name


class StaleProviderAnswer(ValidationError):
    """The provider's answer is too old or already used: ask the provider again."""


#: how long after the provider issued its ID token the tracker accepts it (the round trip
#: to the provider has just ended); an older one asks for a new round trip
PROVIDER_FRESH_SECONDS = 300


def sign_in_from_provider(
    db: Database,
    *,
    issuer: object,
    subject: object,
    issued_at: object,
    login: object,
    display_name: object,
    role: str | None,
) -> Actor:
    """The actor of a person the identity provider has just signed in (ID token issued
    at ``issued_at``, a Unix time): their account is the one bound to ``issuer`` and
    ``subject`` — created on first sign-in under a free login made from ``login`` —,
    its role brought in line with the provider's claim. A deactivated account stays
    deactivated (the administrateur's decision holds). An ID token opens one session:
    older than a few minutes or already used, it is refused and the page asks the
    provider again (whose claims are then read anew)."""
    bound = _provider_identity(issuer, subject)
    if role not in _ROLES:
        raise ValidationError(
            f"le fournisseur d'identité ne donne à « {provider_login(login)} » aucun rôle "
            "dans le tracker : demandez à l'administrateur de vous l'attribuer."
        )
    now = utcnow()
    with db.transaction() as cur:
        _use_token(cur, bound, issued_at, now)
        row = cur.execute(
            "select login from app_user where provider_issuer = $i and provider_subject = $s",
            {"i": bound[0], "s": bound[1]},
        ).fetchone()
        if row is None:
            values = {
                "login": _free_login(cur, provider_login(login)),
                "display_name": validate.text(display_name or login, "Nom affiché", max_len=200),
                "role": role,
                # a password nobody knows: the account signs in through the provider
                "password_hash": hash_password(secrets.token_urlsafe(48)),
                "provider_issuer": bound[0],
                "provider_subject": bound[1],
            }
            create(cur, PROVIDER_ACTOR, "app_user", values)
            name = values["login"]
        else:
            name = row[0]
        account = account_row(cur, name)
        if not account["active"]:
            raise ValidationError(f"le compte « {name} » est désactivé dans le tracker.")
        if account["role"] != role:
            _user_change(db, PROVIDER_ACTOR, name, {"role": role}, login_checked=True)
        return actor_of(account_row(cur, name))


def _provider_identity(issuer: object, subject: object) -> tuple[str, str]:
    if not (isinstance(issuer, str) and isinstance(subject, str)
            and 0 < len(issuer) <= 500 and 0 < len(subject) <= 255):  # fmt: skip
        raise ValidationError(
            "le fournisseur d'identité n'a pas transmis d'identifiant stable de la personne "
            "(« iss » et « sub »)."
        )
    return issuer, subject


def _use_token(cur, bound: tuple[str, str], issued_at: object, now) -> None:
    """Refuse an ID token issued too long ago, or already used to open a session."""
    stale = StaleProviderAnswer(
        "la connexion du fournisseur d'identité est trop ancienne ou a déjà servi : "
        "reconnectez-vous avec lui."
    )
    if not isinstance(issued_at, int | float) or isinstance(issued_at, bool):
        raise stale
    age = now.replace(tzinfo=dt.UTC).timestamp() - float(issued_at)
    if not -60 <= age <= PROVIDER_FRESH_SECONDS:
        raise stale
    key = hashlib.sha256(f"{bound[0]}\n{bound[1]}\n{issued_at}".encode()).hexdigest()
    if cur.execute("select 1 from provider_sign_in where token_key = $k", {"k": key}).fetchone():
        raise stale
    cur.execute("insert into provider_sign_in values ($k, $t)", {"k": key, "t": now})


def _free_login(cur, base: str) -> str:
    """``base``, or ``base-2``, ``base-3``… : a login no account has (never an existing
    account's, local or not)."""
    taken = {r[0] for r in cur.execute(
        "select login from app_user where login = $b or login like $p",
        {"b": base, "p": base[:58] + "-%"},
    ).fetchall()}  # fmt: skip
    if base not in taken:
        return base
    number = 2
    while f"{base[:58]}-{number}" in taken:
        number += 1
    return f"{base[:58]}-{number}"


#: changes that end the account's open sessions (its access epoch is raised)
_ACCESS_FIELDS = {"role", "active", "password_hash", "password_provisional"}


def _user_change(
    db: Database, actor: Actor, login: str, changes: dict, *, login_checked: bool = False
) -> dict:
    with db.transaction() as cur:
        row = cur.execute(
            "select id from app_user where login = $l",
            {"l": login if login_checked else _login(login)},
        ).fetchone()
        if row is None:
            raise ValidationError(f"Aucun compte « {login} ».")
        before = fetch(cur, "app_user", row[0])
        _keep_an_administrator(cur, before, changes)
        changed = {k: v for k, v in changes.items() if before[k] != v}
        if not changed:
            return before
        epoch = " , access_epoch = access_epoch + 1" if _ACCESS_FIELDS & set(changed) else ""
        # column names come from this module's callers (role, active, password_hash)
        assignments = ", ".join(f"{c} = ${c}" for c in changed)
        cur.execute(
            f"update app_user set {assignments}{epoch}, version = version + 1, updated_at = $at"
            " where id = $id",
            {**changed, "at": utcnow(), "id": row[0]},
        )
        if epoch:
            sessions.revoke_account(cur, row[0])
        after = fetch(cur, "app_user", row[0])
        audit(cur, actor, "update", "app_user", row[0], before=before, after=after)
        return after


def _keep_an_administrator(cur, before: dict, changes: dict) -> None:
    """The last active administrator can be neither demoted nor deactivated."""
    removes = (
        changes.get("role", "administrateur") != "administrateur"
        or changes.get("active", True) is False
    )
    if not (removes and before["role"] == "administrateur" and before["active"]):
        return
    others = cur.execute(
        "select count(*) from app_user where role = 'administrateur' and active and id <> $id",
        {"id": before["id"]},
    ).fetchone()[0]
    if not others:
        raise ValidationError(
            f"« {before['login']} » est le dernier administrateur actif : nommez-en un autre "
            "d'abord. Rien n'a été enregistré."
        )


@write_service("administrateur", "changer le rôle d'un compte")
def set_role(db: Database, actor: Actor, *, login: str, role: str) -> dict:
    return _user_change(db, actor, login, {"role": validate.choice(role, _ROLES, "Rôle")})


@write_service("administrateur", "réinitialiser un mot de passe")
def reset_password(
    db: Database, actor: Actor, *, login: str, password: str, provisional: bool = True
) -> dict:
    """A new password, provisional when set for someone else (unless ``provisional``
    is False)."""
    return _user_change(db, actor, login, _password_change(actor, login, password, provisional))


def _password_change(actor: Actor, login: str, password: str, provisional: bool) -> dict:
    own = _login(login) == actor.login
    return {"password_hash": hash_password(password),
            "password_provisional": bool(provisional) and not own}  # fmt: skip


@write_service("lecteur", "choisir son mot de passe", provisional_ok=True)
def change_own_password(db: Database, actor: Actor, *, current: str, new: str) -> dict:
    """The signed-in person's own password (required after a provisional one): the
    current one is checked, the new one must differ; every session of the account
    ends (the page signs its author in again with the new one)."""
    new_hash = hash_password(new)
    if new == current:
        raise ValidationError("Le nouveau mot de passe doit différer de l'actuel.")
    if authenticate(db, actor.login, current if isinstance(current, str) else "") is None:
        raise ValidationError("Le mot de passe actuel est inexact : rien n'a été changé.")
    changes = {"password_hash": new_hash, "password_provisional": False}
    return _user_change(db, actor, actor.login, changes, login_checked=True)


@write_service("administrateur", "activer ou désactiver un compte")
def set_active(db: Database, actor: Actor, *, login: str, active: bool) -> dict:
    if not isinstance(active, bool):
        raise ValidationError("« Actif » vaut oui ou non.")
    return _user_change(db, actor, login, {"active": active})


@write_service("administrateur", "modifier un compte")
def update_account(
    db: Database,
    actor: Actor,
    *,
    login: str,
    role: str,
    active: bool,
    password: str | None = None,
) -> dict:
    """Role, active flag and (optionally) password of an account, in one transaction:
    changing a password changes nothing else."""
    if not isinstance(active, bool):
        raise ValidationError("« Actif » vaut oui ou non.")
    changes: dict = {"role": validate.choice(role, _ROLES, "Rôle"), "active": active}
    if password is not None:
        changes |= _password_change(actor, login, password, True)
    return _user_change(db, actor, login, changes)


def account_row(cur, login: str) -> dict | None:
    """The account named ``login`` (with its hash, for the login check only)."""
    result = cur.execute(
        "select id, login, role, display_name, password_hash, active, access_epoch,"
        " password_provisional from app_user where login = $l",
        {"l": login.strip().lower()},
    )
    row = result.fetchone()
    return dict(zip([d[0] for d in result.description], row, strict=True)) if row else None


def authenticate(db: Database, login: str, password: str) -> Actor | None:
    """The actor if the password matches an active account, else None (no throttle:
    ``auth.login`` is the way in for people)."""
    if not isinstance(login, str) or not isinstance(password, str):
        return None
    with db.reader() as cur:
        account = account_row(cur, login)
    if account is None or not account["active"]:
        return None
    try:
        ok = bcrypt.checkpw(password.encode()[:72], account["password_hash"].encode())
    except ValueError:
        return None
    return actor_of(account) if ok else None


def actor_of(account: dict) -> Actor:
    return Actor(
        account["login"],
        account["role"],
        account["display_name"],
        user_id=account["id"],
        epoch=account["access_epoch"],
        provisional=bool(account.get("password_provisional")),
    )


def list_users(db: Database) -> list[dict]:
    return db.records("users")
