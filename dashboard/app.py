"""Streamlit entry point: page config and navigation. Nothing else."""

import streamlit as st

from dashboard.ui.layout import APP_NAME, APP_TAGLINE

st.set_page_config(page_title=APP_NAME, page_icon=":material/account_balance:", layout="wide")

pages = st.navigation(
    [
        st.Page(
            "app_pages/overview.py",
            title="Vue d'ensemble",
            icon=":material/dashboard:",
            url_path="vue-d-ensemble",
            default=True,
        ),
    ]
)
with st.sidebar:
    st.markdown(f"**{APP_NAME}**  \n{APP_TAGLINE}")
pages.run()
