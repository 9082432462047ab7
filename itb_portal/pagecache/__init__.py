"""Rendered public pages, cached by content version; see pages.py."""
