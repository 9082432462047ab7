// The service worker (served as /sw.js, scope "/"). Built by `npm run build` with Workbox bundled
// in; the server puts its settings in front of it as self.ITB_OFFLINE (itb_portal/companion/worker.py).
//
// - Pages: the network first, always, so someone online never sees an old phone number. With no
//   signal (or none within a few seconds) the copy saved at install is shown, marked as a saved
//   copy; a page that was never saved gets the offline page, with 999 and the team's numbers.
// - Anything with a query string is never stored. The checker's result holds what someone chose:
//   with no signal it gets the offline guidance page instead. Another page with a query string
//   (search, the checker's "change your answers") gets its saved page, which reads the query itself.
// - Static files: named by their content, so the saved copy is used first.
// - The settings carry the content version, so this script's bytes change whenever a page could.
//   The browser checks /sw.js on each visit, and the new worker saves every page again and
//   takes over at once.
import { addRoute, matchPrecache, precache } from "workbox-precaching";
import { registerRoute } from "workbox-routing";

const site = self.ITB_OFFLINE;
// Everything kept that is not a static file is a page (or a page's data, such as a search index).
const savedPages = new Set(
  site.precache.map((entry) => entry.url ?? entry).filter((url) => !url.startsWith(site.staticPrefix)),
);
const savedOn = new Intl.DateTimeFormat("en-GB", {
  day: "numeric",
  month: "long",
  year: "numeric",
  hour: "numeric",
  minute: "2-digit",
  timeZone: site.timeZone,
});

// A new worker takes over open pages as soon as it has saved everything: its pages are the newer.
self.skipWaiting();
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));
precache(site.precache);

// The network, unless it has not answered within the timeout (a weak signal counts as none).
function fromNetwork(request) {
  return new Promise((resolve, reject) => {
    setTimeout(() => reject(new Error("no answer in time")), site.networkTimeoutSeconds * 1000);
    fetch(request).then(resolve, reject);
  });
}

// A saved page, with a notice at the top of <main> saying it is a saved copy and since when.
async function markedAsSaved(response) {
  const html = await response.text();
  const made = new Date(response.headers.get("Date") || Date.now());
  const notice = site.savedCopyNotice.replace("__SAVED_ON__", savedOn.format(made));
  const mainStarts = html.indexOf("<main");
  const mainOpened = mainStarts < 0 ? -1 : html.indexOf(">", mainStarts) + 1;
  const marked =
    mainOpened > 0
      ? html.slice(0, mainOpened) + notice + html.slice(mainOpened)
      : html;
  return new Response(marked.replace("<html", "<html data-app-saved-copy"), {
    headers: { "Content-Type": response.headers.get("Content-Type") || "text/html; charset=utf-8" },
  });
}

async function withoutSignal(request, url) {
  // A page's data (such as the search index) fetched by its script: the saved copy as it is.
  if (request.mode !== "navigate") return (!url.search && (await matchPrecache(url.pathname))) || Response.error();
  if (url.pathname === site.resultPath) return (await matchPrecache(site.offlineCheck)) || Response.error();
  const saved = savedPages.has(url.pathname) && (await matchPrecache(url.pathname));
  if (saved) return saved.headers.get("Content-Type")?.startsWith("text/html") ? markedAsSaved(saved) : saved;
  return (await matchPrecache(site.offlinePage)) || Response.error();
}

function isPage({ request, url, sameOrigin }) {
  if (!sameOrigin) return false;
  return request.mode === "navigate" || (!url.search && savedPages.has(url.pathname));
}

registerRoute(isPage, ({ request, url }) => fromNetwork(request).catch(() => withoutSignal(request, url)));

// Static files: the saved copy first (their addresses change when they do).
addRoute({ directoryIndex: null, cleanURLs: false, ignoreURLParametersMatching: [] });

// Tests and the page can ask which content version this worker keeps.
self.addEventListener("message", (event) => {
  if (event.data === "content-version") event.ports[0]?.postMessage(site.version);
});
