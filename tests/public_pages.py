"""Every public page of the site, for the whole-site checks (one h1, unique titles, axe).

When you add a public page, add it here so every site-wide check covers it.
"""

from urllib.parse import urlencode

from django.urls import reverse


def public_paths() -> list[str]:
    from itb_portal.booklet.models import Section

    paths = [
        reverse("booklet:home"),
        reverse("booklet:accessibility"),
        reverse("symptoms:checker"),
        reverse("contacts:index"),
        reverse("printing:index"),
        # Printing: the whole booklet, and a choice of sections (these two are in every test booklet).
        reverse("printing:booklet"),
        reverse("printing:booklet") + "?section=spasticity&section=the-trial",
        # The symptom checker: one result for each level, and the emergency sheet.
        reverse("symptoms:result") + "?sign=seizures",
        reverse("symptoms:result") + "?sign=drowsiness",
        reverse("symptoms:result") + "?sign=itching",
        reverse("symptoms:result"),
        reverse("symptoms:emergency_sheet"),
        # Search: the page itself (what an offline search fills in), a query naming a red-flag sign
        # (care card with 999), one naming another sign, and one that finds nothing.
        reverse("search:results"),
        reverse("search:results") + "?q=fits",
        reverse("search:results") + "?q=itchy+skin",
        reverse("search:results") + "?q=zzzz",
        # The pump companion: the patient's own card, its printouts, and the pages shown with no signal.
        reverse("companion:my_pump"),
        reverse("companion:wallet_card"),
        reverse("companion:handover_sheet"),
        reverse("companion:offline"),
        reverse("companion:offline_check"),
        # Easy Read: every page, a checker screen, and the result at each level.
        reverse("easyread:index"),
        reverse("easyread:if_something_is_wrong"),
        reverse("easyread:refills"),
        reverse("easyread:living_with_your_pump"),
        reverse("easyread:the_operation"),
        reverse("easyread:contacts"),
        reverse("easyread:checker"),
        reverse("easyread:checker") + "?step=2&sign=itching",
        reverse("easyread:result") + "?sign=seizures",
        reverse("easyread:result") + "?sign=drowsiness",
        reverse("easyread:result") + "?sign=itching",
        reverse("easyread:result"),
        # The share page (QR code and links) for a page.
        reverse("sharing:share") + "?" + urlencode({"page": reverse("contacts:index")}),
    ]
    paths += [section.get_absolute_url() for section in Section.objects.published()]
    return paths
