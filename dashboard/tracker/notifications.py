"""Telling people before it is late (issue 25): an account's e-mail address, verified
by a signed link; its subscriptions; the notifications due at a date — reminders of the
deadlines at chosen days before them, the alerts, the weekly digest of what changed,
the pack of each quarter ended — computed once per programme, claimed by their key
(person, what, step) before they are sent, so that each is sent once whatever runs
twice; sent through SMTP (``mail.py``), retried with back-off, never resent when a run
was killed after handing it to the server (it is then « incertaine », for the
administrators). Every notification is also in the person's notification centre."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import json
import re
from dataclasses import dataclass

from dashboard.tracker import fmt, history, overview, validate
from dashboard.tracker.access import Actor, write_service
from dashboard.tracker.completeness import completeness
from dashboard.tracker.db import Database, utcnow
from dashboard.tracker.deadlines import deadlines
from dashboard.tracker.errors import PermissionDenied, ValidationError
from dashboard.tracker.records import audit, create, fetch

KINDS = {
    "reminder": "rappels d'échéances",
    "alert": "alertes (bloqué, en retard, terme passé, valeur manquante, livrable ou "
    "recommandation en retard, consultation qui s'achève…)",
    "digest": "résumé hebdomadaire « ce qui a changé »",
    "pack": "dossier trimestriel prêt",
}
#: reminders of a deadline: so many days before it, and on the day
DEFAULT_DAYS = (90, 30, 7, 0)
#: what a new verified address receives, by role (each can be changed)
DEFAULTS = {
    "lecteur": ("digest", "pack"),
    "contributeur": ("reminder", "alert", "digest"),
    "administrateur": ("reminder", "alert", "digest", "pack"),
}
#: a verification link is good for two days
VERIFY_HOURS = 48
#: a send that failed is tried again after 5, 10, 20, 40 minutes…, five times at most
RETRY_MINUTES, MAX_ATTEMPTS = 5, 5
#: a send handed to the server by a run that never said how it went (killed)
STALE_MINUTES = 15
_EMAIL = re.compile(
    r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}"
)


# -- addresses and signed links ---------------------------------------------------------
def clean_email(value: object) -> str:
    text = validate.text(value, "Adresse électronique", max_len=254)
    if not _EMAIL.fullmatch(text):
        raise ValidationError(
            f"« {text[:60]} » n'est pas une adresse électronique valable (exemple : "
            "prenom.nom@exemple.fr)."
        )
    local, domain = text.rsplit("@", 1)
    return f"{local}@{domain.lower()}"


def _key(cur) -> bytes:
    secret = cur.execute("select value from app_meta where key = 'login_key_secret'").fetchone()[0]
    return hmac.new(secret.encode(), b"courriel", hashlib.sha256).digest()


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def sign(cur, payload: dict) -> str:
    """A link's token: its payload and an HMAC of it (the server's own secret)."""
    body = _b64(json.dumps(payload, separators=(",", ":"), sort_keys=True).encode())
    mac = _b64(hmac.new(_key(cur), body.encode(), hashlib.sha256).digest())
    return f"{body}.{mac}"


def unsign(cur, token: object) -> dict | None:
    """The payload of a token this server signed, else None (tampered, malformed)."""
    if not isinstance(token, str) or token.count(".") != 1 or len(token) > 600:
        return None
    body, mac = token.split(".")
    expected = _b64(hmac.new(_key(cur), body.encode(), hashlib.sha256).digest())
    if not hmac.compare_digest(mac, expected):
        return None
    try:
        return json.loads(base64.urlsafe_b64decode(body + "=" * (-len(body) % 4)))
    except ValueError:
        return None


def _account(cur, login: str) -> dict:
    row = cur.execute("select id from app_user where login = $l", {"l": login}).fetchone()
    if row is None:
        raise ValidationError(f"Aucun compte « {login} ».")
    return fetch(cur, "app_user", row[0])


def _own_or_admin(actor: Actor, login: str | None) -> str:
    if login is None or login == actor.login:
        return actor.login
    if not actor.can("administrateur"):
        raise PermissionDenied(
            "Seul un administrateur règle l'adresse ou les abonnements d'un autre compte."
        )
    return login


def _set_user(cur, actor: Actor, account: dict, changes: dict) -> dict:
    cur.execute(
        "update app_user set email = $e, email_verified_at = $v, version = version + 1,"
        " updated_at = $at where id = $id",
        {"e": changes["email"], "v": changes["email_verified_at"], "at": utcnow(),
         "id": account["id"]},
    )  # fmt: skip
    after = fetch(cur, "app_user", account["id"])
    audit(cur, actor, "update", "app_user", account["id"], before=account, after=after)
    return after


@write_service("lecteur", "indiquer son adresse électronique")
def set_email(db: Database, actor: Actor, *, email: object, login: str | None = None) -> str:
    """The account's address (its own, or any for an administrator), unverified until the
    link it receives is opened; returns that link's token."""
    address = clean_email(email)
    target = _own_or_admin(actor, login)
    with db.transaction() as cur:
        account = _account(cur, target)
        if account["email"] == address and account["email_verified_at"] is not None:
            raise ValidationError("Rien à enregistrer : cette adresse est déjà vérifiée.")
        _set_user(cur, actor, account, {"email": address, "email_verified_at": None})
        expires = int((utcnow() + dt.timedelta(hours=VERIFY_HOURS)).timestamp())
        return sign(cur, {"v": account["id"], "e": address, "x": expires})


