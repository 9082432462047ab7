// The symptom checker, made quicker where JavaScript runs: beside each of its buttons, how many
// signs are ticked. Without this script the form works the same, with no count.

// The words are the page's own (data-none, data-one, data-many), in the page's language.
function describe(count, counter) {
  if (count === 0) return counter.dataset.none;
  return count === 1 ? counter.dataset.one : counter.dataset.many.replace("{count}", String(count));
}

export function initChecker(root = document) {
  for (const form of root.querySelectorAll("[data-app-checker]")) {
    const counters = form.querySelectorAll("[data-app-ticked-count]");
    if (!counters.length) continue;
    const update = () => {
      const count = form.querySelectorAll('input[name="sign"]:checked').length;
      for (const counter of counters) counter.textContent = describe(count, counter);
    };
    update();
    for (const counter of counters) counter.hidden = false;
    form.addEventListener("change", update);
  }
}
