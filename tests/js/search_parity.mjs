// Runs the browser's search (static/js/search-core.mjs) under Node for tests/test_search_parity.py.
// Reads {"payload": ..., "queries": [...], "texts": [...], "outcomes": [...], "choices": [[slug, ...]]}
// on stdin (outcomes: the search page's card outcomes); writes the answers as JSON.
import { createRequire } from "node:module";
import { readFileSync } from "node:fs";
import { chooseCards, createSearch, words } from "../../static/js/search-core.mjs";

const lunr = createRequire(import.meta.url)("lunr");
const input = JSON.parse(readFileSync(0, "utf8"));
const search = createSearch(lunr, input.payload);
const answers = input.queries.map((query) => {
  const found = search(query);
  return {
    urls: found.results.map((r) => r.passage.url),
    snippets: found.results.map((r) => r.snippet),
    scores: found.results.map((r) => r.score),
    total: found.total,
    corrections: found.corrections.map((c) => [c.typed, c.used]),
    signs: found.signs,
    ...(input.outcomes && { cards: chooseCards(input.outcomes, found.signs) }),
  };
});
const cards = (input.choices || []).map((slugs) => chooseCards(input.outcomes, slugs));
const stems = (input.words || []).map((word) => lunr.stemmer(new lunr.Token(word)).toString());
process.stdout.write(JSON.stringify({ answers, words: (input.texts || []).map(words), stems, cards }));
