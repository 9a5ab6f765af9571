"""Services: the console's logic, shared by the Streamlit pages and usable without Streamlit.

No module here imports Streamlit (ruff's TID251 checks it); the pages reach them through
:mod:`components.cache`, the thin caching adapter.
"""
