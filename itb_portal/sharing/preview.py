"""The link-preview picture messaging apps show for a link to this site, drawn from the service's data.

The picture's design (static/img/link-preview-background.png, drawn from link-preview.svg by
draw_link_preview.py) names no service. The line naming the team and hospital is written on it
here, from content/contacts.yaml, so a service that deploys its own data gets its own picture
with no drawing tool. Drawn once per service: the page cache keeps it per release.
"""

from __future__ import annotations

import io
from functools import lru_cache
from pathlib import Path

from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

from itb_portal.contacts.directory import Service, upper_first

BACKGROUND = Path(settings.BASE_DIR) / "static" / "img" / "link-preview-background.png"
# The dark band along the bottom of the design, where the service's line goes.
BAND_TOP, BAND_HEIGHT, LEFT, RIGHT = 560, 70, 80, 1120
LARGEST, SMALLEST = 30, 18
WHITE = (255, 255, 255)


def preview_line(service: Service) -> str:
    return upper_first(service.team_at_hospital)


@lru_cache(maxsize=4)
def link_preview_png(service: Service) -> bytes:
    """The 1200 x 630 PNG: the design with the team and hospital in its bottom band, in the largest
    type that fits (Pillow's own font, so no system font is needed)."""
    image = Image.open(BACKGROUND).convert("RGB")
    draw = ImageDraw.Draw(image)
    text = preview_line(service)
    for size in range(LARGEST, SMALLEST - 1, -1):
        font = ImageFont.load_default(size)
        if draw.textlength(text, font=font) <= RIGHT - LEFT:
            break
    draw.text((LEFT, BAND_TOP + BAND_HEIGHT / 2), text, font=font, fill=WHITE, anchor="lm")
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
