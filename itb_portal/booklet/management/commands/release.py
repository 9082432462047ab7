from io import StringIO

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from itb_portal.booklet.loader import LoadReport, read_sections


class Command(BaseCommand):
    help = (
        "The release step of a deploy: check the code and data (the symptom rules and contacts are checked "
        "against each other) and content/, migrate the database, then load content/ (keeping admin edits) "
        "in one transaction."
    )

    def handle(self, *args, **options):
        # call_command skips system checks unless asked; a release must never pass broken data.
        # Its problems are raised whatever the verbosity; only the "no issues" line is kept quiet at -v0.
        call_command("check", fail_level="ERROR", stdout=self.stdout if options["verbosity"] else StringIO())
        # Content problems stop the release before the database is touched.
        problems = LoadReport()
        read_sections(settings.CONTENT_DIR / "sections", problems)
        for error in problems.errors:
            self.stderr.write(error)
        if problems.errors:
            raise CommandError(f"{len(problems.errors)} problem(s) in the section files; nothing was changed.")
        # Each migration is a transaction of its own (SQLite cannot change its schema inside an
        # outer one); the content is then loaded in one, so a failure leaves the site as it was.
        call_command("migrate", interactive=False, verbosity=options["verbosity"])
        with transaction.atomic():
            call_command("load_content", verbosity=options["verbosity"], stdout=self.stdout, stderr=self.stderr)
