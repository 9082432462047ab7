"""Redraw static/img/link-preview-background.png from its source, static/img/link-preview.svg.

Messaging apps show a PNG, not an SVG, as a link's preview picture, so the design is drawn
once with Chromium and kept in the repository; the site writes the service's name on it from
the data (preview.py). Run after changing the SVG:

    .venv/bin/python -m itb_portal.sharing.draw_link_preview
"""

from pathlib import Path

from playwright.sync_api import sync_playwright

IMAGES = Path(__file__).resolve().parents[2] / "static" / "img"
WIDTH, HEIGHT = 1200, 630


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        page = browser.new_page(viewport={"width": WIDTH, "height": HEIGHT}, device_scale_factor=1)
        page.goto((IMAGES / "link-preview.svg").as_uri())
        page.screenshot(
            path=str(IMAGES / "link-preview-background.png"), clip={"x": 0, "y": 0, "width": WIDTH, "height": HEIGHT}
        )
        browser.close()


if __name__ == "__main__":
    main()
