from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = (
        "The release step of a deploy: check the code and data (the symptom rules and contacts are checked "
        "against each other), migrate the database, then load content/ (keeping admin edits)."
    )

    def handle(self, *args, **options):
        # call_command skips system checks unless asked; a release must never pass broken data.
        call_command("check", fail_level="ERROR")
        call_command("migrate", interactive=False, verbosity=options["verbosity"])
        call_command("load_content")
