from django.apps import AppConfig


class SymptomsConfig(AppConfig):
    name = "itb_portal.symptoms"

    def ready(self):
        from itb_portal import pagecache

        from . import checks  # noqa: F401 - registers the data checks
        from .rules import rules_path

        # Pages show signs and advice: a new rules.yaml is a new release of every page.
        pagecache.watch(data_files=[rules_path])
