// Printing, made better where JavaScript runs. Every page prints well without it.
// - "Print this page": the button waits in a <template> (partials/print_actions.html) and is
//   shown only here, so it never appears where it cannot work; the no-JavaScript line goes.
// - Just before printing: today's UK date on the printout (the server's may be from a page
//   left open overnight), details opened, and full addresses for links the server did not mark.

// In the page's language (<html lang>), as the server writes the date.
const ukDate = new Intl.DateTimeFormat(document.documentElement.lang || "en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  timeZone: "Europe/London",
});

function showPrintButtons(root) {
  for (const actions of root.querySelectorAll("[data-app-print-actions]")) {
    const template = actions.querySelector("template");
    const button = template?.content.querySelector("button");
    if (!button) continue;
    const copy = button.cloneNode(true);
    copy.addEventListener("click", () => window.print());
    template.replaceWith(copy);
    actions.querySelector("[data-app-print-fallback]")?.setAttribute("hidden", "");
  }
}

// Links the print stylesheet should follow with their address: real pages, not #fragments,
// tel: or mailto: (their text already says what paper needs).
function markLinkAddresses(root) {
  for (const link of root.querySelectorAll("main a[href]:not([data-print-url]):not([data-print-see])")) {
    const href = link.getAttribute("href");
    const url = new URL(link.href);
    const samePage = url.origin === location.origin && url.pathname === location.pathname && url.search === location.search;
    if (href.startsWith("#") || samePage || !["http:", "https:"].includes(url.protocol)) continue;
    link.dataset.printUrl = url.href;
  }
}

const openedForPrint = new Set();

function beforePrint() {
  const today = ukDate.format(new Date());
  for (const date of document.querySelectorAll("[data-print-date]")) date.textContent = today;
  for (const details of document.querySelectorAll("details:not([open])")) {
    details.open = true;
    openedForPrint.add(details);
  }
  markLinkAddresses(document);
}

function afterPrint() {
  for (const details of openedForPrint) details.open = false;
  openedForPrint.clear();
}

export function initPrint(root = document) {
  if (typeof window.print !== "function") return;
  showPrintButtons(root);
  window.addEventListener("beforeprint", beforePrint);
  window.addEventListener("afterprint", afterPrint);
}
