// Progressive enhancement only: every page is complete without this script.
import { initAll } from "./nhsuk-frontend.min.js";
import { initFeedback } from "./feedback.mjs";
import { initPrint } from "./print.mjs";
import { initShare } from "./share.mjs";

initAll(document);
initPrint(document);
initShare(document);
initFeedback(document);
