from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EditorialConfig(AppConfig):
    name = "itb_portal.editorial"
    verbose_name = "Editing and clinical sign-off"

    def ready(self):
        from .roles import ensure_groups

        # After permissions are made (auth's own post_migrate handler runs first, being installed first).
        post_migrate.connect(ensure_groups, sender=self, dispatch_uid="editorial-groups")
