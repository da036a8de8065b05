// The search page: runs the form's query on Pagefind's index and lists the results.
//
// The address is the state: ?q=, the filters and the sort are read from it on load and
// written back as the reader types, so a search can be bookmarked and shared. Pagefind's
// bundle is found below the site's root (the form's data-root, a URL relative to this
// page), so the site works under any path prefix, as GitHub project Pages serve it.
//
// Every value from the index is record text, which is untrusted: it is only ever set as
// text (textContent, attributes through the DOM); nothing from the index is parsed as
// HTML. A paper's record reads "title. authors. summary...", and the summary part begins
// at the element with the id dp-text: the result shows the title and the first authors
// with the matched words marked, and an excerpt of the summary (or the abstract where
// there is none) around its matched words, so the excerpt never repeats the header.
// Other pages keep Pagefind's own excerpt, which marks the matched words with <mark> in
// otherwise raw text: it is split on those two tokens, each piece a text node.

import { format } from "./reader.js";

const PAGE_SIZE = 10;
const DEBOUNCE_MS = 200;
// Words of a paper's summary shown around its matched words, and of its author list.
const EXCERPT_WORDS = 30;
const AUTHOR_WORDS = 12;
// Where a paper's summary begins in its search record (search_record.html).
const TEXT_ANCHOR = "dp-text";

const form = document.querySelector("form.dp-search");
const input = form.querySelector("input[name=q]");
const status = document.querySelector(".dp-search__status");
const list = document.querySelector(".dp-results");
const more = document.querySelector(".dp-results__more");
const messages = JSON.parse(document.getElementById("dp-search-messages").textContent);
const root = new URL(form.dataset.root, window.location.href);
const fields = ["q", "year", "month", "org", "topic", "author", "code", "sort"];

let pagefind = null;
let results = [];
let shown = 0;
let generation = 0;
let timer = 0;

// The page's language: numbers and dates follow it (plural rules too, in format).
const language = document.documentElement.lang || "en";

async function loadPagefind() {
  if (pagefind === null) {
    pagefind = await import(new URL("pagefind/pagefind.js", root).href);
    await pagefind.options({ excerptLength: 30 });
    pagefind.init();
  }
  return pagefind;
}

// An author's name as the index files it (authors.author_key in the plugin): one form
// of Unicode, no control or format characters, single spaces, lower case. So "Jun-Yan
// ZHU" finds the papers of "Jun-Yan Zhu".
function authorKey(name) {
  return name
    .normalize("NFKC")
    .replace(/\p{C}/gu, "")
    .split(/\s+/)
    .filter(Boolean)
    .join(" ")
    .toLowerCase();
}

function formState() {
  const data = new FormData(form);
  const value = (name) => String(data.get(name) || "").trim();
  const filters = {};
  for (const name of ["year", "month", "org", "topic", "code"]) {
    if (value(name)) filters[name] = value(name);
  }
  if (value("author")) filters.author = authorKey(value("author"));
  return { query: value("q"), filters, sort: value("sort") };
}

function readAddress() {
  const params = new URLSearchParams(window.location.search);
  for (const name of fields) {
    const element = form.elements.namedItem(name);
    const value = params.get(name);
    if (!element || value === null) continue;
    if (element.type === "checkbox") {
      element.checked = value === element.value;
    } else if (element.tagName === "SELECT") {
      if ([...element.options].some((option) => option.value === value)) element.value = value;
    } else {
      element.value = value;
    }
  }
}

function writeAddress() {
  const params = new URLSearchParams();
  const data = new FormData(form);
  for (const name of fields) {
    const value = String(data.get(name) || "").trim();
    if (value) params.set(name, value);
  }
  const query = params.toString();
  const url = window.location.pathname + (query ? `?${query}` : "") + window.location.hash;
  window.history.replaceState(null, "", url);
}

// Months of other years are hidden once a year is chosen.
function limitMonths() {
  const year = form.elements.namedItem("year").value;
  const month = form.elements.namedItem("month");
  for (const option of month.options) {
    option.hidden = Boolean(year && option.dataset.year && option.dataset.year !== year);
  }
  if (month.selectedOptions[0]?.hidden) month.value = "";
}

