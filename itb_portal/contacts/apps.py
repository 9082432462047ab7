from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ContactsConfig(AppConfig):
    name = "itb_portal.contacts"

    def ready(self):
        from itb_portal.pagecache.models import ContentVersion

        from .models import DataReview

        # Every page shows what an editor records here, so a change moves the content version on.
        post_save.connect(ContentVersion.on_content_change, sender=DataReview, dispatch_uid="contacts-review-save")
        post_delete.connect(ContentVersion.on_content_change, sender=DataReview, dispatch_uid="contacts-review-delete")
