from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from itb_portal.booklet.loader import load_sections


class Command(BaseCommand):
    help = (
        "Load content/sections/*.md into the database, all or nothing, in one transaction. "
        "Safe to run again: admin edits are kept unless --force."
    )

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true", help="Overwrite sections edited in the admin.")
        parser.add_argument("--directory", default=None, help="Folder of section files (default content/sections).")

    def handle(self, *args, force=False, directory=None, **options):
        folder = settings.CONTENT_DIR / "sections" if directory is None else directory
        # One transaction: a failure part-way leaves the published booklet exactly as it was.
        with transaction.atomic():
            report = load_sections(Path(folder), force=force)
        for error in report.errors:
            self.stderr.write(error)
        if report.errors:
            raise CommandError(f"{len(report.errors)} problem(s) in the section files; nothing was loaded.")
        if options["verbosity"] < 1:
            return
        for label, slugs in (
            ("created", report.created),
            ("updated", report.updated),
            ("unchanged", report.unchanged),
            ("kept admin edits (use --force to overwrite)", report.kept_admin_edits),
        ):
            if slugs:
                self.stdout.write(f"{label}: {', '.join(slugs)}")