function safeHref(value) {
  try {
    const url = new URL(value, root);
    return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
  } catch {
    return null;
  }
}

function appendExcerpt(element, excerpt) {
  let marked = false;
  for (const piece of excerpt.split(/(<mark>|<\/mark>)/)) {
    if (piece === "<mark>") {
      marked = true;
    } else if (piece === "</mark>") {
      marked = false;
    } else if (piece) {
      const text = document.createTextNode(piece);
      if (marked) {
        const mark = document.createElement("mark");
        mark.append(text);
        element.append(mark);
      } else {
        element.append(text);
      }
    }
  }
}

// The record's words as Pagefind counts them (its locations index these): split on
// zero-width spaces where Pagefind segmented the text, else on white space.
function recordWords(data) {
  const raw = data.raw_content;
  if (typeof raw === "string" && raw.includes("\u200B")) {
    const unescaped = raw.replace(/&lt;/g, "<").replace(/&gt;/g, ">");
    return { words: unescaped.split("\u200B"), joiner: "" };
  }
  return { words: String(data.content || "").split(/[\r\n\s]+/g), joiner: " " };
}

// Words from..to of the record (clamped), as [text, matched] pieces, with an ellipsis
// piece where the list is cut.
function wordPieces(record, hits, from, to, cut) {
  const pieces = [];
  const end = Math.min(to, record.words.length);
  for (let index = from; index < end; index++) {
    if (record.words[index]) pieces.push([record.words[index], hits.has(index)]);
  }
  if (cut && end < record.words.length) pieces.push(["…", false]);
  return pieces;
}

// The window of EXCERPT_WORDS words from `start` on holding the most matched words (the
// middle one of several such, so the matches sit inside it rather than at an edge).
function densest(hits, start, length) {
  const last = Math.max(start, length - EXCERPT_WORDS);
  const counts = [];
  let count = 0;
  for (let index = start; index < Math.min(length, start + EXCERPT_WORDS); index++) {
    if (hits.has(index)) count++;
  }
  for (let from = start; from <= last; from++) {
    counts.push(count);
    if (hits.has(from)) count--;
    if (hits.has(from + EXCERPT_WORDS)) count++;
  }
  const most = Math.max(...counts);
  const best = counts.flatMap((found, offset) => (found === most ? [offset] : []));
  return start + best[Math.floor(best.length / 2)];
}

// A paper's title, authors and excerpt as pieces, or null for another page. The title's
// words are the record's own (its metadata), marked where Pagefind matched them: in the
// indexed text Pagefind ends each block with a period of its own.
function paperParts(data) {
  const anchor = (data.anchors || []).find((found) => found.id === TEXT_ANCHOR);
  if (!anchor) return null;
  const record = recordWords(data);
  const hits = new Set(data.locations || []);
  const titleWords = String(data.meta.title || "").split(/\s+/).filter(Boolean);
  const title = titleWords.map((word, index) => [word, hits.has(index)]);
  const start = anchor.location;
  const from = densest(hits, start, record.words.length);
  const excerpt = wordPieces(record, hits, from, from + EXCERPT_WORDS, true);
  if (from > start) excerpt.unshift(["…", false]);
  const authorsEnd = Math.min(start, titleWords.length + AUTHOR_WORDS);
  const authors = wordPieces(record, hits, titleWords.length, authorsEnd, false);
  if (authorsEnd < start) {
    authors.push(["…", false]);
  } else if (authors.length) {
    const last = authors[authors.length - 1];
    last[0] = last[0].replace(/\.$/, "");
  }
  return { title, authors, excerpt, joiner: record.joiner };
}

function appendPieces(element, pieces, joiner) {
  pieces.forEach(([text, matched], index) => {
    if (index && joiner) element.append(document.createTextNode(joiner));
    const node = document.createTextNode(text);
    if (matched) {
      const mark = document.createElement("mark");
      mark.append(node);
      element.append(mark);
    } else {
      element.append(node);
    }
  });
}

