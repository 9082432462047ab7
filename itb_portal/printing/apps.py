from django.apps import AppConfig


class PrintingConfig(AppConfig):
    name = "itb_portal.printing"
