from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "itb_portal.contacts"

    def ready(self):
        from itb_portal import pagecache

        from .directory import contacts_path

        # Pages show phone numbers and hours: a new contacts.yaml is a new release of every page.
        pagecache.watch(data_files=[contacts_path])
