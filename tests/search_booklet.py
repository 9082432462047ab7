"""The search index of the real booklet (content/sections), built once for a test module."""

import json

from django.conf import settings
from django.db import transaction


def real_booklet_index(django_db_blocker):
    """The index and each section's HTML. The sections are loaded into the test database only while
    the index is built, then rolled back, so no other test sees them."""
    from itb_portal.booklet.loader import load_sections
    from itb_portal.booklet.models import Section
    from itb_portal.search.index import SearchIndex, build_payload

    with django_db_blocker.unblock(), transaction.atomic():
        assert not load_sections(settings.CONTENT_DIR / "sections").errors
        payload = build_payload()
        html = {section.slug: section.body_html for section in Section.objects.all()}
        transaction.set_rollback(True)
    return SearchIndex.from_json(json.dumps(payload)), payload, html
