"""Accessibility beyond axe, in a real Chromium on the real booklet: reflow at 320 px, 200% zoom,
text resized to 200%, and the WCAG 1.4.12 text-spacing overrides, on every public page and the
error pages.

How zoom is emulated: browser zoom at 200% halves the CSS viewport and doubles device pixels, so a
1280 x 800 window at 200% lays pages out exactly as a 640 x 400 viewport with a device scale factor
of 2 (media queries, rem and px all follow). That is what these tests use, rather than CSS `zoom`,
which some layout code does not see. Text-only zoom (a browser's "text size" setting) is emulated by
doubling the root font size at desktop width, which enlarges every rem-based size as that setting does.
"""

import json

import pytest

from tests.public_pages import public_paths

pytestmark = pytest.mark.browser

# WCAG 2.2 success criterion 1.4.12, as given in its understanding document.
TEXT_SPACING = """
* { line-height: 1.5 !important; letter-spacing: 0.12em !important; word-spacing: 0.16em !important; }
p { margin-bottom: 2em !important; }
"""
TEXT_200 = "html { font-size: 200% !important; }"

# Finds content that does not fit: sideways scrolling, clipped or spilling text, overlapping text.
FIND_PROBLEMS = """
() => {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth) {
    const wide = [...document.querySelectorAll('body *')]
      .filter(el => el.getBoundingClientRect().right > root.clientWidth + 1)
      .filter(el => getComputedStyle(el).position !== 'fixed')
      .map(el => el.tagName.toLowerCase() + (el.className && typeof el.className === 'string' ? '.' + el.className.trim().split(/\\s+/).join('.') : ''));
    problems.push(`scrolls sideways by ${root.scrollWidth - root.clientWidth}px: ${wide.slice(-3).join(', ')}`);
  }
  const name = el => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') +
    (typeof el.className === 'string' && el.className.trim() ? '.' + el.className.trim().split(/\\s+/).join('.') : '');
  // Screen-reader-only text is clipped on purpose to a 1px box.
  const intentionallyHidden = el => {
    for (let e = el; e; e = e.parentElement) {
      const s = getComputedStyle(e);
      if (s.display === 'none' || s.visibility === 'hidden') return true;
      if (e.clientWidth <= 1 && e.clientHeight <= 1 && s.overflow !== 'visible') return true;
      if (s.clip && s.clip !== 'auto') return true;
      if (s.clipPath && s.clipPath !== 'none') return true;
    }
    return false;
  };
  const hasText = el => [...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim());
  for (const el of document.querySelectorAll('body *')) {
    if (!el.getClientRects().length || intentionallyHidden(el)) continue;
    const s = getComputedStyle(el);
    const clips = v => v === 'hidden' || v === 'clip';
    if (!el.textContent.trim()) continue;  // a decorative shape may be clipped on purpose
    if (clips(s.overflowX) && el.scrollWidth > el.clientWidth + 1) problems.push(`clipped sideways: ${name(el)}`);
    if (clips(s.overflowY) && el.scrollHeight > el.clientHeight + 1) problems.push(`clipped: ${name(el)}`);
    if (s.textOverflow === 'ellipsis' && el.scrollWidth > el.clientWidth + 1) problems.push(`cut off with …: ${name(el)}`);
    // A fixed height that its text spills out of overlaps whatever comes next.
    if (hasText(el) && s.overflowY === 'visible' && el.style.height === '' && s.height !== 'auto' &&
        el.scrollHeight > el.clientHeight + 2 && el.clientHeight > 0 && s.display !== 'inline') {
      const spilled = el.scrollHeight - el.clientHeight;
      const lineHeight = parseFloat(s.lineHeight) || parseFloat(s.fontSize) * 1.2;
      if (spilled > lineHeight / 2) problems.push(`text spills out of its box: ${name(el)}`);
    }
  }
  // Text of one element drawn over the text of another.
  const boxes = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT, {
    acceptNode: n => n.textContent.trim() && !intentionallyHidden(n.parentElement) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT,
  });
  for (let node; (node = walker.nextNode()); ) {
    const range = document.createRange();
    range.selectNodeContents(node);
    for (const r of range.getClientRects()) if (r.width > 1 && r.height > 1) boxes.push([node, r]);
  }
  for (let i = 0; i < boxes.length && problems.length < 20; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const [n1, a] = boxes[i], [n2, b] = boxes[j];
      if (n1 === n2) continue;
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 2 && h > Math.min(a.height, b.height) / 3) {
        problems.push(`text overlaps: "${n1.textContent.trim().slice(0, 30)}" and "${n2.textContent.trim().slice(0, 30)}"`);
        break;
      }
    }
  }
  return problems;
}
"""


