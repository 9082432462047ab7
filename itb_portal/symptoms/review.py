"""The review dates of the checker, its results and the emergency sheet: those of their own data.

The rules in content/symptoms/rules.yaml carry their own dates (not the booklet's), and the
emergency sheet also prints every number from content/contacts.yaml, so it is as current as the
older of the two.
"""

from itb_portal.contacts.reviews import PageReview, combined, contacts_review, data_review
from itb_portal.datafiles import RULES

from .rules import load_rules


def rules_review() -> PageReview:
    return data_review(RULES.name, load_rules().review)


def sheet_review() -> PageReview:
    return combined(rules_review(), contacts_review())
