from django.apps import AppConfig


class SymptomsConfig(AppConfig):
    name = "itb_portal.symptoms"

    def ready(self):
        # The rules file is watched by the data-file service (datafiles/apps.py), as the contacts file is.
        from . import checks  # noqa: F401 - registers the data checks
