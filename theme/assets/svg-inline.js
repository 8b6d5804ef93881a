/*
 * strategy-portal: put each SVG file shown by <img data-sp-inline-svg> itself in the page.
 *
 * KPI charts and the strategy map are written as files (a chart beside its page, the map
 * once per unit) and shown by <img src="../csat.svg" data-sp-inline-svg alt="...">, which
 * keeps pages light for MkDocs and the same while the data changes. An <img> shows the SVG
 * as a picture only: its links do not work, its text and colours cannot follow the page,
 * and screen readers get the alt text alone. Here each such <img> is replaced by the
 * fetched SVG, so its own <title>, <desc>, text and links reach the reader and its colours
 * follow the page. A link inside the file is written relative to the file (one map serves
 * pages at any depth): it is resolved against the file's address here. Without
 * JavaScript (or if the fetch fails) the <img> and its alt text stay.
 * Runs on load and again after each page change of Material's instant navigation.
 */
(function () {
  "use strict";

  var XLINK = "http://www.w3.org/1999/xlink";

  // Links relative to the file, made absolute; anything but a web address is dropped.
  function resolveLinks(svg, base) {
    svg.querySelectorAll("a").forEach(function (link) {
      var href = link.getAttribute("href") || link.getAttributeNS(XLINK, "href");
      link.removeAttributeNS(XLINK, "href");
      link.removeAttribute("href");
      if (!href) return;
      var url;
      try {
        url = new URL(href, base);
      } catch (error) {
        return;
      }
      if (/^(https?|file):$/.test(url.protocol)) link.setAttribute("href", url.href);
    });
  }

  function inline(img) {
    if (img.dataset.spInlined) return;
    img.dataset.spInlined = "pending";
    var base = img.currentSrc || img.src;
    fetch(base, { credentials: "same-origin" })
      .then(function (response) {
        if (!response.ok) throw new Error(String(response.status));
        if (response.url) base = response.url;
        return response.text();
      })
      .then(function (text) {
        var doc = new DOMParser().parseFromString(text, "image/svg+xml");
        var svg = doc.documentElement;
        if (!svg || svg.nodeName.toLowerCase() !== "svg" || doc.querySelector("parsererror")) {
          throw new Error("not an SVG");
        }
        // An SVG file is our own (render stage); nothing in it may run, even so.
        svg.querySelectorAll("script, foreignObject").forEach(function (node) { node.remove(); });
        resolveLinks(svg, base);
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
