"""The emergency sheet as a one-page A4 PDF, made in Python (fpdf2): no browser at request time.

Its words are the sheet's own: a small template (symptoms/emergency_sheet_pdf.html) renders the same
rules, contacts and review dates with the same macros as the page, and fpdf2 lays that HTML out.
The core PDF fonts know Latin-1 only, so typographic marks become their plain forms; anything else
outside Latin-1 raises, so a new character in the data fails a test rather than printing as "?". The
data files' schema refuses such a character (datafiles/schema.py), so data that passes always prints.
"""

from __future__ import annotations

import logging
import re
from datetime import date

from django.template.loader import render_to_string
from fpdf import FPDF, TextStyle

from itb_portal.contacts.directory import Directory
from itb_portal.datafiles.schema import TYPOGRAPHY_TO_PLAIN as PLAIN

from .review import sheet_review
from .rules import RuleBook

logger = logging.getLogger(__name__)
FONT = "Helvetica"
BODY_POINTS = 11
BLACK = "#000000"
# Tight, plain styles: what to do must fit the first A4 page with its body at 11 pt.
STYLES = {
    "h1": TextStyle(font_size_pt=16, font_style="B", color=BLACK, t_margin=0, b_margin=1),
    "h2": TextStyle(font_size_pt=13, font_style="B", color=BLACK, t_margin=1.5, b_margin=0.5),
    "p": TextStyle(t_margin=1.5, b_margin=0),
    "ul": TextStyle(t_margin=2),
    "li": TextStyle(l_margin=4, t_margin=0.5),
}
# What the print stylesheet hides (a map link) is not on paper either.
NOT_ON_PAPER = re.compile(r'<span class="app-no-print">.*?</span>', re.S)


def latin_1(html: str) -> str:
    plain = html.translate(PLAIN)
    plain.encode("latin-1")  # UnicodeEncodeError names the character the core fonts cannot draw
    return plain


def sheet_html(rules: RuleBook, directory: Directory, made_on: date, sheet_address: str) -> str:
    context = {
        "rules": rules,
        "directory": directory,
        "review": sheet_review(),
        "made_on": made_on,
        "sheet_address": sheet_address,
    }
    return latin_1(NOT_ON_PAPER.sub("", render_to_string("symptoms/emergency_sheet_pdf.html", context)))


def sheet_pdf(rules: RuleBook, directory: Directory, made_on: date, sheet_address: str) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=True, margin=10)
    pdf.set_margins(12, 10, 12)
    pdf.set_title("ITB pump: what to do in an emergency")
    pdf.set_author(directory.service.team_at_hospital)
    pdf.add_page()
    pdf.set_font(FONT, size=BODY_POINTS)
    pdf.write_html(
        sheet_html(rules, directory, made_on, sheet_address),
        font_family=FONT,
        tag_styles=STYLES,
        li_prefix_color=BLACK,
    )
    if pdf.page > 2:
        # More pages beat no sheet; tests/test_emergency_sheet_pdf.py holds the shipped data to two.
        logger.warning("The emergency sheet PDF needs %d pages: its layout must be looked at", pdf.page)
    return bytes(pdf.output())
