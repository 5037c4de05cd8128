/* The clause table's filters: read from the page address (query, or hash where a browser keeps file://
   addresses from changing), applied to the rows, written back to the address. Without JavaScript the
   form stays hidden and the whole table shows. */
(function () {
  "use strict";
  var form = document.getElementById("filters");
  var table = document.getElementById("clause-table");
  if (!form || !table) { return; }
  var names = ["category", "stage", "type", "level", "profile", "lang", "status"];
  var rows = Array.prototype.slice.call(table.tBodies[0].rows);
  var count = document.getElementById("count");

  function fromAddress() {
    var params = new URLSearchParams(window.location.search);
    var hash = window.location.hash.replace(/^#/, "");
    if (hash.indexOf("=") > 0) {
      new URLSearchParams(hash).forEach(function (value, key) { params.set(key, value); });
    }
    return params;
  }

  function chosen() {
    var out = {};
    names.forEach(function (name) {
      var value = form.elements[name].value;
      if (value) { out[name] = value; }
    });
    return out;
  }

  function apply() {
    var want = chosen();
    var shown = 0;
    rows.forEach(function (row) {
      var ok = Object.keys(want).every(function (name) {
        return (row.getAttribute("data-" + name) || "").split(" ").indexOf(want[name]) >= 0;
      });
      row.hidden = !ok;
      if (ok) { shown += 1; }
    });
    count.textContent = shown + " of " + rows.length + " clauses shown.";
    return want;
  }

  function writeAddress(want) {
    var query = new URLSearchParams(want).toString();
    var url = window.location.pathname + (query ? "?" + query : "");
    try {
      window.history.replaceState(null, "", url);
    } catch (e) {
      window.location.hash = query;  // file:// pages may not change their query: keep the filters in the hash
    }
  }

  var params = fromAddress();
  names.forEach(function (name) {
    var select = form.elements[name];
    var value = params.get(name);
    if (value && Array.prototype.some.call(select.options, function (o) { return o.value === value; })) {
      select.value = value;
    }
  });
  form.hidden = false;
  apply();
  form.addEventListener("change", function () { writeAddress(apply()); });
  form.addEventListener("submit", function (event) { event.preventDefault(); writeAddress(apply()); });
  form.addEventListener("reset", function () {
    window.setTimeout(function () { writeAddress(apply()); }, 0);
  });
}());
