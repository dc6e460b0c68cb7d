"""« Choisissez votre mot de passe »: shown in place of every page to a person signed
in with a provisional password (one an administrator set for them), until they choose
their own. The change ends every session of the account; this browser is then signed
in again with the new password, on the page it asked for."""

import streamlit as st

from dashboard.tracker import auth, users
from dashboard.tracker.access import Actor
from dashboard.tracker.errors import TrackerError
from dashboard.ui import data, session
from dashboard.ui.widgets import show_error


def render_required(actor: Actor) -> None:
    st.title("Choisissez votre mot de passe")
    st.info(
        "Le mot de passe avec lequel vous venez de vous connecter a été fixé par un "
        "administrateur : il est provisoire. Choisissez le vôtre pour continuer ; "
        "personne d'autre ne le connaîtra.",
        icon=":material/key:",
    )
    with st.form("own-password", enter_to_submit=False):
        current = st.text_input("Mot de passe provisoire", type="password",
                                autocomplete="current-password")  # fmt: skip
        new = st.text_input("Nouveau mot de passe (12 caractères au moins)", type="password",
                            autocomplete="new-password")  # fmt: skip
        again = st.text_input("Confirmez le nouveau mot de passe", type="password",
                              autocomplete="new-password")  # fmt: skip
        chosen = st.form_submit_button("Enregistrer mon mot de passe", type="primary")
    if not chosen:
        return
    if new != again:
        st.error("Les deux nouveaux mots de passe diffèrent : rien n'a été changé.")
        return
    db = data.database()
    try:
        users.change_own_password(db, actor, current=current, new=new)
        fresh = auth.login(db, actor.login, new, client=session.client_address(),
                           browser=session.browser_cookie())  # fmt: skip
    except TrackerError as error:
        show_error(error)
        return
    if session.log_in(fresh, session.current_path()):
        st.info("Mot de passe enregistré : reconnexion en cours…", icon=":material/login:")
        st.stop()
    st.rerun()
