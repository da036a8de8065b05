// The thin frame's palette: the colours the reader chose, set on <body> before the page
// is painted, so a dark choice never flashes light. Material prints the same few lines
// inline in every page; the thin frame loads them from this one file, right after its
// palette inputs (the script reads them), and the browser keeps it after the first page.
(function () {
  var palette;
  try {
    palette = __md_get("__palette");
  } catch (error) {
    return; // the site may not use the browser's storage: the default colours
  }
  if (!palette || !palette.color) return;
  var color = palette.color;
  if (color.media === "(prefers-color-scheme)") {
    var scheme = matchMedia("(prefers-color-scheme: light)").matches ? "light" : "dark";
    var input = document.querySelector(
      "[data-md-color-media='(prefers-color-scheme: " + scheme + ")']"
    );
    if (input) {
      ["media", "scheme", "primary", "accent"].forEach(function (key) {
        color[key] = input.getAttribute("data-md-color-" + key);
      });
    }
  }
  Object.keys(color).forEach(function (key) {
    document.body.setAttribute("data-md-color-" + key, color[key]);
  });
})();
