// On every page: what the reader follows, mutes and saves, kept in this browser only
// (localStorage, one entry per site: its root's path), never sent anywhere. Buttons are
// in the pages' HTML, hidden until this shows them, so without script (or storage) pages
// read as they always did. Here: the follow, mute and save buttons and their pressed
// state, papers of a muted topic or keyword folded, the BibTeX copy button, the visit
// dates "new" is counted from, and the home page's count of new papers. me.js (the
// reader's own page) imports the rest from here.
//
// Record text only ever becomes text (textContent, attributes through the DOM), and an
// address is followed only when it stays below the site's root.

const root = new URL("../", import.meta.url);
const KEY = `daily-papers:${root.pathname}`;
const VERSION = 1;

// The browser's storage, or null where the site may not use it (a private window, a
// blocked site): then nothing is shown that would need it.
export function storage() {
  try {
    const store = window.localStorage;
    store.setItem(`${KEY}:probe`, "1");
    store.removeItem(`${KEY}:probe`);
    return store;
  } catch {
    return null;
  }
}

const isObject = (value) => value !== null && typeof value === "object" && !Array.isArray(value);

// The reader's choices: follow and mute as {key: name}, saved papers in the order saved,
// and the visit dates. Anything unreadable starts again empty, part by part.
export function load() {
  let state = {};
  try {
    state = JSON.parse(storage()?.getItem(KEY) || "{}");
  } catch {
    // a value some other script wrote: start again
  }
  if (!isObject(state)) state = {};
  return {
    version: VERSION,
    follow: isObject(state.follow) ? state.follow : {},
    mute: isObject(state.mute) ? state.mute : {},
    saved: Array.isArray(state.saved) ? state.saved.filter(isObject) : [],
    visit: isObject(state.visit) ? state.visit : {},
  };
}

export function store(state) {
  try {
    storage()?.setItem(KEY, JSON.stringify(state));
  } catch {
    // full or gone since the page loaded: the page still shows the change
  }
}

// A URL from the site's root (as the follow index and the saved papers keep them) as an
// address on this site, or null for one that would leave it.
export function onSite(path) {
  try {
    const url = new URL(path, root);
    return url.origin === root.origin && url.pathname.startsWith(root.pathname) ? url : null;
  } catch {
    return null;
  }
}

export const fromRoot = (url) => url.href.slice(root.href.length);

// The reader's local date, YYYY-MM-DD: Daily Papers days are dates.
function today() {
  const now = new Date();
  const pad = (number) => String(number).padStart(2, "0");
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

// A visit is a day the reader opened the site; "new" is what was listed after the day of
// their visit before this one.
function visit(state) {
  const day = today();
  if (state.visit.current !== day) {
    state.visit = { previous: state.visit.current, current: day };
    store(state);
  }
}

// 32-bit FNV-1a of the key's UTF-8: which shard of the follow index holds it
// (follows.py computes the same).
function fnv1a(text) {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(text)) {
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  }
  return hash;
}

