/*
 * strategy-portal: put each KPI chart's SVG itself in the page.
 *
 * A KPI chart is written as a file beside its page and shown by
 * <img src="chart.svg" data-sp-inline-svg alt="...">, which keeps pages light for
 * MkDocs. An <img> shows the SVG as a picture only: its text and axes drawn in
 * currentColor cannot follow the page, and screen readers get the alt text alone.
 * Here each such <img> is replaced by the fetched SVG, so the chart's own
 * <title>, <desc> and text reach screen readers and its colours follow the page.
 * Without JavaScript (or if the fetch fails) the <img> and its alt text stay.
 * Runs on load and again after each page change of Material's instant navigation.
 */
(function () {
  "use strict";

  function inline(img) {
    if (img.dataset.spInlined) return;
    img.dataset.spInlined = "pending";
    fetch(img.currentSrc || img.src, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        return response.text();
      })
      .then(function (text) {
        var doc = new DOMParser().parseFromString(text, "image/svg+xml");
        var svg = doc.documentElement;
        if (!svg || svg.nodeName.toLowerCase() !== "svg" || doc.querySelector("parsererror")) return;
        // An SVG file is our own (render stage); nothing in it may run, even so.
        svg.querySelectorAll("script, foreignObject").forEach(function (node) { node.remove(); });
        if (img.isConnected) img.replaceWith(document.importNode(svg, true));
      })
      .catch(function () {
        img.dataset.spInlined = "failed"; // the <img> and its alt text stay
      });
  }

  function inlineAll() {
    document.querySelectorAll("img[data-sp-inline-svg]").forEach(inline);
  }

  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(inlineAll); // every page, instant navigation included
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", inlineAll);
  } else {
    inlineAll();
  }
})();
