// Search with no signal. Online, /search/?q= is answered by the server and this script does nothing.
// Offline, the service worker answers /search/?q= with the stored /search/ page, which has no results
// in it: this script then loads lunr.js and the stored index (/search/index.json), searches as the
// server would (search-core.mjs) and shows the results from the patterns the server put in the page.
// Only this page loads it, and it fetches the search, lunr.js and the index only when it is needed.

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = resolve;
    script.onerror = reject;
    document.head.append(script);
  });
}

// As the server's read_query: normalised (NFKC) before its length is counted, control characters
// are spaces, and the text is single-spaced.
function readQuery(raw, maxLength) {
  const text = raw
    .normalize("NFKC")
    .replace(/\p{C}/gu, " ")
    .split(/\s+/)
    .filter(Boolean)
    .join(" ");
  const characters = [...text];
  if (characters.length > maxLength) return { text: characters.slice(0, maxLength).join(""), problem: "tooLong" };
  return { text, problem: text ? null : "empty" };
}

// A card's pattern is the one the server made for its group and the signs chosen in it (chooseCards).
function pattern(offline, name, card) {
  const which = card ? `[data-group="${card.group}"][data-outcome="${card.outcome}"]` : "";
  const selector = `template[data-pattern="${name}"]${which}`;
  return offline.querySelector(selector).content.firstElementChild.cloneNode(true);
}

function paragraph(text, testid) {
  const p = document.createElement("p");
  if (testid) p.dataset.testid = testid;
  p.textContent = text;
  return p;
}

function symptomCard(offline, chosen, signs) {
  const card = pattern(offline, "card", chosen);
  const list = card.querySelector("[data-card-signs]");
  for (const sign of signs) {
    const item = document.createElement("li");
    item.dataset.sign = sign.slug;
    item.textContent = sign.label;
    list.append(item);
  }
  const checker = card.querySelector("[data-card-checker]");
  const query = new URLSearchParams(signs.map((sign) => ["sign", sign.slug]));
  checker.href = `${checker.getAttribute("href")}?${query}`;
  return card;
}

function resultItem(offline, result) {
  const item = pattern(offline, "result");
  const link = item.querySelector("a");
  link.href = result.passage.url;
  link.textContent = result.passage.heading;
  const where = item.querySelector(".app-search-result__where");
  const { section, parent, heading } = result.passage;
  if (heading === section) where.remove();
  else where.lastChild.textContent = [section, parent].filter(Boolean).join(" › ");
  // The snippet is escaped text with <mark> around matched words (search-core.mjs).
  item.querySelector(".app-search-result__snippet").innerHTML = result.snippet;
  return item;
}

// The sentences are the page's own (data-no-results and the rest on [data-search-offline]), in its language.
function fill(sentence, values) {
  return sentence.replace(/\{(count|query|words)\}/g, (whole, name) => (name in values ? String(values[name]) : whole));
}

function countSentence(offline, total, text, maxResults) {
  const words = offline.dataset;
  if (total === 0) return fill(words.noResults, { query: text });
  if (total === 1) return fill(words.oneResult, { query: text });
  const shown = total > maxResults ? ` ${fill(words.bestShown, { count: maxResults })}` : "";
  return `${fill(words.manyResults, { count: total, query: text })}${shown}`;
}

function showOutcome(offline, output, query, found, payload, chooseCards) {
  const nodes = [];
  const signs = new Map(payload.signs.map((sign) => [sign.slug, sign]));
  const outcomes = JSON.parse(offline.querySelector("[data-card-outcomes]").textContent);
  for (const card of chooseCards(outcomes, found.signs)) {
    nodes.push(symptomCard(offline, card, card.signs.map((slug) => signs.get(slug))));
  }
  if (found.corrections.length) {
    const [before, after] = offline.dataset.corrections.split("{words}");
    const p = paragraph(before, "search-corrections");
    found.corrections.forEach((correction, position) => {
      if (position) p.append(", ");
      const strong = document.createElement("strong");
      strong.textContent = correction.used;
      p.append(strong);
    });
    p.append(fill(after, { query: query.text }));
    nodes.push(p);
  }
  const count = paragraph(
    countSentence(offline, found.total, query.text, Number(offline.dataset.maxResults)),
    "search-count",
  );
  count.className = "app-search-count";
  nodes.push(count);
  if (found.results.length) {
    const list = document.createElement("ol");
    list.className = "nhsuk-list app-search-results";
    list.dataset.testid = "search-results";
    list.append(...found.results.map((result) => resultItem(offline, result)));
    nodes.push(list);
  } else {
    nodes.push(pattern(offline, "no-results"));
  }
  output.replaceChildren(...nodes);
}

async function searchOffline(offline, raw) {
  const output = document.querySelector("[data-search-output]");
  const input = document.getElementById("search-query");
  const query = readQuery(raw, Number(offline.dataset.maxLength));
  input.value = query.text;
  if (query.problem) {
    output.replaceChildren(paragraph(offline.dataset[query.problem], "search-problem"));
    return;
  }
  output.replaceChildren(paragraph(offline.dataset.searching));
  try {
    const [{ createSearch, chooseCards }, , response] = await Promise.all([
      import(offline.dataset.coreUrl),
      loadScript(offline.dataset.lunrUrl),
      fetch(offline.dataset.indexUrl),
    ]);
    const payload = await response.json();
    const found = createSearch(window.lunr, payload)(query.text);
    showOutcome(offline, output, query, found, payload, chooseCards);
    const { titleBefore, titleAfter } = offline.dataset;
    document.title = document.title.replace(titleBefore, fill(titleAfter, { query: query.text }));
  } catch {
    output.replaceChildren(paragraph(offline.dataset.unavailable));
  }
}

const offline = document.querySelector("[data-search-offline]");
const raw = new URLSearchParams(window.location.search).get("q");
if (offline && raw !== null) searchOffline(offline, raw);
