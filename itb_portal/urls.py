from django.conf import settings
from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.admin.views.decorators import staff_member_required
from django.urls import include, path
from markdownx.views import MarkdownifyView

from . import views

admin.site.site_header = "ITB portal editors"
admin.site.site_title = "ITB portal editors"

urlpatterns = [
    # The Markdown preview is for editors only, and image upload is not offered.
    path(
        f"{settings.ADMIN_URL}markdownx/markdownify/",
        staff_member_required(MarkdownifyView.as_view()),
        name="markdownx_markdownify",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    path("health/", views.health, name="health"),
]

# Public pages in each of the site's languages (settings.LANGUAGES, from content/languages.yaml): the default
# language at today's addresses, the others under their code (/ur/contacts/). LocaleMiddleware activates it.
urlpatterns += i18n_patterns(
    path("symptoms/", include("itb_portal.symptoms.urls")),
    path("contacts/", include("itb_portal.contacts.urls")),
    path("print/", include("itb_portal.printing.urls")),
    path("easy-read/", include("itb_portal.easyread.urls")),
    path("search/", include("itb_portal.search.urls")),
    path("feedback/", include("itb_portal.feedback.urls")),
    path("", include("itb_portal.companion.urls")),
    path("", include("itb_portal.sharing.urls")),
    path("", include("itb_portal.booklet.urls")),
    prefix_default_language=False,
)

handler400 = "itb_portal.views.bad_request"
handler404 = "itb_portal.views.page_not_found"
handler500 = "itb_portal.views.server_error"