def verify(db: Database, token: object) -> str:
    """Open a verification link: the address is verified (if it is still the account's
    and the link has not expired), the role's default subscriptions created when the
    account has none. Returns what to tell the person, in French."""
    with db.transaction() as cur:
        payload = unsign(cur, token)
        if not payload or "v" not in payload:
            return "Ce lien de vérification n'est pas valable."
        if payload["x"] < utcnow().timestamp():
            return "Ce lien de vérification a expiré : demandez-en un autre depuis la page Notifications."
        account = fetch(cur, "app_user", payload["v"])
        if account is None or account["email"] != payload["e"] or not account["active"]:
            return "Ce lien ne correspond plus à l'adresse du compte : rien n'a été changé."
        if account["email_verified_at"] is None:
            link = Actor(account["login"], account["role"], account["display_name"])
            _set_user(
                cur, link, account, {"email": account["email"], "email_verified_at": utcnow()}
            )
            if not cur.execute("select 1 from subscription where user_id = $u",
                               {"u": account["id"]}).fetchone():  # fmt: skip
                for kind in DEFAULTS[account["role"]]:
                    create(cur, link, "subscription", {
                        "user_id": account["id"], "kind": kind,
                        "reminder_days": _days(DEFAULT_DAYS) if kind == "reminder" else None,
                    })  # fmt: skip
        return (
            f"Adresse {account['email']} vérifiée : les notifications choisies lui seront envoyées."
        )


def _days(days: object) -> str:
    if isinstance(days, str):
        days = [d for d in re.split(r"[\s,;]+", days) if d]
    try:
        values = sorted({int(d) for d in days}, reverse=True)
    except (TypeError, ValueError):
        values = []
    if not values or any(d < 0 or d > 365 for d in values):
        raise ValidationError(
            "Jours de rappel : des nombres de jours avant l'échéance, de 0 (le jour même) à 365, "
            "séparés par des virgules (ex. 90, 30, 7, 0)."
        )
    return ",".join(str(d) for d in values)


@write_service("lecteur", "s'abonner à des notifications")
def subscribe(
    db: Database,
    actor: Actor,
    *,
    kind: str,
    programme_id: int | None = None,
    reminder_days: object = None,
    login: str | None = None,
) -> int:
    what = validate.choice(kind, KINDS, "Notification")
    days = _days(reminder_days if reminder_days is not None else DEFAULT_DAYS) if (
        what == "reminder") else None  # fmt: skip
    target = _own_or_admin(actor, login)
    with db.transaction(affects="none") as cur:
        account = _account(cur, target)
        if (
            programme_id is not None
            and not cur.execute(
                "select 1 from programme where id = $p", {"p": programme_id}
            ).fetchone()
        ):
            raise ValidationError(f"Le programme n° {programme_id} n'existe pas.")
        if cur.execute(
            "select 1 from subscription where user_id = $u and kind = $k and cancelled_at is null"
            " and programme_id is not distinct from $p",
            {"u": account["id"], "k": what, "p": programme_id},
        ).fetchone():
            raise ValidationError("Cet abonnement existe déjà.")
        return create(cur, actor, "subscription", {"user_id": account["id"], "kind": what,
                                                    "programme_id": programme_id,
                                                    "reminder_days": days})  # fmt: skip


