from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from itb_portal.audit.models import export_csv
from itb_portal.booklet.loader import export_sections
from itb_portal.datafiles.records import export_approved
from itb_portal.editorial.workflow import approved_sections, unapproved_sections


class Command(BaseCommand):
    help = (
        "Write what clinical approvers approved back to content/ so it can be reviewed in git: sections, and "
        "the contacts and rules approved in the admin. A section never approved (new in the admin) is left out."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", default=None, help="Folder to write to (default content/sections).")
        parser.add_argument(
            "--audit-log",
            default=None,
            help="Where to write the audit log as CSV (default audit-log.csv beside the sections folder).",
        )

    def handle(self, *args, directory=None, audit_log=None, **options):

        folder = Path(directory) if directory else settings.CONTENT_DIR / "sections"
        for section in unapproved_sections():
            self.stdout.write(f"left out {section.slug}: never approved (a new section waiting for approval)")
        written = export_sections(folder, approved_sections())
        if directory is None:  # the data files approved in the admin go back to content/ too
            written += export_approved()
        for path in written:
            self.stdout.write(f"wrote {path}")
        self.stdout.write(f"{len(written)} file(s) changed.")
        # Who drafted, approved, published, restored and reviewed what: a copy of the database's record to read
        # beside the content, never committed (.gitignore; it names staff, and changes with every export).
        log = Path(audit_log) if audit_log else folder.parent / "audit-log.csv"
        self.stdout.write(f"wrote {export_csv(log)} audit log entries to {log}")
