// With no signal, the service worker answers the symptom checker with the emergency guidance
// (templates/companion/offline_check.html), at the checker's own address. Here, where JavaScript
// runs, that guidance puts first the level the ticked signs lead to, then the rest, fastest first.
// The level comes from the rules' own data, worked out as the server does (RuleBook.level_of in
// itb_portal/symptoms/rules.py; tests/test_offline_answer.py runs both on the same signs).
// Without this script, every level shows, fastest first: never less urgent than the server.

function fires(rule, signs) {
  return (
    rule.all_of.every((slug) => signs.has(slug)) &&
    (!rule.any_of.length || rule.any_of.some((slug) => signs.has(slug))) &&
    rule.among.filter((slug) => signs.has(slug)).length >= rule.at_least
  );
}

// The fastest level of any rule the signs fire; null when none fires.
export function levelOf(book, signs) {
  let found = null;
  for (const rule of book.rules) {
    if (fires(rule, signs) && (!found || book.ranks[rule.level] > book.ranks[found])) found = rule.level;
  }
  return found;
}

export function initOfflineAnswer(root = document, query = window.location.search) {
  const data = root.getElementById?.("app-offline-rules");
  const answer = root.querySelector("[data-app-offline-answer]");
  if (!data || !answer) return;
  const book = JSON.parse(data.textContent);
  const ticked = new URLSearchParams(query).getAll("sign").filter((slug) => slug in book.labels);
  const level = levelOf(book, new Set(ticked));
  const row = level && root.querySelector(`[data-testid="what-to-do"] tr[data-level="${level}"]`);
  if (!row) return;
  row.parentElement.prepend(row);
  row.setAttribute("data-app-your-level", "");
  const labels = ticked.map((slug) => book.labels[slug].toLowerCase());
  answer.querySelector("[data-app-offline-ticked]").textContent = labels.join("; ");
  answer.hidden = false;
}