@write_service("lecteur", "se désabonner")
def unsubscribe(
    db: Database,
    actor: Actor,
    *,
    kind: str,
    programme_id: int | None = None,
    login: str | None = None,
) -> None:
    """Stop one of the account's subscriptions (its own, or any for an administrator)."""
    what = validate.choice(kind, KINDS, "Notification")
    target = _own_or_admin(actor, login)
    with db.transaction(affects="none") as cur:
        account = _account(cur, target)
        found = cur.execute(
            "select id from subscription where user_id = $u and kind = $k and cancelled_at is null"
            " and programme_id is not distinct from $p",
            {"u": account["id"], "k": what, "p": programme_id},
        ).fetchone()
        if found is None:
            raise ValidationError("Cet abonnement n'existe pas (ou est déjà arrêté).")
        _cancel(cur, actor, fetch(cur, "subscription", found[0]),
                "désabonnement depuis la page Notifications")  # fmt: skip


def _cancel(cur, actor: Actor, row: dict, reason: str) -> None:
    cur.execute(
        "update subscription set cancelled_at = $at, cancelled_by = $by, cancel_reason = $why"
        " where id = $id",
        {"at": utcnow(), "by": actor.name, "why": reason, "id": row["id"]},
    )
    audit(cur, actor, "update", "subscription", row["id"], before=row,
          after=fetch(cur, "subscription", row["id"]), reason=reason)  # fmt: skip


def unsubscribe_link(db: Database, token: object) -> str:
    """Open the unsubscribe link of a mail (no sign-in): that subscription stops."""
    with db.transaction(affects="none") as cur:
        payload = unsign(cur, token)
        if not payload or "s" not in payload:
            return "Ce lien de désabonnement n'est pas valable."
        row = fetch(cur, "subscription", payload["s"])
        if row is None:
            return "Ce lien de désabonnement n'est pas valable."
        if row["cancelled_at"] is not None:
            return "Vous étiez déjà désabonné(e) de ces notifications."
        _cancel(cur, Actor("lien-desabonnement", "lecteur", "Lien de désabonnement"), row,
                "lien de désabonnement d'un courriel")  # fmt: skip
        return f"C'est fait : vous ne recevrez plus les {KINDS[row['kind']].split(' (')[0]}."


# -- what is due -----------------------------------------------------------------------
@dataclass(frozen=True)
class Planned:
    user_id: int
    subscription_id: int
    key: str
    kind: str
    programme_code: str | None
    subject: str
    body: str
    link: str
    #: the alerts a grouped message signals (their keys), remembered once it is recorded
    items: tuple[str, ...] = ()


#: alerts listed in one message (the others counted, all in the centre's page)
ALERTS_LISTED = 30


def _programme_reads(db: Database, codes: list[str], today: dt.date, kinds: set[str]) -> dict:
    """Per programme, for every person at once: its deadlines, alerts and week's changes
    (each read once over every programme, then split)."""
    week_end = today - dt.timedelta(days=today.weekday() + 1)  # last Sunday
    read = {code: {"deadlines": [], "alerts": [], "changes": []} for code in codes}
    every = {
        "deadlines": deadlines(db, None, today) if "reminder" in kinds else [],
        "alerts": overview.alerts(db, today, None) + _missing_values(db, today)
        if "alert" in kinds else [],
        "changes": history.changes_between(db, week_end - dt.timedelta(days=7), week_end)
        if "digest" in kinds else [],
    }  # fmt: skip
    for what, rows in every.items():
        for row in rows:
            if row.get("programme_code") in read:
                read[row["programme_code"]][what].append(row)
    return read


def _missing_values(db: Database, today: dt.date) -> list[dict]:
    """Indicators without a value for their last closed periods (the completeness gap),
    as alerts."""
    return [
        {"level": "warning", "programme_code": gap["programme_code"],
         "text": f"Valeur manquante pour une période close — {gap['item'].split(' — ', 1)[1]} : "
                 f"{gap['reason']}"}
        for gap in completeness(db, None, today) if gap["code"] == "indicator_no_recent_value"
    ]  # fmt: skip


