/*
 * strategy-portal: the KPI list's filter box. Typing keeps the rows whose text (KPI,
 * objective, owner) holds every typed word, case- and accent-insensitively. The box is
 * `hidden` in the page and shown here, so without JS the full list shows and no dead
 * box is offered.
 */
(function () {
  "use strict";

  function fold(text) {
    return text.normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function wire() {
    document.querySelectorAll("[data-sp-filter]").forEach(function (box) {
      if (box.hasAttribute("data-sp-wired")) return;
      var input = box.querySelector("input");
      var count = box.querySelector(".sp-filter__count");
      var next = box.nextElementSibling;
      var table = next && (next.tagName === "TABLE" ? next : next.querySelector("table"));
      if (!input || !table) return;
      var rows = Array.prototype.slice.call(table.tBodies[0] ? table.tBodies[0].rows : []);
      var texts = rows.map(function (row) { return fold(row.textContent); });
      function apply() {
        var words = fold(input.value).split(/\s+/).filter(Boolean);
        var shown = 0;
        rows.forEach(function (row, n) {
          var keep = words.every(function (w) { return texts[n].indexOf(w) >= 0; });
          row.hidden = !keep;
          if (keep) shown += 1;
        });
        count.textContent = words.length ? shown + " of " + rows.length + " KPIs" : "";
      }
      input.addEventListener("input", apply);
      box.hidden = false;
      box.setAttribute("data-sp-wired", "");
      apply();
    });
  }

  if (window.document$ && window.document$.subscribe) {
    window.document$.subscribe(wire);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", wire);
  } else {
    wire();
  }
})();
