from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save


class PageCacheConfig(AppConfig):
    name = "itb_portal.pagecache"
    verbose_name = "Page cache"

    def ready(self):
        from itb_portal.booklet.models import Section

        from .models import ContentVersion

        # Every model whose rows a public page shows. Saving or deleting one of them (in the
        # admin, by load_content, or by a reversion restore) moves the content version on.
        # QuerySet.update() and bulk_create() send no signals: change content through save().
        for model in (Section,):
            post_save.connect(ContentVersion.on_content_change, sender=model, dispatch_uid=f"pagecache-save-{model}")
            post_delete.connect(
                ContentVersion.on_content_change, sender=model, dispatch_uid=f"pagecache-delete-{model}"
            )
        # `migrate` is part of every release: it makes sure the row exists and, when the code,
        # templates or data files changed, moves the version (and so Last-Modified) on.
        post_migrate.connect(ContentVersion.on_migrate, sender=self, dispatch_uid="pagecache-release")
