"""Reusable Streamlit pieces of the console: layout only, fed by caves.services."""
