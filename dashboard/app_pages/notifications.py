"""Notifications: the signed-in person's address (verified by a link it receives), what
they subscribe to — reminders of deadlines at chosen days, alerts, the weekly digest,
the pack of each quarter —, and their notification centre (what was sent, or kept here
without a mail), read or unread, with links; for an administrator, the send log and a
test message."""

import pandas as pd
import streamlit as st

from dashboard.tracker import fmt, mail, notifications
from dashboard.ui import data, forms, session
from dashboard.ui.layout import page_header
from dashboard.ui.widgets import data_table, empty_state, escape_markdown

PAGE = "notifications"
STATUS = {"sent": "envoyée", "pending": "à envoyer", "sending": "en cours d'envoi",
          "failed": "refusée (nouvel essai prévu)", "uncertain": "incertaine (envoi interrompu)",
          "not_sent": "gardée ici, sans courriel"}  # fmt: skip

page_header(
    "Notifications",
    "Être prévenu avant qu'il soit trop tard : rappels d'échéances, alertes, résumé de la "
    "semaine, dossier trimestriel — par courriel et ici.",
)
forms.flash(PAGE)
actor = session.current_actor()
if actor is None:
    st.info("Connectez-vous pour régler vos notifications.")
    st.stop()
db = data.database()
config = mail.settings()
rows = db.records("my_subscriptions", login=actor.login)
me = rows[0] if rows else {"email": None, "email_verified_at": None}

st.header("Mon adresse", anchor=False)
if me["email"]:
    state = ("vérifiée" if me["email_verified_at"] else
             "non vérifiée : ouvrez le lien reçu (les notifications restent ici en attendant)")  # fmt: skip
    st.markdown(escape_markdown(f"{me['email']} — {state}"))
if not config.configured:
    st.caption("Aucun serveur de messagerie n'est configuré : les notifications sont gardées "
               "ici, sans courriel (voir le README, « Notifications »).")  # fmt: skip
name = forms.fresh("notify-email")
with st.form(name):
    address = st.text_input("Adresse électronique", value=me["email"] or "", key=f"{name}-email")
    if st.form_submit_button("Enregistrer et recevoir le lien de vérification", type="primary"):
        said = {}
        forms.attempt(PAGE, "notify-email", lambda: said["text"],
                      lambda: said.setdefault("text", notifications.send_verification(
                          db, actor, config, email=address)[1]))  # fmt: skip

st.header("Mes abonnements", anchor=False)
live = [r for r in rows if r["subscription_id"] is not None]
if live:
    data_table(pd.DataFrame([{
        "Notification": notifications.KINDS[r["kind"]],
        "Programme": r["programme_code"] or "tous",
        "Jours avant l'échéance": r["reminder_days"] or "—",
    } for r in live]), hide_index=True, width="stretch")  # fmt: skip
else:
    empty_state("Aucun abonnement : la vérification de votre adresse crée ceux de votre rôle.")
programmes = {p["programme_id"]: p["code"] for p in data.records("programme_records")
              if p["archived_on"] is None}  # fmt: skip
name = forms.fresh("notify-sub")
with st.form(name):
    kind = forms.choose("Notification", notifications.KINDS, key=f"{name}-kind", index=None)
    programme = forms.choose(
        "Programme", programmes, key=f"{name}-prog", none="tous les programmes"
    )
    days = st.text_input("Rappels : jours avant l'échéance (0 = le jour même)",
                         value="90, 30, 7, 0", key=f"{name}-days")  # fmt: skip
    left, right = st.columns(2)
    if left.form_submit_button("S'abonner", type="primary"):
        forms.attempt(PAGE, "notify-sub", "Abonnement enregistré.",
                      lambda: notifications.subscribe(db, actor, kind=kind, programme_id=programme,
                                                      reminder_days=days if kind == "reminder" else None))  # fmt: skip
    if right.form_submit_button("Se désabonner"):
        forms.attempt(PAGE, "notify-sub", "Abonnement arrêté.",
                      lambda: notifications.unsubscribe(db, actor, kind=kind, programme_id=programme))  # fmt: skip

st.header("Mes notifications", anchor=False)
mine = notifications.mine(db, actor)
if mine:
    base = config.base_url
    data_table(pd.DataFrame([{
        "Lue": "oui" if n["read_at"] else "non",
        "Le": fmt.datetime_fr(n["created_at"]),
        "Notification": n["subject"],
        "État": STATUS[n["status"]],
        "Lien": f"{base}{n['link']}" if n["link"] else None,
    } for n in mine]), hide_index=True, width="stretch",
        column_config={"Lien": st.column_config.LinkColumn("Lien", display_text="ouvrir")})  # fmt: skip
    unread = [n["id"] for n in mine if n["read_at"] is None]
    if unread and st.button(f"Marquer les {len(unread)} non lues comme lues"):
        forms.attempt(PAGE, "notify-read", "Notifications marquées comme lues.",
                      lambda: notifications.mark_read(db, actor, notification_ids=unread))  # fmt: skip
        st.rerun()
else:
    empty_state("Aucune notification pour l'instant : « cdv notify » les calcule chaque jour.")

if actor.can("administrateur"):
    st.header("Journal des envois (administration)", anchor=False)
    log = db.records("notification_log", limit=200)
    if log:
        data_table(pd.DataFrame([{
            "Compte": r["login"] or "—", "Notification": r["subject"],
            "Calculée le": fmt.datetime_fr(r["created_at"]), "État": STATUS[r["status"]],
            "Essais": r["attempts"], "Envoyée le": fmt.datetime_fr(r["sent_at"]) if r["sent_at"] else "—",
            "Réponse du serveur": r["last_error"] or "—",
        } for r in log]), hide_index=True, width="stretch")  # fmt: skip
    else:
        empty_state("Aucune notification calculée.")
    name = forms.fresh("notify-test")
    with st.form(name):
        to = st.text_input("Envoyer un message d'essai à", key=f"{name}-to")
        if st.form_submit_button("Envoyer le message d'essai"):
            answer = {}
            forms.attempt(PAGE, "notify-test", lambda: f"Message d'essai envoyé : {answer['a']}.",
                          lambda: answer.setdefault("a", notifications.test_mail(db, config, to)))  # fmt: skip
