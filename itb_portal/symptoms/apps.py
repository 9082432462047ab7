from django.apps import AppConfig


class SymptomsConfig(AppConfig):
    name = "itb_portal.symptoms"

    def ready(self):
        from . import checks  # noqa: F401 - registers the data checks
