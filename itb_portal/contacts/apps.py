from django.apps import AppConfig


class ContactsConfig(AppConfig):
    name = "itb_portal.contacts"

    def ready(self):
        from itb_portal import datafiles, pagecache

        from .directory import contacts_path
        from .models import DataReview
        from .published import approved_text

        # Which text of each data file is in use: the records of what an approver approved are kept here.
        datafiles.read_approved_text_with(approved_text)

        # Pages show phone numbers and hours: a new contacts.yaml is a new release of every page.
        # Every page also shows what an editor records as a data review, so a change to one moves
        # the content version on.
        pagecache.watch(models=[DataReview], data_files=[contacts_path])
