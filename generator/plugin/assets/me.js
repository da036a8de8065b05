// The reader's own page (me/): the newest papers of what they follow (from the follow
// index, api/follow.json and its shards), what they follow and mute, with a way to undo
// each, and their reading list with a note per paper, exported as BibTeX (the entries
// the papers' own pages print), as Markdown links, or as a link that carries the list
// (in the address's fragment, which browsers never send) and imports it elsewhere.
//
// Everything shown is set as text; an address from storage, the index or a list's link
// is used only when it stays below the site's root (reader.js: onSite).

import { followed, format, fromRoot, load, onSite, refresh, storage, store } from "./reader.js";

const page = document.querySelector(".dp-me");
const messages = JSON.parse(document.getElementById("dp-me-messages").textContent);
const say = (key, values = {}) => format(messages[key], values);
const part = (selector) => page.querySelector(selector);
// A list travels as "#list=" and deflated JSON in base64url ("j" when the browser has
// no CompressionStream, plain).
const LIST = "#list=";
// Imported lists are cut to this many papers, and their texts to these lengths.
const LIST_MAX = 500;
const TEXT_MAX = 2000;

function element(name, text, attributes = {}) {
  const node = document.createElement(name);
  if (text !== undefined) node.textContent = text;
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
  return node;
}

const dateText = (date) =>
  new Date(`${date}T00:00:00`).toLocaleDateString(document.documentElement.lang || undefined, {
    year: "numeric",
    month: "short",
    day: "numeric",
  });

function line(item) {
  const entry = element("li");
  entry.append(element("a", item.title, { href: item.url.href }), " ");
  entry.append(element("span", dateText(item.date), { class: "dp-date" }));
  return entry;
}

async function showFeed(state) {
  const status = part(".dp-me__feed-status");
  const list = part(".dp-me__feed");
  list.replaceChildren();
  if (!Object.keys(state.follow).length) {
    status.textContent = say("me_start");
    return {};
  }
  status.textContent = say("me_loading");
  try {
    const { items, counts, previous, fresh } = await followed(state, new URL(page.dataset.index, window.location.href));
    for (const item of items) {
      const entry = line(item);
      if (item.votes !== null) entry.append(" ", element("span", say("votes", { votes: item.votes, count: item.votes }), { class: "dp-votes" }));
      if (previous && item.date > previous) {
        entry.classList.add("dp-me__new");
        entry.append(" ", element("strong", say("me_new"), { class: "dp-new-mark" }));
      }
      const names = item.because.map((key) => state.follow[key]).join(", ");
      entry.append(element("br"), element("span", say("me_because", { names }), { class: "dp-why" }));
      list.append(entry);
    }
    status.textContent = say("me_feed_count", { count: items.length, new: fresh });
    return counts;
  } catch {
    status.textContent = say("me_failed");
    return {};
  }
}

function showFollows(state, counts) {
  const list = part(".dp-me__follows");
  list.replaceChildren();
  const choices = [
    ...Object.entries(state.follow).map(([key, name]) => ["follow", key, name]),
    ...Object.entries(state.mute).map(([key, name]) => ["mute", key, name]),
  ];
  if (!choices.length) list.append(element("li", say("me_follows_empty")));
  for (const [kind, key, name] of choices) {
    const entry = element("li", `${say(`me_kind_${key[0]}`)} · ${kind === "mute" ? say("mute") : say("follow")}: `);
    entry.append(element("bdi", name));
    if (kind === "follow" && key in counts) entry.append(` (${say("me_follow_count", { count: counts[key] })})`);
    const undo = element("button", say(kind === "follow" ? "me_unfollow" : "me_unmute", { name }), { type: "button", class: "dp-button dp-me__undo" });
    undo.addEventListener("click", () => {
      const current = load();
      delete current[kind][key];
      store(current);
      show();
    });
    entry.append(" ", undo);
    list.append(entry);
  }
}

function showList(state) {
  const list = part(".dp-me__list");
  list.replaceChildren();
  const saved = state.saved.filter((item) => onSite(item.url));
  part(".dp-me__list-status").textContent = saved.length
    ? say("me_list_count", { count: saved.length })
    : say("me_list_empty");
  part(".dp-me__exports").hidden = !saved.length;
  for (const item of saved) {
    const entry = line({ ...item, url: onSite(item.url) });
    const note = element("textarea", undefined, { rows: "2", "aria-label": say("me_note", { title: item.title }), placeholder: say("me_note_hint"), class: "dp-me__note" });
    note.value = item.note || "";
    note.addEventListener("change", () => {
      const current = load();
      const kept = current.saved.find((other) => other.id === item.id);
      if (kept) kept.note = note.value;
      store(current);
    });
    const remove = element("button", say("me_remove", { title: item.title }), { type: "button", class: "dp-button dp-me__undo" });
    remove.addEventListener("click", () => {
      const current = load();
      current.saved = current.saved.filter((other) => other.id !== item.id);
      store(current);
      show();
    });
    entry.append(element("br"), note, " ", remove);
    list.append(entry);
  }
}

async function show() {
  const state = load();
  refresh(state);
  showList(state);
  showFollows(state, {});
  showFollows(state, await showFeed(state));
}

// Control and format characters (bidi overrides among them) and the line separators:
// what neither a title nor an exported label may hold.
const INVISIBLE = /[\p{Cc}\p{Cf}\u2028\u2029]/gu;

