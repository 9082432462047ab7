// Progressive enhancement only: every page is complete without this script.
// Bundled by static/build-assets.mjs into one small file (static/dist/js/app.js), with only the
// NHS.UK frontend components the pages use: a first visit stays within the 60 KB budget.
import { Button, Checkboxes, createAll, ErrorSummary, Header, SkipLink } from "nhsuk-frontend";
import { initChecker } from "./checker.mjs";
import { initFeedback } from "./feedback.mjs";
import { initOfflineAnswer } from "./offline-answer.mjs";
import { initPrint } from "./print.mjs";
import { initShare } from "./share.mjs";

for (const component of [Header, SkipLink, Button, Checkboxes, ErrorSummary]) {
  createAll(component);
}
initPrint(document);
initShare(document);
initChecker(document);
initFeedback(document);
initOfflineAnswer(document);

// Offline use (docs/offline.md): the service worker, registered once the page has
// loaded so it never competes with the page for a weak signal.
// The worker takes over open pages only once it has saved every page: the first time that happens
// on this device, the page says so.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => navigator.serviceWorker.register("/sw.js").catch(() => {}));
  const firstVisit = !navigator.serviceWorker.controller;
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    const note = document.querySelector("[data-app-offline-ready]");
    if (firstVisit && note) note.textContent = note.dataset.message;
  });
}
