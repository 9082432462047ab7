"""Draw the app's icons (static/img/icon-*.png) for the web app manifest.

Phones show these on the home screen once the site is installed. They are drawn once with
Chromium and kept in the repository, like the link preview. Run after changing the design:

    .venv/bin/python -m itb_portal.companion.draw_icons
"""

from pathlib import Path

from playwright.sync_api import sync_playwright

IMAGES = Path(__file__).resolve().parents[2] / "static" / "img"
NHS_BLUE = "#005eb8"


def icon_svg(size: int, maskable: bool) -> str:
    """The pump as a white disc marked ITB, on NHS blue. A maskable icon fills its square and keeps
    the disc inside the middle 80%, which every phone's mask leaves visible."""
    corner = 0 if maskable else size * 0.18
    disc = size * (0.3 if maskable else 0.38)
    return f"""<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 {size} {size}">
  <rect width="{size}" height="{size}" rx="{corner}" fill="{NHS_BLUE}"/>
  <circle cx="{size / 2}" cy="{size / 2}" r="{disc}" fill="#ffffff"/>
  <text x="{size / 2}" y="{size / 2}" dy="0.35em" text-anchor="middle" fill="{NHS_BLUE}"
        font-family="Arial, Helvetica, sans-serif" font-weight="bold" font-size="{disc * 0.72}">ITB</text>
</svg>"""


ICONS = {"icon-192.png": (192, False), "icon-512.png": (512, False), "icon-maskable-512.png": (512, True)}


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        for name, (size, maskable) in ICONS.items():
            page = browser.new_page(viewport={"width": size, "height": size}, device_scale_factor=1)
            page.set_content(f"<body style='margin:0;background:transparent'>{icon_svg(size, maskable)}</body>")
            page.screenshot(path=str(IMAGES / name), omit_background=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
