/*
 * strategy-portal: let Material's instant navigation handle the strategy map's links.
 *
 * Instant navigation treats every [href] as an HTML link: it resolves relative links with
 * `el.href = el.href`, skips a clicked link whose `target` is set, and reads
 * `new URL(el.href)`. On an SVG <a> (every box of the map) `href` is a read-only
 * SVGAnimatedString, so the first throws and stops the page set-up and the last is not a
 * URL; `target` is an object too, which reads as "opens in a new window". Here SVG links
 * read `href` and `target` as strings, as an HTML <a> does, and write `href` as the
 * attribute. Loaded before Material's bundle; nothing else on the page uses these
 * properties of SVG links.
 */
(function () {
  "use strict";
  if (typeof SVGAElement === "undefined") return;
  Object.defineProperty(SVGAElement.prototype, "href", {
    configurable: true,
    get: function () {
      var value = this.getAttribute("href") || this.getAttributeNS("http://www.w3.org/1999/xlink", "href") || "";
      return new URL(value, this.ownerDocument.baseURI).href;
    },
    set: function (value) {
      this.setAttribute("href", String(value));
    },
  });
  Object.defineProperty(SVGAElement.prototype, "target", {
    configurable: true,
    get: function () {
      return this.getAttribute("target") || "";
    },
  });
})();
