// "Was this page useful?", kept on the page. Without this script the Yes and No buttons post the
// form and the next step opens as its own page (templates/feedback/). With it, the same request is
// sent in the background, and that step's content is shown here in place of the buttons.
// Anything unexpected falls back to posting the form as usual.

function announce(banner, message) {
  const status = banner.querySelector("[data-feedback-status]");
  if (status) status.textContent = message;
}

// The part of the next step's page to show here, its page heading made a heading of this page's part.
function stepFrom(html) {
  const step = new DOMParser().parseFromString(html, "text/html").querySelector("[data-feedback-step]");
  if (!step) return null;
  const heading = step.querySelector("h1");
  if (heading) {
    const replacement = document.createElement("h2");
    replacement.className = "nhsuk-heading-m";
    replacement.tabIndex = -1;
    replacement.textContent = heading.textContent;
    heading.replaceWith(replacement);
  }
  // Links back to this page are not needed while it is open.
  for (const back of step.querySelectorAll("a[href]")) {
    if (back.getAttribute("href") === window.location.pathname) back.closest("p")?.remove();
  }
  return step;
}

async function send(banner, form, submitter) {
  const body = new URLSearchParams(new FormData(form, submitter));
  const response = await fetch(form.action, { method: "POST", body, headers: { Accept: "text/html" } });
  const step = response.ok ? stepFrom(await response.text()) : null;
  if (!step) throw new Error("unexpected answer");
  const place = banner.querySelector("[data-feedback-place]");
  place.replaceChildren(...step.childNodes);
  enhance(banner, place);
  const heading = place.querySelector("h2[tabindex]");
  if (heading) heading.focus();
  else announce(banner, banner.querySelector("[data-feedback-status]")?.dataset.thanks);
}

function enhance(banner, within) {
  for (const form of within.querySelectorAll("form[method=post]")) {
    form.addEventListener("submit", async (event) => {
      if (form.dataset.sending) return;
      event.preventDefault();
      form.dataset.sending = "yes";
      try {
        await send(banner, form, event.submitter);
      } catch {
        // Post the form as usual: the next step opens as a page of its own.
        form.requestSubmit(event.submitter);
      }
    });
  }
}

export function initFeedback(root) {
  for (const banner of root.querySelectorAll('[data-module="app-feedback"]')) {
    enhance(banner, banner);
  }
}
