"""One valid call of each service of the notifications, and bad inputs for each (shared
by the role matrix and the bad-input tests). Each acts on the account of the actor the
role matrix builds (``user-<role>``), created here when it is missing."""

from __future__ import annotations

from dashboard.tracker.db import utcnow


def accounts(db) -> list[int]:
    """The accounts of the role matrix's actors (``user-<role>``): each acts on its own."""
    from tests.tracker.service_calls import _own_accounts

    if db.scalar("select count(*) from app_user where login like 'user-%'") == 0:
        _own_accounts(db)
    with db.reader() as cur:
        return [r[0] for r in cur.execute("select id from app_user where login like 'user-%'")
                .fetchall()]  # fmt: skip


def subscriptions(db) -> None:
    with db.transaction() as cur:
        for user_id in accounts(db):
            cur.execute("insert into subscription (user_id, kind) values ($u, 'digest')",
                        {"u": user_id})  # fmt: skip


def notifications_of_each(db) -> list[int]:
    with db.transaction() as cur:
        return [cur.execute(
            "insert into notification (user_id, dedup_key, kind, subject, body, created_at,"
            " status) values ($u, $k, 'alert', 'Alerte', 'Texte', $now, 'not_sent') returning id",
            {"u": user_id, "k": f"k{user_id}", "now": utcnow()},
        ).fetchone()[0] for user_id in accounts(db)]  # fmt: skip


VALID_CALLS = {
    "set_email": lambda db: (accounts(db) and (), dict(email="lea@exemple.fr")),
    "subscribe": lambda db: (accounts(db) and (), dict(kind="reminder", reminder_days="30, 7")),
    "unsubscribe": lambda db: (subscriptions(db) or (), dict(kind="digest")),
    "mark_read": lambda db: ((), dict(notification_ids=notifications_of_each(db))),
}

BAD_INPUTS = {
    "set_email": [({"email": "lea@"}, "n'est pas une adresse électronique valable")],
    "subscribe": [
        ({"kind": "sms"}, "Valeur inconnue"),
        ({"reminder_days": "demain"}, "Jours de rappel"),
        ({"programme_id": 999, "login": "user-lecteur"}, "n'existe pas"),
        ({"login": "personne"}, "Aucun compte"),
    ],
    "unsubscribe": [({"kind": "pack", "login": "user-lecteur"}, "n'existe pas")],
    "mark_read": [
        ({"notification_ids": ["x"]}, "Notification"),
        ({"notification_ids": [424242]}, "Rien à marquer"),
    ],
}
