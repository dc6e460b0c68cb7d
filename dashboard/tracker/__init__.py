"""The domain and its storage. Never imports streamlit."""
