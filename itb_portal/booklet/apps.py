from django.apps import AppConfig


class BookletConfig(AppConfig):
    name = "itb_portal.booklet"
    verbose_name = "Booklet"

    def ready(self):
        from itb_portal import pagecache

        from .models import Section

        # Pages show sections: saving or deleting one moves the content version on.
        pagecache.watch(models=[Section])
