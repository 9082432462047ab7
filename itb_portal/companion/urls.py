from django.urls import path

from . import views

app_name = "companion"
urlpatterns = [
    # The worker must be served from the site root so that its scope can be the whole site.
    path("sw.js", views.service_worker, name="service_worker"),
    path("manifest.webmanifest", views.web_app_manifest, name="manifest"),
    path("my-pump/", views.pump_page, {"template": "my_pump"}, name="my_pump"),
    path("my-pump/card/", views.pump_page, {"template": "wallet_card"}, name="wallet_card"),
    path("my-pump/handover/", views.pump_page, {"template": "handover_sheet"}, name="handover_sheet"),
    # Shown by the service worker with no signal (static/js/sw-worker.mjs).
    path("offline/", views.pump_page, {"template": "offline"}, name="offline"),
    path("offline/symptom-check/", views.pump_page, {"template": "offline_check"}, name="offline_check"),
]
