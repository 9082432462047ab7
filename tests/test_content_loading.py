"""Loading content/ into the database: idempotent, never overwriting an editor's work."""

from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from itb_portal.booklet.loader import export_sections, load_sections, parse_section
from itb_portal.booklet.models import Section, SlugRedirect

pytestmark = pytest.mark.django_db


def test_loading_creates_one_section_per_file(content_dir):
    report = load_sections(content_dir)
    assert sorted(report.created) == ["spasticity", "the-pump", "the-trial"]
    section = Section.objects.get(slug="the-trial")
    assert section.title == "The trial"
    assert section.order == 2
    assert section.last_reviewed == date(2026, 10, 1)
    assert "25 micrograms" in section.body_html
    assert '<h2 id="the-test-dose">' in section.body_html


def test_loading_twice_changes_nothing(content_dir):
    load_sections(content_dir)
    stamps = dict(Section.objects.values_list("slug", "updated_at"))
    report = load_sections(content_dir)
    assert report.created == [] and report.updated == []
    assert sorted(report.unchanged) == ["spasticity", "the-pump", "the-trial"]
    assert dict(Section.objects.values_list("slug", "updated_at")) == stamps


def test_changed_file_updates_its_section(content_dir):
    load_sections(content_dir)
    path = content_dir / "02-trial.md"
    path.write_text(path.read_text().replace("25 micrograms", "25 micrograms as a single dose"))
    report = load_sections(content_dir)
    assert report.updated == ["the-trial"]
    assert "single dose" in Section.objects.get(slug="the-trial").body


def test_reload_never_overwrites_an_admin_edit_unless_forced(content_dir):
    load_sections(content_dir)
    section = Section.objects.get(slug="the-trial")
    section.body = "Edited by a nurse specialist."
    section.edited_in_admin = True
    section.save()

    report = load_sections(content_dir)
    assert report.kept_admin_edits == ["the-trial"]
    assert Section.objects.get(slug="the-trial").body == "Edited by a nurse specialist."

    report = load_sections(content_dir, force=True)
    assert report.updated == ["the-trial"]
    forced = Section.objects.get(slug="the-trial")
    assert "25 micrograms" in forced.body and not forced.edited_in_admin


def test_reload_keeps_a_section_renamed_in_the_admin(content_dir):
    load_sections(content_dir)
    section = Section.objects.get(slug="the-trial")
    section.slug = "your-trial"
    section.edited_in_admin = True
    section.save()
    report = load_sections(content_dir)
    assert report.kept_admin_edits == ["your-trial"]
    assert not Section.objects.filter(slug="the-trial").exists()


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("no front matter at all\n", "does not start with front matter"),
        ("---\ntitle: [unclosed\n---\nbody\n", "not valid YAML"),
        ("---\ntitle: x\nslug: x\n", "never closed"),
        (
            "---\nslug: a\nsummary: s\norder: 1\nlast_reviewed: 2026-01-01\nnext_review_due: 2027-01-01\n---\nbody\n",
            "has no title",
        ),
        (
            "---\ntitle: T\nslug: Not A Slug\nsummary: s\norder: 1\nlast_reviewed: 2026-01-01\nnext_review_due: 2027-01-01\n---\nbody\n",
            "is not lower-case",
        ),
        (
            "---\ntitle: T\nslug: t\nsummary: s\norder: 1\nlast_reviewed: soon\nnext_review_due: 2027-01-01\n---\nbody\n",
            "not a date",
        ),
        (
            "---\ntitle: T\nslug: t\nsummary: s\norder: 1\nlast_reviewed: 2026-01-01\nnext_review_due: 2027-01-01\ntitel: typo\n---\nbody\n",
            "unknown keys: titel",
        ),
    ],
)
def test_a_broken_file_is_named_skipped_and_the_rest_still_load(content_dir, text, problem):
    (content_dir / "00-broken.md").write_text(text)
    report = load_sections(content_dir)
    assert len(report.errors) == 1
    assert "00-broken.md" in report.errors[0] and problem in report.errors[0]
    assert Section.objects.count() == 3


def test_a_duplicate_slug_is_named_and_skipped(content_dir):
    dup = (content_dir / "02-trial.md").read_text().replace("title: The trial", "title: Another trial")
    (content_dir / "09-dup.md").write_text(dup)
    report = load_sections(content_dir)
    assert len(report.errors) == 1 and "09-dup.md" in report.errors[0] and "already used" in report.errors[0]
    assert Section.objects.get(slug="the-trial").title == "The trial"


def test_load_command_exits_non_zero_after_loading_the_good_files(content_dir, capsys):
    (content_dir / "00-broken.md").write_text("nonsense")
    with pytest.raises(CommandError, match="1 file"):
        call_command("load_content", directory=str(content_dir))
    assert Section.objects.count() == 3
    assert "00-broken.md" in capsys.readouterr().err


def test_export_writes_admin_edits_back_to_the_same_files(content_dir):
    load_sections(content_dir)
    section = Section.objects.get(slug="the-trial")
    section.body = "## The test dose\n\nRewritten in the admin.\n"
    section.slug = "your-trial"
    section.save()
    written = export_sections(content_dir)
    assert written == [content_dir / "02-trial.md"]
    parsed = parse_section(content_dir / "02-trial.md")
    assert parsed.slug == "your-trial"
    assert "Rewritten in the admin." in parsed.fields["body"]
    assert export_sections(content_dir) == []


def test_export_then_load_round_trips_every_field(content_dir, tmp_path):
    load_sections(content_dir)
    before = list(
        Section.objects.values(
            "slug", "title", "summary", "order", "body", "last_reviewed", "next_review_due", "sources"
        )
    )
    out = tmp_path / "exported"
    export_sections(out)
    Section.objects.all().delete()
    SlugRedirect.objects.all().delete()
    assert load_sections(out).errors == []
    after = list(
        Section.objects.values(
            "slug", "title", "summary", "order", "body", "last_reviewed", "next_review_due", "sources"
        )
    )
    assert after == before


def test_published_sections_come_in_booklet_order(fixture_sections):
    assert [s.slug for s in fixture_sections] == ["spasticity", "the-trial", "the-pump"]


def test_overdue_sections_are_found_by_their_review_date(fixture_sections):
    overdue = Section.objects.overdue_for_review(today=date(2026, 11, 22))
    assert [s.slug for s in overdue] == ["spasticity"]
