// Bundles the site's script with the NHS.UK frontend components it uses, and copies NHS.UK
// frontend's images and lunr.js for offline search into static/dist, so nothing is fetched from
// another host. Then builds the service worker (README "Offline and
// installing"): its code, with Workbox bundled in, and the precache manifest of the static files the
// saved pages use.
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { build } from "esbuild";
import { getManifest } from "workbox-build";

const from = "node_modules/nhsuk-frontend/dist/nhsuk";
const to = "static/dist";
mkdirSync(`${to}/js`, { recursive: true });
cpSync(`${from}/assets/images`, `${to}/nhsuk/assets/images`, { recursive: true });
cpSync("node_modules/lunr/lunr.min.js", `${to}/js/lunr.min.js`);

// Both scripts are bundled the same way: one minified file each, with everything they import.
const bundled = { bundle: true, minify: true, target: "es2020", logLevel: "warning" };

// Every page's script: static/js/app.mjs and what it imports, as one file.
await build({ ...bundled, entryPoints: ["static/js/app.mjs"], outfile: `${to}/js/app.js`, format: "esm" });

// The worker: one file, no imports, so no request leaves the site (never a CDN's copy of Workbox).
await build({
  ...bundled,
  entryPoints: ["static/js/sw-worker.mjs"],
  outfile: `${to}/sw/worker.js`,
  format: "iife",
  define: { "process.env.NODE_ENV": '"production"' },
});

// The static files a saved page may ask for, each with a hash of its content, named as Django
// names them under STATIC_URL (settings.STATICFILES_DIRS: static/dist, static/img as img/,
// static/js as js/). itb_portal/companion/worker.py turns the names into the addresses pages use.
// Of NHS.UK frontend's images, only the favicon and those the stylesheet names.
const cssImages = [...readFileSync(`${to}/css/main.css`, "utf8").matchAll(/url\("?\.\.\/(nhsuk\/assets\/images\/[\w.-]+)"?\)/g)];
const roots = [
  {
    globDirectory: to,
    globPatterns: ["css/*.css", "js/*.js", "nhsuk/assets/images/favicon.svg", ...new Set(cssImages.map((m) => m[1]))],
    prefix: "",
  },
  { globDirectory: "static/img", globPatterns: ["*.svg", "easy-read/*.svg"], globIgnores: ["link-preview.svg"], prefix: "img/" },
  { globDirectory: "static/js", globPatterns: ["*.mjs"], globIgnores: ["sw-worker.mjs", "app.mjs"], prefix: "js/" },
];
const files = [];
for (const { prefix, ...options } of roots) {
  const { manifestEntries, warnings } = await getManifest({ ...options, modifyURLPrefix: { "": prefix } });
  for (const warning of warnings) console.warn(warning);
  files.push(...manifestEntries);
}
writeFileSync(`${to}/sw/static-files.json`, JSON.stringify(files, null, 1));
