from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "itb_portal.search"

    def ready(self):
        from . import checks  # noqa: F401 - registers the synonyms check
