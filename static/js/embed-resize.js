/* For a partner's page that shows QuattroPole's events in an iframe (the snippet of the admin's
   embed generator, /admin/embed/, loads this file from QuattroPole's own site): each QuattroPole
   iframe of the page takes the height of the list it shows, as the list reports it
   (static/js/embed-height.js, with postMessage). Only messages from the origin this script came
   from, of the expected shape, and only for the iframe that sent them, are heeded. Without this
   script the iframe keeps the height of its attribute (600 px unless chosen otherwise). */
(function () {
  "use strict";
  var script = document.currentScript;
  if (!script || !window.URL) return;

  var ORIGIN = new URL(script.src, document.baseURI).origin; // QuattroPole's site
  var HEIGHT = "quattropole-embed:height";
  var ASK = "quattropole-embed:ask-height";
  var LARGEST = 20000; // pixels: a list of at most 20 events never comes near it

  function quattropoleFrames() {
    return Array.prototype.filter.call(document.getElementsByTagName("iframe"), function (frame) {
      try {
        return new URL(frame.src, document.baseURI).origin === ORIGIN;
      } catch (error) {
        return false;
      }
    });
  }

  window.addEventListener("message", function (event) {
    if (event.origin !== ORIGIN) return;
    var data = event.data;
    if (!data || typeof data !== "object" || data.type !== HEIGHT) return;
    var height = data.height;
    if (typeof height !== "number" || !isFinite(height) || height < 1 || height > LARGEST) return;
    quattropoleFrames().forEach(function (frame) {
      if (frame.contentWindow === event.source) frame.style.height = Math.ceil(height) + "px";
    });
  });

  // A list that reported its height before this script listened reports it again when asked.
  function ask(frame) {
    if (frame.contentWindow) frame.contentWindow.postMessage({ type: ASK }, ORIGIN);
  }
  function askAll() {
    quattropoleFrames().forEach(function (frame) {
      ask(frame);
      frame.addEventListener("load", function () { ask(frame); });
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", askAll);
  else askAll();
})();
