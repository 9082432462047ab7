"""Every section of the booklet meets NHS content style, and none copies the sources word for word."""

import subprocess
import sys
from pathlib import Path

import pytest

from itb_portal.booklet.loader import LoadReport, parse_section, read_sections
from itb_portal.booklet.readability import MAX_GRADE, MAX_SENTENCE_WORDS, measure

ROOT = Path(__file__).resolve().parents[1]
SECTIONS = ROOT / "content" / "sections"
SECTION_FILES = sorted(SECTIONS.glob("*.md"))
CHECK_SOURCES = ROOT.parent / "shared" / "tools" / "check_sources.py"


def test_content_folder_holds_sections_that_all_parse():
    report = LoadReport()
    parsed = read_sections(SECTIONS, report)
    assert report.errors == []
    assert len(parsed) == len(SECTION_FILES) > 0


@pytest.mark.parametrize("path", SECTION_FILES, ids=lambda path: path.name)
def test_section_reads_at_grade_7_or_below(path):
    result = measure(parse_section(path).fields["body"])
    assert result.grade <= MAX_GRADE


@pytest.mark.parametrize("path", SECTION_FILES, ids=lambda path: path.name)
def test_section_has_no_sentence_over_20_words(path):
    result = measure(parse_section(path).fields["body"])
    assert MAX_SENTENCE_WORDS == 20
    assert result.long_sentences == []


@pytest.mark.parametrize("path", SECTION_FILES, ids=lambda path: path.name)
def test_section_names_its_sources_and_both_review_dates(path):
    fields = parse_section(path).fields
    assert fields["sources"].strip()
    assert fields["last_reviewed"] < fields["next_review_due"]


def test_no_content_repeats_the_sources_word_for_word():
    if not CHECK_SOURCES.exists():
        pytest.skip(f"the source checker is not at {CHECK_SOURCES}, so copying cannot be checked here")
    result = subprocess.run(
        [sys.executable, str(CHECK_SOURCES), "content/", "static/img/"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout
