// The symptom checker, made quicker where JavaScript runs: the bar that keeps the button in reach
// also says how many signs are ticked. Without this script the form works the same, with no count.

function describe(count) {
  if (count === 0) return "No signs ticked yet.";
  return count === 1 ? "1 sign ticked." : `${count} signs ticked.`;
}

export function initChecker(root = document) {
  for (const form of root.querySelectorAll("[data-app-checker]")) {
    const counter = form.querySelector("[data-app-ticked-count]");
    if (!counter) continue;
    const update = () => {
      counter.textContent = describe(form.querySelectorAll('input[name="sign"]:checked').length);
    };
    update();
    counter.hidden = false;
    form.addEventListener("change", update);
  }
}
