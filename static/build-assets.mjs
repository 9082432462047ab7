// Copies the NHS.UK frontend script and its images into static/dist, so nothing is fetched from another host.
import { cpSync, mkdirSync } from "node:fs";

const from = "node_modules/nhsuk-frontend/dist/nhsuk";
const to = "static/dist";
mkdirSync(`${to}/js`, { recursive: true });
cpSync(`${from}/nhsuk-frontend.min.js`, `${to}/js/nhsuk-frontend.min.js`);
cpSync(`${from}/assets/images`, `${to}/nhsuk/assets/images`, { recursive: true });
