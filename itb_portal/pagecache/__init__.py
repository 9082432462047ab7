"""Rendered public pages, cached by content version; see pages.py."""

from django.conf import settings


def enabled() -> bool:
    """Off in development (DEBUG), where templates change while the server runs."""
    return not settings.DEBUG