// A day as the site writes it: its template (the Korean table has one), else the
// browser's own long date in the page's language, as Babel writes it on the pages.
function shownDate(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  if (messages.date) return format(messages.date, { year, month, day });
  return new Intl.DateTimeFormat(language, { dateStyle: "long", timeZone: "UTC" }).format(
    new Date(Date.UTC(year, month - 1, day)),
  );
}

function renderResult(data) {
  const item = document.createElement("li");
  item.className = "dp-result";
  const link = document.createElement("a");
  link.className = "dp-result__link";
  const href = safeHref(data.meta.url || data.url);
  if (href) link.href = href;
  // Only an absolute http(s) address may become an image source.
  const image = /^https?:\/\//i.test(data.meta.image || "") ? data.meta.image : null;
  if (image) {
    const picture = document.createElement("img");
    picture.className = "dp-result__image";
    picture.src = image;
    picture.alt = "";
    picture.loading = "lazy";
    link.append(picture);
  }
  const parts = paperParts(data);
  const title = document.createElement("span");
  title.className = "dp-result__title";
  if (parts && parts.title.length) {
    appendPieces(title, parts.title, parts.joiner || " ");
  } else {
    title.textContent = data.meta.title || href || "";
  }
  link.append(title);
  item.append(link);

  const meta = document.createElement("p");
  meta.className = "dp-result__meta";
  if (data.meta.date) {
    const date = document.createElement("span");
    date.textContent = shownDate(data.meta.date);
    meta.append(date);
  } else {
    const kind = document.createElement("span");
    kind.textContent = messages.page;
    meta.append(kind);
  }
  if (data.meta.votes) {
    const votes = document.createElement("span");
    votes.className = "dp-votes";
    votes.textContent = format(messages.votes, { votes: data.meta.votes }, Number(data.meta.votes));
    meta.append(votes);
  }
  item.append(meta);

  if (parts && parts.authors.length) {
    const authors = document.createElement("p");
    authors.className = "dp-result__authors";
    appendPieces(authors, parts.authors, parts.joiner);
    item.append(authors);
  }
  const excerpt = document.createElement("p");
  excerpt.className = "dp-result__excerpt";
  if (parts && parts.excerpt.length) {
    appendPieces(excerpt, parts.excerpt, parts.joiner);
  } else {
    appendExcerpt(excerpt, data.excerpt || "");
  }
  item.append(excerpt);
  return item;
}

async function showMore(current) {
  const slice = results.slice(shown, shown + PAGE_SIZE);
  const data = await Promise.all(slice.map((result) => result.data()));
  if (current !== generation) return;
  for (const entry of data) list.append(renderResult(entry));
  shown += slice.length;
  more.hidden = shown >= results.length;
}

async function run() {
  const current = ++generation;
  writeAddress();
  const { query, filters, sort } = formState();
  if (!query && Object.keys(filters).length === 0) {
    results = [];
    list.replaceChildren();
    more.hidden = true;
    status.textContent = messages.prompt;
    return;
  }
  status.textContent = messages.searching;
  let search;
  try {
    const engine = await loadPagefind();
    const options = { filters };
    // Without words there is no relevance: a filter alone lists the newest first.
    const order = sort || (query ? "" : "date");
    if (order) options.sort = { [order]: "desc" };
    search = await engine.search(query || null, options);
  } catch (error) {
    if (current === generation) status.textContent = messages.failed;
    console.warn("daily-papers search:", error);
    return;
  }
  if (current !== generation || search === null) return;
  results = search.results;
  shown = 0;
  list.replaceChildren();
  await showMore(current);
  if (current !== generation) return;
  status.textContent = results.length
    ? format(messages.count, { count: results.length.toLocaleString(language) }, results.length)
    : messages.none;
}

function later() {
  window.clearTimeout(timer);
  timer = window.setTimeout(run, DEBOUNCE_MS);
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  window.clearTimeout(timer);
  run();
});
input.addEventListener("input", later);
form.addEventListener("change", (event) => {
  if (event.target === input) return;
  if (event.target.name === "year") limitMonths();
  window.clearTimeout(timer);
  run();
});
more.addEventListener("click", () => showMore(generation));

document.querySelector(".dp-search__nojs")?.remove();
readAddress();
limitMonths();
input.focus();
run();
