"""The data files and the records beside them, checked against one schema (issue 21, item 8).

Each problem names the file, the field and what is wrong, in plain words; nothing half-loads.
"""

import pytest
from django.urls import reverse
from django.utils import timezone

from itb_portal.contacts.models import DataReview

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("field", ["numbers_checked_on", "review_started_on"])
def test_an_approver_cannot_record_a_check_on_a_day_still_to_come(admin_client, field):
    row = DataReview.objects.create(data=DataReview.CONTACTS)
    url = reverse("admin:contacts_datareview_change", args=[row.pk])
    response = admin_client.post(url, {field: "2099-01-01"})
    assert response.status_code == 200
    assert "1 January 2099, which is in the future" in response.content.decode()
    row.refresh_from_db()
    assert getattr(row, field) is None


def test_a_check_recorded_today_is_kept(admin_client):
    row = DataReview.objects.create(data=DataReview.CONTACTS)
    url = reverse("admin:contacts_datareview_change", args=[row.pk])
    response = admin_client.post(url, {"numbers_checked_on": timezone.localdate().isoformat()})
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.numbers_checked_on == timezone.localdate()
