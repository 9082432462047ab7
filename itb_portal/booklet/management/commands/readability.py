from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from itb_portal.booklet.loader import LoadReport, read_sections
from itb_portal.booklet.readability import MAX_GRADE, MAX_SENTENCE_WORDS, measure


class Command(BaseCommand):
    help = (
        f"Flesch-Kincaid grade of every section in content/ (target {MAX_GRADE} or below, "
        f"sentences of {MAX_SENTENCE_WORDS} words or fewer)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--directory", default=None)
        parser.add_argument("--check", action="store_true", help="Exit non-zero if any section misses the target.")

    def handle(self, *args, directory=None, check=False, **options):
        folder = Path(directory) if directory else settings.CONTENT_DIR / "sections"
        failing = []
        self.stdout.write(f"{'section':40} {'grade':>6} {'words':>6} {'long':>5}")
        for item in read_sections(folder, LoadReport()):
            result = measure(item.fields["body"])
            self.stdout.write(f"{item.slug:40} {result.grade:6.1f} {result.words:6d} {len(result.long_sentences):5d}")
            for sentence in result.long_sentences:
                self.stdout.write(f"    long sentence: {sentence}")
            if not result.ok:
                failing.append(item.slug)
        if check and failing:
            raise CommandError(f"above grade {MAX_GRADE} or with long sentences: {', '.join(failing)}")
