from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "The release step of a deploy: migrate the database, then load content/ (keeping admin edits)."

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=options["verbosity"])
        call_command("load_content")
