"""Services: the console's logic, shared by the Streamlit pages and usable without Streamlit.

Every module here is pure except :mod:`caves.services.cache`, the thin caching adapter the pages use.
"""
