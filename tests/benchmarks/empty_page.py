"""An empty Streamlit page: the baseline of the page benchmark."""

import streamlit as st

st.title("Page vide")
