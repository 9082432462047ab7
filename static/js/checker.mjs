// The symptom checker, made quicker where JavaScript runs: beside each of its buttons, how many
// signs are ticked. Without this script the form works the same, with no count.

function describe(count) {
  if (count === 0) return "No signs ticked yet.";
  return count === 1 ? "1 sign ticked." : `${count} signs ticked.`;
}

export function initChecker(root = document) {
  for (const form of root.querySelectorAll("[data-app-checker]")) {
    const counters = form.querySelectorAll("[data-app-ticked-count]");
    if (!counters.length) continue;
    const update = () => {
      const words = describe(form.querySelectorAll('input[name="sign"]:checked').length);
      for (const counter of counters) counter.textContent = words;
    };
    update();
    for (const counter of counters) counter.hidden = false;
    form.addEventListener("change", update);
  }
}
