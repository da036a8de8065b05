// The search page: runs the form's query on Pagefind's index and lists the results.
//
// The address is the state: ?q=, the filters and the sort are read from it on load and
// written back as the reader types, so a search can be bookmarked and shared. Pagefind's
// bundle is found below the site's root (the form's data-root, a URL relative to this
// page), so the site works under any path prefix, as GitHub project Pages serve it.
//
// Every value from the index is record text, which is untrusted: it is only ever set as
// text (textContent, attributes through the DOM). Pagefind marks the matched words of
// an excerpt with <mark> in otherwise raw text, so the excerpt is split on those two
// tokens and each piece becomes a text node; nothing from the index is parsed as HTML.

const PAGE_SIZE = 10;
const DEBOUNCE_MS = 200;

const form = document.querySelector("form.dp-search");
const input = form.querySelector("input[name=q]");
const status = document.querySelector(".dp-search__status");
const list = document.querySelector(".dp-results");
const more = document.querySelector(".dp-results__more");
const messages = JSON.parse(document.getElementById("dp-search-messages").textContent);
const root = new URL(form.dataset.root, window.location.href);
const fields = ["q", "year", "month", "org", "code", "sort"];

let pagefind = null;
let results = [];
let shown = 0;
let generation = 0;
let timer = 0;

function format(template, values) {
  return template.replace(/\{(\w+)\}/g, (_, key) => String(values[key]));
}

async function loadPagefind() {
  if (pagefind === null) {
    pagefind = await import(new URL("pagefind/pagefind.js", root).href);
    await pagefind.options({ excerptLength: 30 });
    pagefind.init();
  }
  return pagefind;
}

function formState() {
  const data = new FormData(form);
  const value = (name) => String(data.get(name) || "").trim();
  const filters = {};
  for (const name of ["year", "month", "org", "code"]) {
    if (value(name)) filters[name] = value(name);
  }
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

function koreanDate(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  return format(messages.date, { year, month, day });
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
  const title = document.createElement("span");
  title.className = "dp-result__title";
  title.textContent = data.meta.title || href || "";
  link.append(title);
  item.append(link);

  const meta = document.createElement("p");
  meta.className = "dp-result__meta";
  if (data.meta.date) {
    const date = document.createElement("span");
    date.textContent = koreanDate(data.meta.date);
    meta.append(date);
  } else {
    const kind = document.createElement("span");
    kind.textContent = messages.page;
    meta.append(kind);
  }
  if (data.meta.votes) {
    const votes = document.createElement("span");
    votes.className = "dp-votes";
    votes.textContent = format(messages.votes, { votes: data.meta.votes });
    meta.append(votes);
  }
  item.append(meta);

  const excerpt = document.createElement("p");
  excerpt.className = "dp-result__excerpt";
  appendExcerpt(excerpt, data.excerpt || "");
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
    ? format(messages.count, { count: results.length.toLocaleString("ko-KR") })
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
