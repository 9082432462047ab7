// Progressive enhancement only: every page is complete without this script.
import { initAll } from "./nhsuk-frontend.min.js";
import { initChecker } from "./checker.mjs";
import { initFeedback } from "./feedback.mjs";
import { initPrint } from "./print.mjs";
import { initShare } from "./share.mjs";

initAll(document);
initPrint(document);
initShare(document);
initChecker(document);
initFeedback(document);

// Offline use (README "Offline and installing"): the service worker, registered once the page has
// loaded so it never competes with the page for a weak signal.
if ("serviceWorker" in navigator) {
  window.addEventListener("load", () => navigator.serviceWorker.register("/sw.js").catch(() => {}));
}
