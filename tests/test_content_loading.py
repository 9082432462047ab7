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
    assert report.admin_edits_left_alone == ["the-trial"]
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
    assert report.admin_edits_left_alone == ["your-trial"]
    assert not Section.objects.filter(slug="the-trial").exists()


GOOD = "---\ntitle: T\nslug: t\nsummary: s\norder: 1\nlast_reviewed: 2026-01-01\nnext_review_due: 2027-01-01\n"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("no front matter at all\n", "does not start with front matter"),
        ("---\ntitle: [unclosed\n---\nbody\n", "not valid YAML"),
        ("---\ntitle: x\nslug: x\n", "never closed"),
        (
            "---\nslug: a\nsummary: s\norder: 1\nlast_reviewed: 2026-01-01\nnext_review_due: 2027-01-01\n---\nbody\n",
            "its front matter: title: is missing",
        ),
        (GOOD.replace("slug: t", "slug: Not A Slug") + "---\nbody\n", "slug: 'Not A Slug' is not lower-case"),
        (
            GOOD.replace("last_reviewed: 2026-01-01", "last_reviewed: soon") + "---\nbody\n",
            "last_reviewed: must be a date like 2026-11-30, not 'soon'",
        ),
        (
            GOOD.replace("next_review_due: 2027-01-01", "next_review_due: 2026-13-45") + "---\nbody\n",
            "next_review_due: must be a date like 2026-11-30, not '2026-13-45'",
        ),
        (GOOD + "titel: typo\n---\nbody\n", "titel: is not a field here (check its spelling)"),
        (GOOD + 'published: "false"\n---\nbody\n', "published: must be true or false, without quotes, not the text"),
        (GOOD + "published: 0\n---\nbody\n", "published: must be true or false, without quotes, not the number 0"),
        (GOOD.replace("order: 1", "order: first") + "---\nbody\n", "order: must be a whole number, not the text"),
        (GOOD + "title: Again\n---\nbody\n", "the key 'title' is given twice (line 8)"),
        # Issue 21, item 8: each once gave a traceback naming neither file nor field, or was published.
        (GOOD + "sources: 5\n---\nbody\n", "sources: must be a list, not the number 5"),
        (GOOD + "1: one\n---\nbody\n", "the key 1 is not a word"),
        (GOOD + "null: nothing\n---\nbody\n", "an empty key (null) is not a word"),
        (GOOD.replace("order: 1", "order: 99999999999") + "---\nbody\n", "order: must be 10000 or less"),
        (GOOD.replace("order: 1", "order: -5") + "---\nbody\n", "order: must be 0 or more, not -5"),
        (GOOD.replace("title: T", "title: " + "T" * 201) + "---\nbody\n", "title: is 201 characters long: it can be"),
        (GOOD.replace("summary: s", "summary: " + "s" * 301) + "---\nbody\n", "summary: is 301 characters long"),
        (GOOD.replace("slug: t", "slug: " + "t" * 101) + "---\nbody\n", "slug: is 101 characters long"),
        (GOOD + "sources: " + "[" * 400 + "]" * 400 + "\n---\nbody\n", "sources > item 1: must be text, not a list"),
        (GOOD + "sources: " + "[" * 5000 + "]" * 5000 + "\n---\nbody\n", "nested too deeply"),
        (GOOD.replace("title: T", "title: {a: b}") + "---\nbody\n", "title: must be text, not a set of 'key: value'"),
        (
            GOOD.replace("next_review_due: 2027-01-01", "next_review_due: 2025-06-01") + "---\nbody\n",
            "next_review_due (2025-06-01) must come after last_reviewed (2026-01-01)",
        ),
        (
            GOOD.replace("last_reviewed: 2026-01-01", "last_reviewed: 2099-01-01").replace("2027-01-01", "2100-01-01")
            + "---\nbody\n",
            "last_reviewed is 1 January 2099, which is in the future",
        ),
    ],
)
def test_a_broken_file_is_named_with_its_field_and_nothing_loads(content_dir, text, problem):
    (content_dir / "00-broken.md").write_text(text)
    report = load_sections(content_dir)
    assert len(report.errors) == 1
    assert report.errors[0].startswith(str(content_dir / "00-broken.md") + ": "), report.errors[0]
    assert problem in report.errors[0], report.errors[0]
    assert Section.objects.count() == 0


def test_a_bad_byte_names_the_file_and_where_the_byte_is(content_dir):
    text = (content_dir / "02-trial.md").read_bytes().replace(b"micrograms", b"micro\xb5grams")
    (content_dir / "02-trial.md").write_bytes(text)
    report = load_sections(content_dir)
    assert report.errors == [
        f"{content_dir / '02-trial.md'}: it is not UTF-8 text: byte 0xb5 at line 14, column 25 cannot be read "
        "(save the file as UTF-8)"
    ]
    assert Section.objects.count() == 0


def test_a_quoted_false_never_leaves_a_section_published(content_dir):
    load_sections(content_dir)
    path = content_dir / "02-trial.md"
    path.write_text(path.read_text().replace("order: 2\n", 'order: 2\npublished: "false"\n'))
    assert load_sections(content_dir).errors
    path.write_text(path.read_text().replace('published: "false"', "published: false"))
    assert load_sections(content_dir).updated == ["the-trial"]
    assert not Section.objects.get(slug="the-trial").is_published


