// The Share button. Without this script it is a link to the share page (QR code, email and
// text links), so sharing works with JavaScript off. With it, the button opens the phone's own
// share sheet, or, where there is none, copies the address and says so in a status line.

// `which` names the status line's own words (data-copied, data-not-copied), in the page's language.
function announce(container, which) {
  const status = container.querySelector("[data-share-status]");
  if (!status) return;
  const message = status.dataset[which];
  // Clear first, so the same message twice is read out twice.
  status.textContent = "";
  window.setTimeout(() => {
    status.textContent = message;
  }, 50);
}

// The address to share: this page's, with the part someone went to (#heading), if any.
function addressToShare(container) {
  const { hash } = window.location;
  const part = hash.length > 1 ? document.getElementById(decodeURIComponent(hash.slice(1))) : null;
  return container.dataset.shareUrl + (part ? hash : "");
}

// The share page's links (QR code, email, text) keep the part too: `page=/contacts/#email`.
function keepPart(container) {
  const { hash } = window.location;
  const part = hash.length > 1 && document.getElementById(decodeURIComponent(hash.slice(1))) ? hash : "";
  for (const link of container.querySelectorAll("[data-share-link], [data-share-more] a")) {
    const address = new URL(link.href, window.location.href);
    const page = address.searchParams.get("page");
    if (page === null) continue;
    address.searchParams.set("page", page.split("#")[0] + part);
    link.href = address.pathname + address.search;
  }
}

async function copyAddress(container, url, fallback) {
  try {
    await navigator.clipboard.writeText(url);
    announce(container, "copied");
  } catch {
    // Copying is not allowed here: the share page shows the address to copy by hand.
    if (fallback) window.location.assign(fallback);
    else announce(container, "notCopied");
  }
}

async function share(container, fallback) {
  const url = addressToShare(container);
  if (typeof navigator.share === "function") {
    try {
      await navigator.share({ title: container.dataset.shareTitle, url });
      return;
    } catch (error) {
      if (error && error.name === "AbortError") return; // the person closed the share sheet
    }
  }
  if (navigator.clipboard) await copyAddress(container, url, fallback);
  else window.location.assign(fallback);
}

export function initShare(root = document) {
  for (const container of root.querySelectorAll('[data-module="app-share"]')) {
    const link = container.querySelector("[data-share-link]");
    const button = container.querySelector("[data-share-button]");
    if (link) {
      keepPart(container);
      window.addEventListener("hashchange", () => keepPart(container));
    }
    if (link && button) {
      button.addEventListener("click", () => share(container, link.href));
      link.hidden = true;
      button.hidden = false;
      container.querySelector("[data-share-more]")?.removeAttribute("hidden");
    }
    const copy = container.querySelector("[data-share-copy]");
    if (copy && navigator.clipboard) {
      copy.addEventListener("click", () => copyAddress(container, container.dataset.shareUrl, null));
      copy.hidden = false;
    }
  }
}