def _reminder_step(deadline: dict, days: list[int], today: dt.date) -> int | None:
    """The reminder reached today: the fewest days before the deadline whose day has come
    (a run missed on that day still sends it, once); None before the first or after it."""
    due = deadline["date"]
    if due is None or deadline.get("met_on") or today > due:
        return None
    reached = [d for d in days if today >= due - dt.timedelta(days=d)]
    return min(reached) if reached else None


def _digest_key(today: dt.date) -> tuple[str, dt.date, dt.date]:
    end = today - dt.timedelta(days=today.weekday() + 1)
    start = end - dt.timedelta(days=6)
    year, week, _ = start.isocalendar()
    return f"{year}-S{week:02d}", start, end


def due(db: Database, today: dt.date) -> list[Planned]:
    """Every notification due at ``today`` for the active accounts' live subscriptions."""
    subs = db.records("notification_subscriptions")
    if not subs:
        return []
    by_id = {p["programme_id"]: p["code"]
             for p in db.records("programmes", as_of=today, programme_code=None)}  # fmt: skip
    live = sorted(by_id.values())
    # the programmes each subscription follows: its own (if live then), or every one
    codes_of = {s["id"]: ([by_id[s["programme_id"]]] if s["programme_id"] in by_id
                          else live if s["programme_id"] is None else [])
                for s in subs}  # fmt: skip
    wanted = sorted({code for codes in codes_of.values() for code in codes})
    read = _programme_reads(db, wanted, today, {s["kind"] for s in subs})
    signalled = _signalled(db) if any(s["kind"] == "alert" for s in subs) else {}
    week, start, end = _digest_key(today)
    year, quarter = fmt.previous_quarter(today.year, (today.month - 1) // 3 + 1)
    planned = []
    for s in subs:
        codes = codes_of[s["id"]]
        base = f"{s['user_id']}|{s['kind']}"
        if s["kind"] == "pack":
            label = fmt.quarter_label(year, quarter)
            planned.append(Planned(
                s["user_id"], s["id"], f"{base}|{year}-T{quarter}", "pack", None,
                f"Le dossier trimestriel {label} est prêt",
                f"Le trimestre {label} est terminé : son dossier (présentation, PDF, classeur) se "
                "télécharge depuis la page Présentation trimestrielle.",
                f"/presentation?trimestre={year}-T{quarter}",
            ))  # fmt: skip
            continue
        seen = signalled.get(s["id"], set())
        for code in codes:
            planned.extend(_for_programme(s, base, code, read[code], seen, today, week, start,
                                          end))  # fmt: skip
    return planned


def _signalled(db: Database) -> dict[int, set[str]]:
    """The alerts already signalled, by subscription."""
    found: dict[int, set[str]] = {}
    with db.reader() as cur:
        for sub_id, key in cur.execute(
            "select subscription_id, item_key from notified_item"
        ).fetchall():
            found.setdefault(sub_id, set()).add(key)
    return found


def _for_programme(s: dict, base: str, code: str, read: dict, seen: set[str], today: dt.date,
                   week: str, start: dt.date, end: dt.date) -> list[Planned]:  # fmt: skip
    out = []
    if s["kind"] == "reminder":
        days = [int(d) for d in s["reminder_days"].split(",")]
        for d in read["deadlines"]:
            step = _reminder_step(d, days, today)
            if step is None:
                continue
            when = "aujourd'hui" if d["date"] == today else f"le {fmt.date_fr(d['date'])}"
            ident = f"{d['kind']}|{d.get('act_id')}|{d.get('step_id')}|{d['date']}"
            out.append(Planned(
                s["user_id"], s["id"], f"{base}|{code}|{ident}|J-{step}", "reminder", code,
                f"Échéance {when} : {d['kind_label']} ({code})",
                f"{d['label']}.\nComment elle est établie : {d['rule']}.",
                f"/echeances?programme={code}",
            ))  # fmt: skip
    elif s["kind"] == "alert":
        # one message per run with the alerts not yet signalled to this subscription
        new = {}
        for a in read["alerts"]:
            key = f"{code}|{hashlib.blake2b(a['text'].encode(), digest_size=8).hexdigest()}"
            if key not in seen:
                new.setdefault(key, a["text"])
        if new:
            texts = list(new.values())
            listed = "\n".join(f"- {t}" for t in texts[:ALERTS_LISTED])
            more = (f"\n… et {len(texts) - ALERTS_LISTED} autre(s) : voir la vue d'ensemble."
                    if len(texts) > ALERTS_LISTED else "")  # fmt: skip
            out.append(Planned(
                s["user_id"], s["id"], f"{base}|{code}|{today.isoformat()}|{len(seen)}", "alert",
                code, f"{len(texts)} nouvelle{'s' if len(texts) > 1 else ''} alerte"
                f"{'s' if len(texts) > 1 else ''} ({code})", listed + more,
                f"/accueil?programme={code}", tuple(new),
            ))  # fmt: skip
    elif s["kind"] == "digest" and read["changes"]:
        lines = [
            f"- {c['occurred_on']:%d/%m/%Y} : {c['what']} ({c['actor']})" for c in read["changes"]
        ]
        out.append(Planned(
            s["user_id"], s["id"], f"{base}|{code}|{week}", "digest", code,
            f"Ce qui a changé ({code}) du {fmt.date_fr(start)} au {fmt.date_fr(end)}",
            f"{len(lines)} changement(s) enregistré(s) :\n" + "\n".join(lines[:50])
            + (f"\n… et {len(lines) - 50} autres." if len(lines) > 50 else ""),
            f"/comites?programme={code}",
        ))  # fmt: skip
    return out


# -- the notification centre -----------------------------------------------------------
def mine(db: Database, actor: Actor, limit: int = 100) -> list[dict]:
    user_id = db.scalar("select id from app_user where login = $l", {"l": actor.login})
    return db.records("my_notifications", user_id=user_id, limit=limit) if user_id else []


@write_service("lecteur", "marquer ses notifications comme lues")
def mark_read(db: Database, actor: Actor, *, notification_ids: list[int]) -> int:
    if not isinstance(notification_ids, list | tuple):
        raise ValidationError("Choisissez les notifications à marquer comme lues.")
    ids = [validate.identifier(i, "Notification") for i in notification_ids]
    with db.transaction(affects="none") as cur:
        marked = cur.execute(
            "update notification set read_at = $at where read_at is null and id in"
            " (select unnest($ids::bigint[])) and user_id = (select id from app_user where"
            " login = $l) returning id",
            {"at": utcnow(), "l": actor.login, "ids": ids},
        ).fetchall()
        if not marked:
            raise ValidationError(
                "Rien à marquer : ces notifications sont déjà lues (ou ne sont pas les vôtres)."
            )
        return len(marked)


# -- sending -----------------------------------------------------------------------------
@dataclass
class Report:
    planned: int = 0
    new: int = 0
    sent: int = 0
    failed: int = 0
    kept: int = 0
    uncertain: int = 0
    reported: int = 0
    lines: list[str] | None = None


def _claim(cur, planned: list[Planned], subs: dict[int, dict]) -> int:
    """Record the notifications not yet known (their key is unique), in one block: the
    ones to mail « pending », the others (no verified address) kept for the centre only;
    the alerts they signal are remembered with them."""
    import pandas as pd

    if not planned:
        return 0
    now = utcnow()
    kept = "pas d'adresse vérifiée : notification gardée ici"
    frame = pd.DataFrame({
        "user_id": [p.user_id for p in planned],
        "subscription_id": [p.subscription_id for p in planned],
        "dedup_key": [p.key for p in planned],
        "kind": [p.kind for p in planned],
        "programme_code": [p.programme_code for p in planned],
        "subject": [p.subject for p in planned],
        "body": [p.body for p in planned],
        "link": [p.link for p in planned],
        "status": ["pending" if subs[p.subscription_id]["email"] else "not_sent" for p in planned],
        "last_error": [None if subs[p.subscription_id]["email"] else kept for p in planned],
    }).drop_duplicates("dedup_key")  # fmt: skip
    cur.register("planned_notifications", frame)
    try:
        inserted = cur.execute(
            "insert into notification (user_id, subscription_id, dedup_key, kind, programme_code,"
            " subject, body, link, created_at, status, last_error, next_attempt_at)"
            " select user_id, subscription_id, dedup_key, kind, programme_code, subject, body,"
            " link, $now, status, last_error, $now from planned_notifications"
            " on conflict do nothing returning id, dedup_key",
            {"now": now},
        ).fetchall()
    finally:
        cur.unregister("planned_notifications")
    ids = dict((key, notification_id) for notification_id, key in inserted)
    remembered = [(p.subscription_id, item, ids[p.key]) for p in planned if p.items and p.key in ids
                  for item in p.items]  # fmt: skip
    if remembered:  # every alert signalled, in one block
        items = pd.DataFrame(remembered, columns=["subscription_id", "item_key", "notification_id"])
        cur.register("remembered_items", items)
        try:
            cur.execute("insert into notified_item select * from remembered_items"
                        " on conflict do nothing")  # fmt: skip
        finally:
            cur.unregister("remembered_items")
    return len(inserted)


def _report_given_up(cur) -> int:
    """A notification refused at every attempt is reported to each active administrator,
    once (in their centre, and by mail on the next run when their address is verified)."""
    return len(cur.execute(
        "insert into notification (user_id, dedup_key, kind, programme_code, subject, body,"
        " link, created_at, status, next_attempt_at)"
        " select a.id, 'echec|' || n.id || '|' || a.id, 'alert', n.programme_code,"
        " 'Notification non envoyée après ' || n.attempts || ' essais',"
        " 'Le serveur de messagerie a refusé « ' || n.subject || ' » pour ' || u.login || ' : '"
        " || coalesce(n.last_error, 'sans réponse') || '. Elle reste dans son centre de"
        " notifications ; voir le journal des envois.', '/notifications', $now,"
        " case when a.email_verified_at is not null then 'pending' else 'not_sent' end, $now"
        " from notification as n join app_user as u on u.id = n.user_id"
        " cross join app_user as a"
        " where n.status = 'failed' and n.attempts >= $max and a.role = 'administrateur'"
        " and a.active and n.dedup_key not like 'echec|%'"
        " on conflict do nothing returning id",
        {"now": utcnow(), "max": MAX_ATTEMPTS},
    ).fetchall())  # fmt: skip


def _stale(cur) -> int:
    """Sends a run handed to the server without ever saying how it went (killed): never
    sent again (it may have arrived), said « incertaine » for the administrators."""
    return len(cur.execute(
        "update notification set status = 'uncertain', last_error = $why"
        " where status = 'sending' and next_attempt_at < $limit returning id",
        {"why": "l'envoi a été interrompu : le message est peut-être arrivé, il n'est pas renvoyé",
         "limit": utcnow() - dt.timedelta(minutes=STALE_MINUTES)},
    ).fetchall())  # fmt: skip


def run(db: Database, config, today: dt.date, *, dry_run: bool = False) -> Report:
    """Compute what is due at ``today``, record it (once per key), and mail what has a
    verified address: each message marked « sending » before it is handed to the
    server, « sent » after; a refusal is retried later with back-off. Nothing is mailed
    from a demonstration database. ``dry_run``: say what would be sent, record nothing."""
    from dashboard.tracker import mail

    report = Report(lines=[])
    planned = due(db, today)
    report.planned = len(planned)
    subs = {s["id"]: s for s in db.records("notification_subscriptions")}
    if dry_run:
        with db.reader() as cur:
            known = {k for (k,) in cur.execute("select dedup_key from notification").fetchall()}
        for p in planned:
            if p.key not in known:
                to = subs[p.subscription_id]["email"] or "(centre de notifications seulement)"
                report.lines.append(f"{to} — {p.subject}")
        report.new = len(report.lines)
        return report
    demo = bool(db.records("demo_flag"))
    with db.transaction(affects="none") as cur:
        report.uncertain = _stale(cur)
        report.new = _claim(cur, planned, subs)
        # a demonstration database mails nobody, nor a tracker without a mail server:
        # their notifications stay in the centre
        kept = ("base de démonstration : aucun courriel envoyé" if demo else
                None if config.configured else "aucun serveur de messagerie configuré")  # fmt: skip
        if kept:
            cur.execute("update notification set status = 'not_sent', last_error = $why"
                        " where status = 'pending'", {"why": kept})  # fmt: skip
        rows = cur.execute(
            "update notification set status = 'sending', attempts = attempts + 1,"
            " next_attempt_at = $now where status in ('pending', 'failed') and attempts < $max"
            " and next_attempt_at <= $now returning id",
            {"now": utcnow(), "max": MAX_ATTEMPTS},
        ).fetchall()
    for (notification_id,) in rows:
        _send_one(db, config, notification_id, report, mail)
    with db.transaction(affects="none") as cur:
        report.reported = _report_given_up(cur)
    with db.reader() as cur:
        report.kept = cur.execute(
            "select count(*) from notification where status = 'not_sent'").fetchone()[0]  # fmt: skip
    return report


def _send_one(db: Database, config, notification_id: int, report: Report, mail) -> None:
    with db.reader() as cur:
        row = cur.execute(
            "select n.*, u.email, u.active, u.email_verified_at, s.cancelled_at as stopped"
            " from notification n join app_user u on u.id = n.user_id"
            " left join subscription s on s.id = n.subscription_id where n.id = $i",
            {"i": notification_id},
        )
        record = dict(zip([d[0] for d in row.description], row.fetchone(), strict=True))
        token = sign(cur, {"s": record["subscription_id"]}) if record["subscription_id"] else None
    if not record["active"] or record["email_verified_at"] is None or record["stopped"]:
        _mark(db, notification_id, "not_sent", "compte désactivé, adresse retirée ou désabonné")
        return
    try:
        answer = mail.send(config, mail.message(config, record["email"], record["subject"],
                                                record["body"], record["link"], token))  # fmt: skip
    except mail.MailError as error:
        report.failed += 1
        report.lines.append(f"{record['email']} — {record['subject']} : {error.message}")
        retry = utcnow() + dt.timedelta(minutes=RETRY_MINUTES * 2 ** (record["attempts"] - 1))
        _mark(db, notification_id, "failed", error.message, retry=retry)
        return
    report.sent += 1
    report.lines.append(f"{record['email']} — {record['subject']} : {answer}")
    _mark(db, notification_id, "sent", None)


def _mark(db: Database, notification_id: int, status: str, why: str | None, *,
          retry: dt.datetime | None = None) -> None:  # fmt: skip
    with db.transaction(affects="none") as cur:
        cur.execute(
            "update notification set status = $s, last_error = $why, next_attempt_at ="
            " coalesce($retry, next_attempt_at), sent_at = case when $s = 'sent' then $now end"
            " where id = $i",
            {"s": status, "why": why, "retry": retry, "now": utcnow(), "i": notification_id},
        )


def test_mail(db: Database, config, address: object) -> str:
    """Send a test message to ``address``; what the server answered (MailError else)."""
    from dashboard.tracker import mail

    to = clean_email(address)
    return mail.send(config, mail.message(
        config, to, "Message d'essai de cdv-tracker",
        "Ce message vérifie que le suivi sait envoyer ses notifications. Rien à faire.",
        "/", None,
    ))  # fmt: skip


def send_verification(db: Database, actor: Actor, config, *, email: object,
                      login: str | None = None) -> tuple[bool, str]:  # fmt: skip
    """Set the address and mail it its verification link: (mailed, what to say). The
    address is recorded even when the mail cannot leave (the link can be asked again)."""
    from dashboard.tracker import mail

    token = set_email(db, actor, email=email, login=login)
    address = clean_email(email)
    link = f"/_cdv/verifier-adresse?jeton={token}"
    try:
        answer = mail.send(config, mail.message(
            config, address, "Vérifiez votre adresse pour les notifications de cdv-tracker",
            "Pour recevoir les rappels et alertes du suivi à cette adresse, ouvrez le lien "
            f"ci-dessous dans les {VERIFY_HOURS} heures. Si vous n'avez rien demandé, ignorez "
            "ce message.", link,
        ))  # fmt: skip
    except mail.MailError as error:
        return False, (f"Adresse {address} enregistrée, non vérifiée : le lien de vérification "
                       f"n'a pas pu partir ({error.message}).")  # fmt: skip
    return True, f"Adresse {address} enregistrée ; lien de vérification envoyé ({answer})."
