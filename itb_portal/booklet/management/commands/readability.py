from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.test import Client

from itb_portal.booklet.readability import MAX_GRADE, MAX_SENTENCE_WORDS, measure_page, page_paths


def _host() -> str:
    allowed = [host.lstrip(".") for host in settings.ALLOWED_HOSTS if host not in ("*", "")]
    return "localhost" if "localhost" in allowed or not allowed else allowed[0]


class Command(BaseCommand):
    help = (
        f"Flesch-Kincaid grade of every public page as rendered, all the visible text in its <main>, lists "
        f"read into the sentence that introduces them (target {MAX_GRADE} or below, and sentences written "
        f"of {MAX_SENTENCE_WORDS} words or fewer). Needs the content loaded (`make content`)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--check", action="store_true", help="Exit non-zero if any page misses the target.")
        parser.add_argument("paths", nargs="*", help="Only these paths (default: every kind of public page).")

    def handle(self, *args, check=False, paths=(), **options):
        client = Client(HTTP_HOST=_host())
        failing = []
        self.stdout.write(f"{'page':60} {'grade':>6} {'words':>6} {'long':>5}")
        for path in paths or page_paths():
            response = client.get(path, secure=True)
            if response.status_code != 200:
                raise CommandError(f"{path} answered {response.status_code}")
            result = measure_page(response.content.decode())
            self.stdout.write(f"{path[:60]:60} {result.grade:6.1f} {result.words:6d} {len(result.long_sentences):5d}")
            for sentence in result.long_sentences:
                self.stdout.write(f"    long sentence: {sentence}")
            if not result.ok:
                failing.append(path)
        if check and failing:
            raise CommandError(f"above grade {MAX_GRADE} or with long sentences: {', '.join(failing)}")
