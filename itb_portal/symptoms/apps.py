from django.apps import AppConfig


class SymptomsConfig(AppConfig):
    name = "itb_portal.symptoms"
