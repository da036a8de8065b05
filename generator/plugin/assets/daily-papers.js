// On every page: "/" or "s" puts the cursor in the search box, as on Material's own
// search: the search page's own box where there is one, else the header's. Escape
// leaves it. Nothing else runs here; the search itself is search.js on the search page.
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
