from django.apps import AppConfig


class CompanionConfig(AppConfig):
    name = "itb_portal.companion"
    verbose_name = "Pump companion (offline use and the patient's own card)"
