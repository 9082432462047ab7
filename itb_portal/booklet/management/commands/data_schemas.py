import json
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from itb_portal.datafiles import json_schemas

FOLDER = Path(settings.BASE_DIR) / "docs" / "schemas"


class Command(BaseCommand):
    help = (
        "Write the JSON Schema of contacts.yaml, rules.yaml and a section's front matter to docs/schemas/, "
        "for editors' tools; --check says whether the written ones are current."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Change nothing; fail if one is out of date.")

    def handle(self, *args, check=False, **options):
        stale = []
        for name, schema in json_schemas().items():
            path = FOLDER / name
            text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
            if path.exists() and path.read_text(encoding="utf-8") == text:
                continue
            stale.append(path)
            if not check:
                FOLDER.mkdir(parents=True, exist_ok=True)
                path.write_text(text, encoding="utf-8")
                self.stdout.write(f"wrote {path}")
        if check and stale:
            raise CommandError(f"out of date: {', '.join(map(str, stale))} (run manage.py data_schemas)")
