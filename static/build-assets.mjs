// Copies the NHS.UK frontend script and its images, and lunr.js for offline search, into static/dist,
// so nothing is fetched from another host.
import { cpSync, mkdirSync } from "node:fs";

const from = "node_modules/nhsuk-frontend/dist/nhsuk";
const to = "static/dist";
mkdirSync(`${to}/js`, { recursive: true });
cpSync(`${from}/nhsuk-frontend.min.js`, `${to}/js/nhsuk-frontend.min.js`);
cpSync(`${from}/assets/images`, `${to}/nhsuk/assets/images`, { recursive: true });
cpSync("node_modules/lunr/lunr.min.js", `${to}/js/lunr.min.js`);
