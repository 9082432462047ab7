from django.apps import AppConfig


class BookletConfig(AppConfig):
    name = "itb_portal.booklet"
    verbose_name = "Booklet"

    def ready(self):
        from itb_portal import pagecache

        from .models import LanguageLineSignOff, Section
        from .translations import languages_path

        # Pages show sections: saving or deleting one moves the content version on. A translation's
        # language lines show once signed off, and their text is in content/languages.yaml.
        pagecache.watch(models=[Section, LanguageLineSignOff], data_files=[languages_path])