def test_a_duplicate_slug_is_refused_before_either_file_is_loaded(content_dir):
    # The copy sorts first, so loading file by file would have served its text.
    dup = (content_dir / "02-trial.md").read_text().replace("title: The trial", "title: Another trial")
    (content_dir / "01-a-copy.md").write_text(dup)
    report = load_sections(content_dir)
    assert report.errors == [
        f"{content_dir / '02-trial.md'}: slug 'the-trial' is already used by {content_dir / '01-a-copy.md'}"
    ]
    assert Section.objects.count() == 0


def test_a_broken_file_leaves_the_loaded_booklet_as_it_was(content_dir):
    load_sections(content_dir)
    before = list(Section.objects.values_list("slug", "title", "body", "updated_at"))
    path = content_dir / "01-spasticity.md"
    path.write_text(path.read_text().replace("title: Spasticity", "title: Changed"))
    (content_dir / "99-broken.md").write_text(GOOD + "next_review_due: 2026-13-45\n---\nbody\n")
    assert load_sections(content_dir).errors
    assert list(Section.objects.values_list("slug", "title", "body", "updated_at")) == before


def test_a_failure_part_way_through_the_load_rolls_every_section_back(content_dir, monkeypatch):

    for path in content_dir.glob("*.md"):
        path.write_text(path.read_text().replace("summary: ", "summary: New. "))
    real = Section.save
    calls = []

    def fails_on_the_third(section, *args, **kwargs):
        calls.append(section.slug)
        if len(calls) == 3:
            raise RuntimeError("the database went away")
        real(section, *args, **kwargs)

    monkeypatch.setattr(Section, "save", fails_on_the_third)
    with pytest.raises(RuntimeError):
        load_sections(content_dir)
    assert Section.objects.count() == 0


def test_load_command_loads_nothing_and_exits_non_zero_when_a_file_is_broken(content_dir, capsys):
    (content_dir / "00-broken.md").write_text("nonsense")
    with pytest.raises(CommandError, match="1 problem"):
        call_command("load_content", directory=str(content_dir))
    assert Section.objects.count() == 0
    assert "00-broken.md" in capsys.readouterr().err


def test_a_missing_folder_is_an_error_not_an_empty_booklet(tmp_path):
    report = load_sections(tmp_path / "no-such-folder")
    assert report.errors == [f"{tmp_path / 'no-such-folder'}: no such folder of section files"]


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


@pytest.fixture
def content_folder(tmp_path, settings):
    """A writable content/ for the release step: the fixture sections and the real data files."""
    import shutil

    from tests.conftest import FIXTURES

    shutil.copytree(FIXTURES / "content", tmp_path / "sections")
    shutil.copytree(settings.CONTENT_DIR / "symptoms", tmp_path / "symptoms")
    shutil.copytree(settings.CONTENT_DIR / "search", tmp_path / "search")
    shutil.copy(settings.CONTENT_DIR / "contacts.yaml", tmp_path / "contacts.yaml")
    settings.CONTENT_DIR = tmp_path
    return tmp_path


def test_a_release_with_a_broken_file_leaves_the_published_site_as_it_was(content_folder, capsys):
    from itb_portal.pagecache.models import ContentVersion

    call_command("release", verbosity=0)
    before = list(Section.objects.values_list("slug", "title", "updated_at"))
    version = ContentVersion.current()
    trial = content_folder / "sections" / "02-trial.md"
    trial.write_text(trial.read_text().replace("title: The trial", "title: A new trial"))
    (content_folder / "sections" / "04-new.md").write_text(
        GOOD.replace("slug: t", "slug: the-trial") + "---\nA second file with the same slug.\n"
    )
    with pytest.raises(CommandError, match="nothing was changed"):
        call_command("release", verbosity=0)
    assert "slug 'the-trial' is already used" in capsys.readouterr().err
    assert list(Section.objects.values_list("slug", "title", "updated_at")) == before
    assert ContentVersion.current() == version


@pytest.mark.parametrize(
    ("data_file", "loader_name"),
    [
        ("symptoms/rules.yaml", "itb_portal.symptoms.rules.load_rules"),
        ("contacts.yaml", "itb_portal.contacts.directory.load_directory"),
    ],
)
def test_a_bad_byte_in_a_data_file_names_the_file_and_the_line(tmp_path, settings, data_file, loader_name):
    from django.utils.module_loading import import_string

    path = tmp_path / "data.yaml"
    lines = (settings.CONTENT_DIR / data_file).read_bytes().splitlines(keepends=True)
    lines[2] = b"# caf\xe9\n"
    path.write_bytes(b"".join(lines))
    with pytest.raises(ValueError, match=r"data\.yaml") as raised:
        import_string(loader_name)(path)
    assert str(raised.value) == (
        f"{path}: it is not UTF-8 text: byte 0xe9 at line 3, column 6 cannot be read (save the file as UTF-8)"
    )


def test_a_key_given_twice_in_a_data_file_is_refused(tmp_path, settings):
    from itb_portal.contacts.directory import ContactsDataError, load_directory

    path = tmp_path / "contacts.yaml"
    text = (settings.CONTENT_DIR / "contacts.yaml").read_text()
    first_key = next(line for line in text.splitlines() if line[:1].isalpha())
    path.write_text(text + "\n" + first_key + "\n")
    with pytest.raises(ContactsDataError, match="given twice"):
        load_directory(path)
