from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from itb_portal.audit.models import release_label
from itb_portal.booklet.blocks import problems as block_problems
from itb_portal.booklet.loader import load_sections
from itb_portal.booklet.models import Section
from itb_portal.datafiles.records import all_files, approved_now_in_git, record_release, settle_approved


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
            # The release's git commit is recorded in the audit log. It is not a clinical check: pages
            # say "reviewed" only after a clinical approver signs them off in the admin.
            released_by = release_label()
            report = load_sections(Path(folder), force=force, released_by=released_by)
            for error in report.errors:
                self.stderr.write(error)
            if report.errors:
                raise CommandError(f"{len(report.errors)} problem(s) in the section files; nothing was loaded.")
            data_files = all_files()
            approved = approved_now_in_git(data_files)  # these keep their sign-off: git now holds that text
            cleared, kept = settle_approved(data_files, force=force)
            # A section edited in the admin can name a block the new data no longer has.
            stale = [
                f"section {section.slug!r}: " + "; ".join(problems)
                for section in Section.objects.order_by("order")
                if (problems := block_problems(section.body))
            ]
            for error in stale:
                self.stderr.write(error)
            if stale:
                raise CommandError(
                    f"{len(stale)} section(s) name data blocks the data cannot fill; nothing was loaded."
                )
            # A file whose approved admin text is kept is not in use: this release changes nothing of it.
            changed = record_release(
                {data: path for data, path in data_files.items() if data not in kept},
                released_by=released_by,
                approved=approved,
            )
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
        if changed:
            self.stdout.write(f"data changed since the last release: {', '.join(changed)}")
        if cleared:
            self.stdout.write(f"data approved in the admin, now from content/: {', '.join(cleared)}")
        if kept:
            self.stdout.write(
                f"kept data approved in the admin (export_content writes it to content/; --force uses the files): "
                f"{', '.join(kept)}"
            )