def error_pages() -> list[str]:
    # The 404 page, and the checker's plain error for an address it cannot read (400).
    return ["/no-such-page/", "/symptoms/result/?sign=not-a-sign"]


ADD_STYLE = """
const add = () => {
  const style = document.createElement('style');
  style.textContent = css;
  document.documentElement.appendChild(style);
};
if (document.documentElement) add(); else document.addEventListener('readystatechange', add, {once: true});
"""


def with_user_stylesheet(page, css: str):
    """Applies `css` from the first paint, as a user's own stylesheet does, so the page's scripts
    (the header menu measures its items) see the page as the user will."""
    page.add_init_script(f"(() => {{ const css = {json.dumps(css)}; {ADD_STYLE} }})()")
    return page


def problems_on_every_page(base_url, page) -> dict[str, list[str]]:
    found = {}
    for path in public_paths() + error_pages():
        page.goto(base_url + path)
        # Open every <details> so the text inside is checked too.
        page.evaluate("document.querySelectorAll('details').forEach(d => d.open = true)")
        problems = page.evaluate(FIND_PROBLEMS)
        if problems:
            found[path] = problems
    return found


@pytest.fixture
def open_page(browser):
    """A page in a new context of the given size. The CSP is bypassed so that the test's style
    overrides apply, as a user's own stylesheet or a text-spacing bookmarklet would."""
    contexts = []

    def open_(width, height, scale=1, **options):
        context = browser.new_context(
            viewport={"width": width, "height": height}, device_scale_factor=scale, bypass_csp=True, **options
        )
        contexts.append(context)
        return context.new_page()

    yield open_
    for context in contexts:
        context.close()


def phone(open_page):
    return open_page(320, 640, 2, is_mobile=True, has_touch=True)


def test_error_pages_fit_a_320px_screen_too(live_booklet, open_page):
    page = phone(open_page)
    for path in error_pages():
        response = page.goto(live_booklet.url + path)
        assert response.status >= 400, path
        assert page.evaluate(FIND_PROBLEMS) == [], path


def test_every_page_reflows_at_320px_with_the_wcag_text_spacing(live_booklet, open_page):
    assert problems_on_every_page(live_booklet.url, with_user_stylesheet(phone(open_page), TEXT_SPACING)) == {}


def test_every_page_survives_200_percent_zoom(live_booklet, open_page):
    page = open_page(640, 400, 2)  # a 1280 x 800 window at 200%
    page.goto(live_booklet.url + "/")
    assert page.evaluate("[innerWidth, devicePixelRatio]") == [640, 2]
    assert problems_on_every_page(live_booklet.url, page) == {}


def test_every_page_survives_text_resized_to_200_percent(live_booklet, open_page):
    assert problems_on_every_page(live_booklet.url, with_user_stylesheet(open_page(1280, 800), TEXT_200)) == {}


def test_every_page_keeps_the_wcag_text_spacing_on_a_desktop(live_booklet, open_page):
    assert problems_on_every_page(live_booklet.url, with_user_stylesheet(open_page(1280, 800), TEXT_SPACING)) == {}


def test_the_checks_find_clipped_spilling_and_overlapping_text(live_site, open_page):
    page = open_page(390, 844)
    """The detector itself: each kind of failure it looks for is found when it is there."""
    page.goto(live_site.url + "/")
    page.evaluate(
        """() => {
        const main = document.querySelector('main');
        const add = (html) => { const d = document.createElement('div'); d.innerHTML = html; main.prepend(d.firstElementChild); };
        add('<p id="clipped">' + 'word '.repeat(200) + '</p>');
        add('<p id="spill">' + 'word '.repeat(200) + '</p>');
        add('<div id="wide">' + 'x'.repeat(400) + '</div>');
        add('<div id="over"><span>first words here</span><span>second words here</span></div>');
    }"""
    )
    page.add_style_tag(
        content="""
        #clipped { height: 20px; overflow: hidden; }
        #spill { height: 20px; }
        #wide { white-space: nowrap; }
        #over span { position: absolute; top: 0; left: 0; }
        #over { position: relative; }
    """
    )
    problems = "\n".join(page.evaluate(FIND_PROBLEMS))
    assert "scrolls sideways" in problems
    assert "clipped: p#clipped" in problems
    assert "text spills out of its box: p#spill" in problems
    assert 'text overlaps: "first words here" and "second words here"' in problems