// Text for a Markdown link's label: one line, no invisible characters, and every
// character Markdown would read as markup escaped.
const markdownText = (text) =>
  text.replace(INVISIBLE, " ").replace(/\s+/g, " ").trim().replace(/[\\`*_[\]()<>#|~!&]/g, "\\$&");

// A paper's BibTeX entry as its own page (or, without paper pages, its card) prints it.
async function citation(item) {
  const url = onSite(item.url);
  const response = await fetch(new URL(url.pathname + url.search, url));
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  const html = new DOMParser().parseFromString(await response.text(), "text/html");
  const block = html.querySelector(`pre.dp-bibtex[data-dp-id="${CSS.escape(item.id)}"]`);
  if (!block) throw new Error(`${url}: no citation`);
  return block.textContent.trim();
}

async function bibtex(saved) {
  const found = await Promise.allSettled(saved.map(citation));
  const keys = new Map();
  const entries = [];
  for (const result of found) {
    if (result.status !== "fulfilled") continue;
    // Two papers with one key (same first author, year and word) would be one to BibTeX.
    entries.push(
      result.value.replace(/^(@\w+\{)([^,\s]+),/, (_, head, key) => {
        const seen = keys.get(key) || 0;
        keys.set(key, seen + 1);
        return `${head}${seen ? key + String.fromCharCode(97 + ((seen - 1) % 26)) : key},`;
      }),
    );
  }
  return { text: entries.join("\n\n") + "\n", missing: saved.length - entries.length };
}

const markdown = (saved) =>
  saved
    .map((item) => {
      const note = item.note ? ` — ${markdownText(item.note)}` : "";
      return `- [${markdownText(item.title)}](<${onSite(item.url).href}>)${note}\n`;
    })
    .join("");

const base64url = (bytes) => btoa(String.fromCharCode(...bytes)).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
const unbase64url = (text) => Uint8Array.from(atob(text.replace(/-/g, "+").replace(/_/g, "/")), (c) => c.charCodeAt(0));
const piped = async (bytes, stream) => new Uint8Array(await new Response(new Blob([bytes]).stream().pipeThrough(stream)).arrayBuffer());

async function listLink(saved) {
  const bytes = new TextEncoder().encode(JSON.stringify(saved.map((item) => [item.id, item.title, item.url, item.date, item.note || ""])));
  const packed = typeof CompressionStream === "function" ? `z${base64url(await piped(bytes, new CompressionStream("deflate-raw")))}` : `j${base64url(bytes)}`;
  return new URL(`${window.location.pathname}${LIST}${packed}`, window.location.href).href;
}

// A list from a link, checked item by item: anything not shaped as this page writes it
// is refused whole.
async function readList(hash) {
  const packed = hash.slice(LIST.length);
  let bytes = unbase64url(packed.slice(1));
  if (packed[0] === "z") bytes = await piped(bytes, new DecompressionStream("deflate-raw"));
  else if (packed[0] !== "j") throw new Error("unknown list format");
  const rows = JSON.parse(new TextDecoder().decode(bytes));
  const text = (value) => typeof value === "string" && value.length <= TEXT_MAX;
  if (!Array.isArray(rows) || rows.length > LIST_MAX) throw new Error("not a list");
  return rows.map((row) => {
    const [id, title, url, date, note] = Array.isArray(row) ? row : [];
    const fine = text(id) && /^[\w.-]{1,64}$/.test(id) && text(title) && text(url) && onSite(url) && /^\d{4}-\d{2}-\d{2}$/.test(date) && text(note);
    if (!fine) throw new Error("not a list item");
    return { id, title: title.replace(INVISIBLE, ""), url: fromRoot(onSite(url)), date, note };
  });
}

async function offerImport() {
  if (!window.location.hash.startsWith(LIST)) return;
  const text = part(".dp-me__import-text");
  const button = part(".dp-me__import-button");
  part(".dp-me__import").hidden = false;
  let rows;
  try {
    rows = await readList(window.location.hash);
  } catch {
    text.textContent = say("me_import_bad");
    button.hidden = true;
    return;
  }
  text.textContent = say("me_import_offer", { count: rows.length });
  button.addEventListener("click", () => {
    const current = load();
    const known = new Set(current.saved.map((item) => item.id));
    const added = rows.filter((row) => !known.has(row.id));
    current.saved.push(...added);
    store(current);
    history.replaceState(null, "", window.location.pathname + window.location.search);
    button.hidden = true;
    text.textContent = say("me_imported", { count: added.length });
    show();
  });
}

async function exportAs(kind) {
  const saved = load().saved.filter((item) => onSite(item.url));
  const status = part(".dp-me__export-status");
  const output = part(".dp-me__export");
  status.textContent = "";
  let text = "";
  if (kind === "bibtex") {
    const { text: entries, missing } = await bibtex(saved);
    text = entries;
    if (missing) status.textContent = say("me_export_missing", { count: missing });
  } else if (kind === "markdown") {
    text = markdown(saved);
  } else {
    text = await listLink(saved);
  }
  output.hidden = false;
  output.querySelector("textarea").value = text;
  output.dataset.kind = kind;
}

function start() {
  document.querySelector(".dp-me__nojs").hidden = true;
  if (!storage()) {
    document.querySelector(".dp-me__storage").hidden = false;
    return;
  }
  page.hidden = false;
  for (const button of page.querySelectorAll("[data-export]")) {
    button.addEventListener("click", () => exportAs(button.dataset.export));
  }
  document.addEventListener("dp-change", show);
  offerImport();
  show();
}

start();
