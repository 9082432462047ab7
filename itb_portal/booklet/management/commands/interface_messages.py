"""Extract the interface's messages into locale/django.pot (`make messages`), for a translator.

Pure Python: Jinja's own parser reads the templates (Django's makemessages would read Jinja's
`{% trans %}` blocks as Django template tags and miss or mangle them). Where GNU gettext is installed,
each reviewed locale/<locale>/LC_MESSAGES/django.po is brought up to date with msgmerge; nothing is
translated here (docs/languages.md). `--compile` compiles each reviewed django.po to its django.mo, in pure
Python too.
"""

import shutil
import subprocess

from django.conf import settings
from django.core.management.base import BaseCommand
from django.template import engines

from itb_portal.interface_messages import all_messages, compile_po, po_text


class Command(BaseCommand):
    help = "Extract interface messages from templates/ and itb_portal/ into locale/django.pot"

    def add_arguments(self, parser):
        parser.add_argument("--compile", action="store_true", help="compile each reviewed django.po to django.mo")

    def handle(self, *args, **options):
        folder = settings.BASE_DIR / "locale"
        if options["compile"]:
            for catalog in sorted(folder.glob("*/LC_MESSAGES/django.po")):
                self.stdout.write(f"compiled: {compile_po(catalog).relative_to(settings.BASE_DIR)}")
            return
        folder.mkdir(exist_ok=True)
        messages = all_messages(engines["jinja2"].env, settings.BASE_DIR)
        template = folder / "django.pot"
        template.write_text(po_text(messages), encoding="utf-8")
        self.stdout.write(f"{len(messages)} messages in {template.relative_to(settings.BASE_DIR)}")
        for catalog in sorted(folder.glob("*/LC_MESSAGES/django.po")):
            if shutil.which("msgmerge"):
                subprocess.run(["msgmerge", "--quiet", "--update", "--backup=none", catalog, template], check=True)  # noqa: S603, S607
                self.stdout.write(f"brought up to date: {catalog.relative_to(settings.BASE_DIR)}")
            else:
                self.stdout.write(f"GNU gettext is not installed: merge {catalog.name} by hand or in Poedit")
