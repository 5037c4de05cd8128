/* Pagefind's search UI, told where the site's root is so that it works in any folder of any static host. */
(function () {
  "use strict";
  var box = document.getElementById("search");
  if (!box || typeof PagefindUI === "undefined") { return; }
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
}());
