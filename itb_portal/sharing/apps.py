from django.apps import AppConfig


class SharingConfig(AppConfig):
    name = "itb_portal.sharing"
