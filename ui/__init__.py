"""Streamlit code shared by pages: cached wrappers, session keys, widget groups and panels."""
