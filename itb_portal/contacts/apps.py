from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "itb_portal.contacts"
