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


# Where the template wants the boxed 999, which write_html() cannot draw.
CALL_999 = "<!--call-999-->"
BOX_POINTS = 24  # as on the printed page: the largest thing on the sheet
BOX_BORDER_MM = 1


def boxed_999(pdf: FPDF, call: str, who: str) -> None:
    """ "Call 999" in bold at 24 pt and who answers, boxed with a thick black border, as the printed page draws it."""
    call, who = latin_1(call), latin_1(who)
    pdf.ln(2)
    top = pdf.get_y()
    pdf.set_font(FONT, style="B", size=BOX_POINTS)
    call_width = pdf.get_string_width(call) + 4
    pdf.set_font(FONT, style="B", size=12)
    who_width = pdf.get_string_width(who) + 2
    # One line, as on paper: the number, then who answers beside it.
    pdf.set_x(pdf.l_margin + 4)
    pdf.set_font(FONT, style="B", size=BOX_POINTS)
    pdf.cell(call_width, 12, call)
    pdf.set_font(FONT, style="B", size=12)
    pdf.cell(who_width, 12, who, new_x="LMARGIN", new_y="NEXT")
    pdf.set_line_width(BOX_BORDER_MM)
    pdf.set_draw_color(0, 0, 0)
    pdf.rect(pdf.l_margin, top, call_width + who_width + 8, 12)
    pdf.set_line_width(0.2)
    pdf.set_font(FONT, size=BODY_POINTS)
    pdf.ln(2)


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
    top, rest = sheet_html(rules, directory, made_on, sheet_address).split(CALL_999, 1)
    for part in (top, None, rest):
        if part is None:
            emergency = directory.of_kind("emergency")[0]
            boxed_999(pdf, f"Call {emergency.phones[0].number}", emergency.name)
            continue
        pdf.write_html(part, font_family=FONT, tag_styles=STYLES, li_prefix_color=BLACK)
    if pdf.page > 2:
        # More pages beat no sheet; tests/test_emergency_sheet_pdf.py holds the shipped data to two.
        logger.warning("The emergency sheet PDF needs %d pages: its layout must be looked at", pdf.page)
    return bytes(pdf.output())
