/*
 * strategy-portal present mode: slides that scale to the screen, keys as reveal.js users know
 * them, a URL per slide, a presenter view with notes, the next slide and a clock.
 *
 * The page is plain HTML written by the generator (present/index.html): every slide is a
 * <section class="slide" id="..."> holding an <aside class="notes">. Nothing here loads a
 * file from anywhere: the presentation works offline and from a file:// copy.
 */
(function () {
  "use strict";

  var WIDTH = 1280;
  var HEIGHT = 720;
  var deck = document.getElementById("deck");
  if (!deck) return;
  var slides = Array.prototype.slice.call(deck.querySelectorAll(":scope > .slide"));
  if (!slides.length) return;

  var presenter = /(?:^|[?&])view=presenter(?:&|$)/.test(location.search);
  var channel = "BroadcastChannel" in window ? new BroadcastChannel("sp-present:" + location.pathname) : null;
  var current = -1;
  var started = Date.now();

  function indexOfHash() {
    var id = decodeURIComponent(location.hash.replace(/^#/, ""));
    for (var i = 0; i < slides.length; i++) if (slides[i].id === id) return i;
    return 0;
  }

  function show(index, broadcast) {
    index = Math.max(0, Math.min(slides.length - 1, index));
    if (index === current) return;
    current = index;
    slides.forEach(function (slide, i) {
      var on = i === index;
      slide.hidden = !on;
      slide.classList.toggle("is-current", on);
      slide.setAttribute("aria-hidden", on ? "false" : "true");
    });
    // The address follows the slide, so a reload or a shared link opens the same one.
    history.replaceState(null, "", location.pathname + location.search + "#" + encodeURIComponent(slides[index].id));
    var counter = document.getElementById("sp-counter");
    if (counter) counter.textContent = index + 1 + " / " + slides.length;
    var bar = document.getElementById("sp-progress");
    if (bar) bar.style.width = ((index + 1) / slides.length) * 100 + "%";
    document.title = slides[index].getAttribute("data-title") + " \u2013 " + deck.getAttribute("data-title");
    if (presenter) updatePresenter();
    if (broadcast !== false && channel) channel.postMessage({ index: index });
  }

  function fit() {
    var box = presenter ? document.getElementById("sp-stage") : document.documentElement;
    var width = presenter ? box.clientWidth : window.innerWidth;
    var height = presenter ? box.clientHeight : window.innerHeight;
    deck.style.setProperty("--sp-scale", String(Math.min(width / WIDTH, height / HEIGHT)));
    var next = document.getElementById("sp-next");
    if (next) next.style.setProperty("--sp-scale", String(Math.min(next.clientWidth / WIDTH, next.clientHeight / HEIGHT)));
  }

  function toggleFullscreen() {
    if (document.fullscreenElement) {
      document.exitFullscreen();
    } else if (document.documentElement.requestFullscreen) {
      document.documentElement.requestFullscreen().catch(function () {});
    }
  }

  function openPresenter() {
    var url = location.pathname + "?view=presenter" + location.hash;
    window.open(url, "sp-presenter", "width=1280,height=800");
  }

  function backToPortal() {
    location.href = deck.getAttribute("data-portal") || "../";
  }

  var KEYS = {
    ArrowRight: 1, ArrowDown: 1, PageDown: 1, " ": 1, n: 1, N: 1,
    ArrowLeft: -1, ArrowUp: -1, PageUp: -1, p: -1, P: -1,
  };

  function onKey(event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    var key = event.key;
    if (key === " " && event.shiftKey) key = "PageUp";
    if (KEYS[key]) {
      show(current + KEYS[key]);
    } else if (key === "Home") {
      show(0);
    } else if (key === "End") {
      show(slides.length - 1);
    } else if (key === "f" || key === "F") {
      toggleFullscreen();
    } else if (key === "s" || key === "S") {
      if (!presenter) openPresenter();
    } else if (key === "Escape") {
      if (!document.fullscreenElement && !presenter) backToPortal();
    } else {
      return;
    }
    event.preventDefault();
  }

  // -- presenter view: the current slide, the next one, the notes and a clock --------------

  function updatePresenter() {
    var notes = document.getElementById("sp-notes");
    var source = slides[current].querySelector(".notes");
    notes.innerHTML = "";
    if (source) notes.appendChild(source.cloneNode(true)).hidden = false;
    var next = document.getElementById("sp-next");
    next.innerHTML = "";
    if (current + 1 < slides.length) {
      var copy = slides[current + 1].cloneNode(true);
      copy.removeAttribute("id");
      copy.hidden = false;
      copy.setAttribute("aria-hidden", "true");
      next.appendChild(copy);
    } else {
      next.textContent = "End of the presentation";
    }
    fit();
  }

  function two(n) {
    return (n < 10 ? "0" : "") + n;
  }

  function tick() {
    var clock = document.getElementById("sp-clock");
    if (!clock) return;
    var now = new Date();
    var elapsed = Math.floor((Date.now() - started) / 1000);
    clock.textContent =
      two(now.getHours()) + ":" + two(now.getMinutes()) +
      " \u00b7 elapsed " + two(Math.floor(elapsed / 60)) + ":" + two(elapsed % 60);
  }

  function setUpPresenter() {
    document.body.classList.add("sp-presenter");
    var view = document.getElementById("sp-presenter-view");
    view.hidden = false;
    document.getElementById("sp-stage").appendChild(deck);
    tick();
    setInterval(tick, 1000);
  }

  // -- wiring ---------------------------------------------------------------------------

  function onClick(id, handler) {
    var button = document.getElementById(id);
    if (button) button.addEventListener("click", handler);
  }

  var touchX = null;
  document.addEventListener("touchstart", function (event) {
    touchX = event.touches.length === 1 ? event.touches[0].clientX : null;
  }, { passive: true });
  document.addEventListener("touchend", function (event) {
    if (touchX === null) return;
    var dx = event.changedTouches[0].clientX - touchX;
    if (Math.abs(dx) > 50) show(current + (dx < 0 ? 1 : -1));
    touchX = null;
  }, { passive: true });

  // The toolbar shows while the mouse moves, then gets out of the audience's way.
  var idle = null;
  document.addEventListener("mousemove", function () {
    document.body.classList.add("sp-pointer");
    clearTimeout(idle);
    idle = setTimeout(function () { document.body.classList.remove("sp-pointer"); }, 2500);
  });

  // Without a configured site URL the closing slide learns the portal's address from
  // where the page is served, so the audience can write it down.
  Array.prototype.forEach.call(document.querySelectorAll("[data-sp-portal-address]"), function (link) {
    if (/^https?:$/.test(location.protocol)) link.textContent = new URL(link.getAttribute("href"), location.href).href;
  });

  if (presenter) setUpPresenter();
  onClick("sp-prev", function () { show(current - 1); });
  onClick("sp-next-button", function () { show(current + 1); });
  onClick("sp-fullscreen", toggleFullscreen);
  onClick("sp-open-presenter", openPresenter);
  document.addEventListener("keydown", onKey);
  window.addEventListener("resize", fit);
  window.addEventListener("hashchange", function () { show(indexOfHash()); });
  if (channel) channel.onmessage = function (event) { show(event.data.index, false); };
  document.body.classList.add("sp-ready");
  fit();
  show(indexOfHash(), false);
})();
