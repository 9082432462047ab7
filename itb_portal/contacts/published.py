"""Which text of a data file is in use: the one a clinical approver approved in the admin, or the file.

An approved edit of content/contacts.yaml or content/symptoms/rules.yaml is kept in its DataReview row
(`document`) until it reaches git (`export_content`, then a release with the same text clears it). Pages
read it once per content version, in each process, and leave a copy in the shared page cache: a worker
that starts during a database outage uses that copy, never the older file. Without a database and
without that copy (a pure test, or an outage before any process read it) the file is used.
"""

from __future__ import annotations

from django.core.cache import caches
from django.db import DatabaseError

from itb_portal.pagecache import memo


def approved_text(data: str) -> str:
    """The approved text of `data` ("contacts" or "rules") when it replaces the file; "" when the file is in use."""
    try:
        return memo.for_content_version(f"approved-data:{data}", lambda: _read(data))
    except RuntimeError:  # this context may not use the database at all (a pure function's test)
        return ""


def _read(data: str) -> str:
    from .models import DataReview

    kept = f"approved-data:{data}"
    try:
        text = DataReview.objects.filter(data=data).values_list("document", flat=True).first() or ""
    except DatabaseError:
        return caches["pages"].get(kept, "")
    caches["pages"].set(kept, text, None)
    return text
