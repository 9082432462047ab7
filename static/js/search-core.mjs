// The booklet search, for the browser when it is offline: the same steps as the server's
// itb_portal/search/analysis.py and engine.py, on the same index (GET /search/index.json),
// with lunr.js in place of the Python lunr package. tests/test_search_parity.py runs both on
// the real booklet and checks that they give the same results, snippets and corrections.
// No DOM here: search.mjs shows the results.

const WORD = /[a-z0-9]+(?:&[a-z0-9]+)*/g;
const APOSTROPHES = /['‘’`]/g;
const SHOWN_WORD = /[\p{L}\p{N}]+(?:['‘’&][\p{L}\p{N}]+)*/gu;
const FIELDS = ["heading", "context", "body"];

export const MAX_RESULTS = 10;
const MAX_WORDS = 12;
// As engine.py: the bounds on a query's cost (a word too long to be one; the steps lunr may take
// to build fuzzy words for spelling correction).
const MAX_WORD_LENGTH = 30;
const FUZZY_BUDGET = 3000;
const SNIPPET_WORDS = 30;
const SNIPPET_LEAD = 8;
const TYPED_BOOST = 10;
const RELATED_BOOST = 3;

export function words(text) {
  const plain = text.toLowerCase().normalize("NFKD").replace(/\p{Mn}/gu, "");
  return plain.replace(APOSTROPHES, "").match(WORD) || [];
}

// As markupsafe's escape does, so both sides write the same snippet.
export function escapeHtml(text) {
  return text
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&#34;")
    .replace(/'/g, "&#39;");
}

const union = (sets) => {
  const all = new Set();
  for (const set of sets) for (const item of set) all.add(item);
  return all;
};
const within = (phrase, query) => phrase.every((stem) => query.has(stem));
const byCodePoint = (a, b) => (a < b ? -1 : a > b ? 1 : 0);

// The steps lunr.TokenSet.fromFuzzyString takes for a word of `letters` letters and `edits` edits
// (engine.py's fuzzy_steps).
const fuzzyStepsKnown = new Map();
export function fuzzySteps(letters, edits) {
  const key = `${letters},${edits}`;
  if (fuzzyStepsKnown.has(key)) return fuzzyStepsKnown.get(key);
  let steps = 1;
  if (letters > 0) steps += fuzzySteps(letters - 1, edits);
  if (edits > 0) {
    steps += fuzzySteps(letters, edits - 1);
    if (letters > 1) steps += 2 * fuzzySteps(letters - 1, edits - 1);
    if (letters > 0) steps += fuzzySteps(letters - 1, edits - 1);
  }
  fuzzyStepsKnown.set(key, steps);
  return steps;
}

export function createSearch(lunr, payload) {
  const index = lunr.Index.load(payload.index);
  const stem = (word) => lunr.stemmer(new lunr.Token(word)).toString();
  const isStopWord = (word) => !lunr.stopWordFilter(new lunr.Token(word));
  const groups = payload.synonyms;
  const known = [
    ...union([
      Object.keys(index.invertedIndex),
      ...groups.flatMap((group) => group.phrases),
      ...payload.signs.flatMap((sign) => sign.phrases),
    ]),
  ].sort(byCodePoint);
  const knownSet = new Set(known);
  const vocabulary = lunr.TokenSet.fromArray(known);

  const passagesWith = (term) => {
    const posting = index.invertedIndex[term];
    if (!posting) return 0;
    return union(FIELDS.map((field) => Object.keys(posting[field]))).size;
  };

  let shownWords = null;
  const shownWord = (term) => {
    if (!shownWords) {
      shownWords = new Map();
      const texts = payload.passages.map((p) => `${p.heading}\n${p.blocks.join("\n")}`);
      texts.push(...groups.flatMap((group) => group.entries));
      for (const text of texts) {
        for (const word of words(text)) {
          const key = stem(word);
          if (!shownWords.has(key)) shownWords.set(key, word);
        }
      }
    }
    return shownWords.get(term) ?? term;
  };

  const editDistanceFor = (term) => (term.length < 4 ? 0 : term.length < 7 ? 1 : 2);

  const correct = (term, budget) => {
    for (let distance = 1; distance <= editDistanceFor(term); distance++) {
      const steps = fuzzySteps(term.length, distance);
      if (steps > budget.left) return null;
      budget.left -= steps;
      const near = vocabulary.intersect(lunr.TokenSet.fromFuzzyString(term, distance)).toArray();
      if (near.length) {
        near.sort((a, b) => passagesWith(b) - passagesWith(a) || byCodePoint(a, b));
        return near[0];
      }
    }
    return null;
  };

  const analyse = (query) => {
    let terms = [];
    const corrections = [];
    const budget = { left: FUZZY_BUDGET };
    for (const word of words(query)) {
      if (isStopWord(word) || word.length > MAX_WORD_LENGTH || terms.length >= MAX_WORDS) continue;
      let term = stem(word);
      if (!knownSet.has(term)) {
        const better = correct(term, budget);
        if (better !== null) {
          corrections.push({ typed: word, used: shownWord(better) });
          term = better;
        }
      }
      if (!terms.includes(term)) terms.push(term);
    }
    const typed = new Set(terms);
    const found = groups.filter((group) => group.phrases.some((phrase) => within(phrase, typed)));
    const phrased = found.flatMap((group) =>
      group.phrases.filter((phrase) => phrase.length > 1 && within(phrase, typed)),
    );
    const consumed = union(phrased);
    const phraseIn = (group) => group.phrases.some((phrase) => phrase.length > 1 && within(phrase, typed));
    const related = union([
      consumed,
      ...found.map((group) =>
        phraseIn(group) ? group.phrases.flat() : group.phrases.filter((phrase) => phrase.length === 1).flat(),
      ),
    ]);
    terms = terms.filter((term) => !consumed.has(term));
    for (const term of terms) related.delete(term);
    const named = union([typed, ...found.map((group) => group.phrases.flat())]);
    return { terms, related, named, corrections };
  };

  const marked = (text, matched) => {
    let out = "";
    let done = 0;
    let count = 0;
    for (const found of text.matchAll(SHOWN_WORD)) {
      if (words(found[0]).some((word) => matched.has(stem(word)))) {
        out += `${escapeHtml(text.slice(done, found.index))}<mark>${escapeHtml(found[0])}</mark>`;
        done = found.index + found[0].length;
        count += 1;
      }
    }
    return [out + escapeHtml(text.slice(done)), count];
  };

  const snippet = (passage, matched) => {
    let best = passage.blocks[0];
    let bestCount = -1;
    for (const block of passage.blocks) {
      const count = marked(block, matched)[1];
      if (count > bestCount) [best, bestCount] = [block, count];
    }
    const shown = best.split(" ");
    if (shown.length > SNIPPET_WORDS) {
      const at = shown.findIndex((word) => marked(word, matched)[1]);
      const first = at < 0 ? 0 : at;
      const start = Math.max(0, Math.min(first - SNIPPET_LEAD, shown.length - SNIPPET_WORDS));
      const cut = shown.slice(start, start + SNIPPET_WORDS).join(" ");
      best = (start ? "… " : "") + cut + (start + SNIPPET_WORDS < shown.length ? " …" : "");
    }
    return marked(best, matched)[0];
  };

  return function search(query) {
    const analysed = analyse(query);
    const signs = payload.signs
      .filter((sign) => sign.phrases.some((phrase) => within(phrase, analysed.named)))
      .map((sign) => sign.slug);
    if (!analysed.terms.length && !analysed.related.size) {
      return { results: [], total: 0, corrections: analysed.corrections, signs };
    }
    const found = index.query((q) => {
      for (const term of analysed.terms) q.term(term, { usePipeline: false, boost: TYPED_BOOST });
      for (const term of [...analysed.related].sort(byCodePoint)) {
        q.term(term, { usePipeline: false, boost: RELATED_BOOST });
      }
    });
    found.sort((a, b) => b.score - a.score || Number(a.ref) - Number(b.ref));
    const results = found.slice(0, MAX_RESULTS).map((match) => {
      const passage = payload.passages[Number(match.ref)];
      const matched = new Set(Object.keys(match.matchData.metadata));
      return { passage, snippet: snippet(passage, matched), score: match.score };
    });
    return { results, total: found.length, corrections: analysed.corrections, signs };
  };
}

// The care cards for the signs a search found, as the server's search/cards.py gives them: for each
// of the checker's groups the signs fall in, the card the server worked out for exactly those signs
// (`outcomes`, indexed by a bitmask over the group's signs, from the page), most urgent first, the
// checker's group order breaking a tie. There are no rules here: the server decided every choice.
export function chooseCards(groups, slugs) {
  const cards = [];
  groups.forEach((group, position) => {
    const signs = slugs.filter((slug) => group.signs.includes(slug));
    if (!signs.length) return;
    const mask = signs.reduce((bits, slug) => bits | (1 << group.signs.indexOf(slug)), 0);
    const outcome = group.outcomes[mask - 1];
    cards.push({ group: group.group, outcome, rank: group.ranks[outcome], position, signs });
  });
  return cards.sort((a, b) => b.rank - a.rank || a.position - b.position);
}
