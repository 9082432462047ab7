// Progressive enhancement only: every page is complete without this script.
import { initAll } from "./nhsuk-frontend.min.js";

initAll(document);
