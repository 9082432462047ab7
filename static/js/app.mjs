// Progressive enhancement only: every page is complete without this script.
import { initAll } from "./nhsuk-frontend.min.js";
import { initPrint } from "./print.mjs";
import { initShare } from "./share.mjs";

initAll(document);
initPrint(document);
initShare(document);