async function json(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

// The newest papers of everything followed, newest day first, each with the keys that
// brought it, how many papers each key has, and how many are new since the previous
// visit: from the follow index, one shard per key (each keeps its key's newest `limit`,
// so the newest `limit` of all are exact).
export async function followed(state, indexUrl) {
  const index = await json(indexUrl);
  const keys = Object.keys(state.follow);
  const numbers = [...new Set(keys.map((key) => fnv1a(key) % index.shards))];
  const shards = new Map(
    await Promise.all(
      numbers.map(async (number) => [number, await json(new URL(`follow/${number}.json`, indexUrl))]),
    ),
  );
  const papers = new Map();
  const counts = {};
  for (const key of keys) {
    const [count, entries] = shards.get(fnv1a(key) % index.shards)[key] || [0, []];
    counts[key] = count;
    for (const [id, date, title, votes, path] of entries) {
      const url = onSite(path);
      if (!url) continue;
      if (!papers.has(id)) papers.set(id, { id, date, title, votes, url, because: [] });
      papers.get(id).because.push(key);
    }
  }
  // follows.newest_first's order: newest day, most votes, then id as Python compares
  // strings (code points; localeCompare would not, and the lists are cut in that order).
  const byCodePoint = (a, b) => (a < b ? -1 : a > b ? 1 : 0);
  const order = (a, b) =>
    byCodePoint(b.date, a.date) || (b.votes || 0) - (a.votes || 0) || byCodePoint(a.id, b.id);
  const items = [...papers.values()].sort(order);
  // New: listed after the previous visit, among every paper loaded (each key's newest
  // `limit`), so a count is right up to `limit` papers a key.
  const previous = state.visit.previous;
  const fresh = previous ? items.filter((item) => item.date > previous).length : 0;
  return { items: items.slice(0, index.limit), counts, previous, fresh };
}

// A message is a template, or templates by plural category, chosen by `number` (the
// `count` value unless given: search.js fills counts in already written out).
const plurals = new Intl.PluralRules(document.documentElement.lang || "en");
export function format(message, values, number = values.count) {
  const template =
    typeof message === "string" ? message : message[plurals.select(number)] || message.other;
  return template.replace(/\{(\w+)\}/g, (_, name) => String(values[name]));
}

function press(selector, on) {
  for (const button of document.querySelectorAll(selector)) {
    button.hidden = false;
    button.setAttribute("aria-pressed", String(on(button)));
  }
}

// A paper page's keyword chips get their follow (+) and mute (−) buttons here rather than
// in 30,000 pages' HTML, named by the messages on their paragraph.
function chipButtons() {
  for (const line of document.querySelectorAll(".dp-keywords[data-follow]")) {
    for (const chip of line.querySelectorAll(".dp-chip[data-dp-key]")) {
      const keyword = chip.textContent;
      for (const [part, sign, message] of [["Follow", "+", line.dataset.follow], ["Mute", "−", line.dataset.mute]]) {
        const button = document.createElement("button");
        button.type = "button";
        button.className = "dp-chip__button";
        button.textContent = sign;
        button.dataset[`dp${part}`] = chip.dataset.dpKey;
        button.dataset.dpName = keyword;
        button.setAttribute("aria-label", format(message, { keyword }));
        chip.append(button);
      }
    }
  }
}

// Every button's state from the storage, and the muted papers folded.
export function refresh(state) {
  press("[data-dp-follow]", (button) => button.dataset.dpFollow in state.follow);
  press("[data-dp-mute]", (button) => button.dataset.dpMute in state.mute);
  const saved = new Set(state.saved.map((item) => item.id));
  press("[data-dp-save]", (button) => saved.has(button.dataset.dpSave));
  const bar = document.getElementById("dp-muted");
  for (const card of document.querySelectorAll("article[data-dp-keys]")) {
    const muted = card.dataset.dpKeys.split("\n").some((key) => key in state.mute);
    const shown = card.querySelector(":scope > .dp-muted__bar");
    card.classList.toggle("dp-muted", muted);
    if (muted && !shown && bar) card.prepend(bar.content.cloneNode(true));
    if (!muted) {
      shown?.remove();
      card.classList.remove("dp-muted--open");
    }
  }
}

function toggle(state, part, key, name) {
  if (key in state[part]) delete state[part][key];
  else state[part][key] = name;
}

function toggleSaved(state, button) {
  const id = button.dataset.dpSave;
  const index = state.saved.findIndex((item) => item.id === id);
  if (index >= 0) {
    state.saved.splice(index, 1);
    return;
  }
  const url = onSite(new URL(button.dataset.dpUrl, window.location.href).href);
  const heading = button.closest("article")?.querySelector("h1, h2");
  if (!url || !heading) return;
  const title = heading.textContent.trim();
  state.saved.push({ id, title, url: fromRoot(url), date: button.dataset.dpDate, note: "" });
}

async function copyCitation(button) {
  const block = document.querySelector(`pre.dp-bibtex[data-dp-id="${CSS.escape(button.dataset.dpCopy)}"]`);
  try {
    await navigator.clipboard.writeText(block.textContent);
    button.textContent = button.dataset.copied;
  } catch {
    window.getSelection().selectAllChildren(block);
  }
}

async function countNew(state) {
  const line = document.querySelector(".dp-new[data-index]");
  if (!line || !Object.keys(state.follow).length || !state.visit.previous) return;
  try {
    const { fresh: count } = await followed(state, new URL(line.dataset.index, window.location.href));
    if (!count) return;
    line.querySelector("a").textContent = format(JSON.parse(line.dataset.message), { count });
    line.hidden = false;
  } catch {
    // the count is a courtesy: the page is whole without it
  }
}

function start() {
  // Copying needs no storage (without the clipboard, the entry is selected instead).
  for (const button of document.querySelectorAll("[data-dp-copy]")) {
    button.hidden = false;
    button.addEventListener("click", () => copyCitation(button));
  }
  if (!storage()) return;
  const state = load();
  visit(state);
  chipButtons();
  refresh(state);
  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    const button = target?.closest("button");
    if (!button) return;
    const current = load();
    if (button.dataset.dpFollow) {
      toggle(current, "follow", button.dataset.dpFollow, button.dataset.dpName);
    } else if (button.dataset.dpMute) {
      toggle(current, "mute", button.dataset.dpMute, button.dataset.dpName);
    } else if (button.dataset.dpSave) {
      toggleSaved(current, button);
    } else if (button.classList.contains("dp-muted__show")) {
      const open = button.closest("article").classList.toggle("dp-muted--open");
      button.setAttribute("aria-expanded", String(open));
      return;
    } else {
      return;
    }
    store(current);
    refresh(current);
    document.dispatchEvent(new CustomEvent("dp-change"));
  });
  countNew(state);
}

start();
