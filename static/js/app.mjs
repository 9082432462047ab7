// Progressive enhancement only: every page is complete without this script.
import { initAll } from "./nhsuk-frontend.min.js";
import { initShare } from "./share.mjs";

initAll(document);
initShare(document);
