from django.apps import AppConfig
from django.db.models.signals import post_migrate


class PageCacheConfig(AppConfig):
    name = "itb_portal.pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from .models import ContentVersion

        post_migrate.connect(ContentVersion.on_migrate, sender=self, dispatch_uid="pagecache-release")
