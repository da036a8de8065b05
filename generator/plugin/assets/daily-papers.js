// On every page: "/" or "s" puts the cursor in the search box, as on Material's own
// search: the search page's own box where there is one, else the header's. Escape
// leaves it. A card's link control copies the paper's address. Nothing else runs here;
// the search itself is search.js on the search page.
document.addEventListener("keydown", (event) => {
  const target = event.target;
  const typing = target instanceof HTMLElement
    && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName));
  if (event.key === "Escape" && typing && target.closest(".dp-search-box, .dp-search")) {
    target.blur();
    return;
  }
  if (typing || event.ctrlKey || event.metaKey || event.altKey) return;
  if (event.key !== "/" && event.key !== "s") return;
  const box = [...document.querySelectorAll("#dp-q, .dp-search-box input")]
    .find((element) => element.offsetParent !== null);
  if (box) {
    event.preventDefault();
    box.focus();
    box.select();
  }
});

// A card's "link" control: a plain link without script (to the paper's own page, or to
// the card's anchor where papers have no page); with it, that full address is copied and
// the control says so. Only an anchor on this page also becomes the page's address.
document.addEventListener("click", async (event) => {
  const control = event.target instanceof Element && event.target.closest(".dp-permalink");
  if (!control || !navigator.clipboard) return;
  event.preventDefault();
  const href = control.getAttribute("href");
  const address = new URL(href, window.location.href).href;
  if (href.startsWith("#")) history.replaceState(null, "", address);
  try {
    await navigator.clipboard.writeText(address);
    control.textContent = control.dataset.copied;
  } catch {
    window.location.href = address;
  }
});
