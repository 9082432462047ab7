from django.apps import AppConfig


class ContactsConfig(AppConfig):
    # Its data file, its record and which text of it is in use belong to the data-file service (datafiles).
    name = "itb_portal.contacts"
