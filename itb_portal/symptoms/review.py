"""The review dates of the checker, its results and the emergency sheet: those of their own data.

The rules in content/symptoms/rules.yaml carry their own dates (not the booklet's), and the
emergency sheet also prints every number from content/contacts.yaml, so it is as current as the
older of the two.
"""

from itb_portal.contacts.models import DataReview
from itb_portal.contacts.reviews import Review, combined, contacts_review, data_review

from .rules import load_rules


def rules_review() -> Review:
    return data_review(DataReview.RULES, load_rules().review)


def sheet_review() -> Review:
    return combined(rules_review(), contacts_review())
