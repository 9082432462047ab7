"""sitemap.xml: every page of information, with the date each booklet section last changed."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from itb_portal.booklet.models import Section
from itb_portal.page_registry import PAGES


class _OnThePublicSite(Sitemap):
    """Addresses on ITB_SITE_URL when it is set, else on the host the request came to."""

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme if settings.SITE_URL else super().get_protocol(protocol)

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc if settings.SITE_URL else super().get_domain(site)


class PageSitemap(_OnThePublicSite):
    def items(self) -> list[str]:
        # Every page search engines may list at a fixed address; the sections have a sitemap of their own.
        return [name for name, page in PAGES.items() if page.indexed and name != "booklet:section"]

    def location(self, item: str) -> str:
        return reverse(item)


class SectionSitemap(_OnThePublicSite):
    def items(self):
        return Section.objects.published()

    def lastmod(self, section: Section):
        return section.updated_at


SITEMAPS = {"pages": PageSitemap, "sections": SectionSitemap}
