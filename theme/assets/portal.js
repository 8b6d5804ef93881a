/*
 * strategy-portal: small accessibility fixes that CSS alone cannot make.
 *
 * A box that scrolls sideways (a wide KPI table, the map on a phone) must be reachable by
 * keyboard, or keyboard users cannot see its hidden part (axe: scrollable-region-focusable).
 * Only boxes that actually overflow get a tab stop, re-checked when the window resizes.
 */
(function () {
  "use strict";

  var SELECTOR = ".md-typeset__scrollwrap, .sp-map, .sp-chart";

  function label(box) {
    if (box.classList.contains("sp-map")) return "Strategy map (scrolls sideways)";
    if (box.classList.contains("sp-chart")) return "Chart (scrolls sideways)";
    return "Table (scrolls sideways)";
  }

  function update() {
    document.querySelectorAll(SELECTOR).forEach(function (box) {
      var scrolls = box.scrollWidth > box.clientWidth + 1;
      if (scrolls && !box.hasAttribute("tabindex")) {
        box.setAttribute("tabindex", "0");
        box.setAttribute("role", "region");
        box.setAttribute("aria-label", label(box));
        box.setAttribute("data-sp-scroll", "");
      } else if (!scrolls && box.hasAttribute("data-sp-scroll")) {
        ["tabindex", "role", "aria-label", "data-sp-scroll"].forEach(function (name) {
          box.removeAttribute(name);
        });
      }
    });
  }

  var pending = null;
  window.addEventListener("resize", function () {
    window.clearTimeout(pending);
    pending = window.setTimeout(update, 150);
  });
  if (window.document$ && window.document$.subscribe) {
    // Instant navigation swaps page content without a load event: re-check on every page.
    window.document$.subscribe(update);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", update);
  } else {
    update();
  }
})();

/*
 * The map page's "Full screen" button: the map's box alone on the whole screen, for
 * presenting (the CSS fits the map to the screen's height). Esc leaves, as browsers do.
 * Delegated from the document, so it works after instant navigation too.
 */
(function () {
  "use strict";

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("[data-sp-fullscreen]");
    if (!button) return;
    var map = document.querySelector(".sp-map--full");
    if (!map) return;
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (map.requestFullscreen) {
      map.requestFullscreen().catch(function () {});
    }
  });
})();
