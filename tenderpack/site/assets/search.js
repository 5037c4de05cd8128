/* Pagefind's search UI, told where the site's root is so that it works in any folder of any static host. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") { return; }
  if (window.location.protocol === "file:") {
    // browsers refuse the index's requests from a page opened from disk: say so instead of failing
    var note = document.createElement("p");
    note.className = "note";
    note.textContent = "Search works when the site is served over http (tenderpack serve, or any web server); " +
      "opened from disk, browse the clause table instead.";
    box.appendChild(note);
    return;
  }
  var root = new URL(box.getAttribute("data-root") || "./", window.location.href);
  new PagefindUI({
    element: "#search",
    bundlePath: root.pathname + "pagefind/",
    baseUrl: root.pathname,
    showSubResults: false,
    showImages: false,
    resetStyles: false,
    translations: { placeholder: "Search clauses, questions, references" }
  });
  // a visible label for Pagefind's input (it has only a placeholder and a title)
  var label = document.createElement("label");
  label.className = "search-label";
  label.htmlFor = "search-input";
  label.textContent = "Search the catalogue";
  box.insertBefore(label, box.firstChild);
  (function name() {
    var input = box.querySelector("input");
    if (input) { input.id = "search-input"; } else { window.setTimeout(name, 50); }
  }());
}());
