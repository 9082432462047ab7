from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.http import require_safe

from . import views
from .sitemaps import SITEMAPS

app_name = "sharing"
urlpatterns = [
    path("qr/", views.qr, name="qr"),
    path("share/", views.share, name="share"),
    path("link-preview.png", views.link_preview, name="link_preview"),
    path("robots.txt", views.robots_txt, name="robots"),
    path("sitemap.xml", require_safe(sitemap), {"sitemaps": SITEMAPS}, name="sitemap"),
]
