from django.apps import AppConfig


class EasyReadConfig(AppConfig):
    name = "itb_portal.easyread"
    label = "easyread"
