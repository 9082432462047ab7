from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand

from itb_portal.booklet.loader import export_sections


class Command(BaseCommand):
    help = "Write the sections in the database back to content/sections/ so edits can be reviewed in git."

    def add_arguments(self, parser):
        parser.add_argument("--directory", default=None, help="Folder to write to (default content/sections).")

    def handle(self, *args, directory=None, **options):

        folder = Path(directory) if directory else settings.CONTENT_DIR / "sections"
        written = export_sections(folder)
        for path in written:
            self.stdout.write(f"wrote {path}")
        self.stdout.write(f"{len(written)} file(s) changed.")
