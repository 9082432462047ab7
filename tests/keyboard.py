"""Moving through a page the way a keyboard user does, and checking they can always see where they are."""

# What the focused element shows. NHS.UK frontend draws focus as a yellow background with a dark
# bar below (a box-shadow), or an outline; a checkbox's or radio's focus ring is drawn on its
# label's ::before box, because the input itself is invisible.
FOCUS_STYLE = r"""() => {
  const element = document.activeElement;
  if (!element || element === document.body) return null;
  const drawnOn = element.matches(".nhsuk-checkboxes__input, .nhsuk-radios__input")
    ? [element.labels[0], "::before"] : [element, null];
  const style = getComputedStyle(drawnOn[0], drawnOn[1]);
  const box = element.getBoundingClientRect();
  return {
    tag: element.tagName.toLowerCase(),
    label: (element.getAttribute("aria-label") || element.textContent || element.id || "").trim().slice(0, 60),
    outline: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) > 0
      && !/^(transparent|rgba\(.*, 0\))$/.test(style.outlineColor),
    shadow: style.boxShadow !== "none",
    inView: box.bottom > 0 && box.top < innerHeight && box.right > 0 && box.left < innerWidth,
  };
}"""


def focused(page) -> dict | None:
    return page.evaluate(FOCUS_STYLE)


def focus_is_visible(page) -> bool:
    style = focused(page)
    return bool(style and (style["outline"] or style["shadow"]) and style["inView"])


def tab_to(page, selector: str, limit: int = 150, *, check_every_stop: bool = False, backwards: bool = False):
    """Press Tab (or Shift+Tab) until the focused element matches `selector`, as a keyboard user would.

    With `check_every_stop`, every element the focus passes on the way must show it visibly."""
    for _ in range(limit):
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
        if check_every_stop:
            where = page.evaluate("document.activeElement ? document.activeElement.outerHTML.slice(0, 200) : null")
            assert focus_is_visible(page), f"focus not visible on {focused(page)} {where} on {page.url}"
        if page.evaluate("(selector) => document.activeElement.matches(selector)", selector):
            return page.locator(":focus")
    raise AssertionError(f"Tab never reached {selector} on {page.url}")
