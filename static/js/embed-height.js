/* The embeddable list (templates/api/embed.html), inside a partner's iframe: tells the page that
   frames it how tall the list is — when it loads, whenever its height changes (the iframe made
   narrower, a font loaded) and when that page's script asks (static/js/embed-resize.js, which
   sizes the iframe to it). The height is all it sends; without this script, or without the
   partner's, the iframe keeps the height of its attribute. */
(function () {
  "use strict";
  if (window.parent === window) return; // opened on its own, not framed

  var HEIGHT = "quattropole-embed:height";
  var ASK = "quattropole-embed:ask-height";
  var sent = 0;

  function report(always) {
    // The document's own height (html's box): not the window's, which the iframe sets.
    var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
    if (!always && height === sent) return;
    sent = height;
    window.parent.postMessage({ type: HEIGHT, height: height }, "*"); // nothing private in a height
  }

  window.addEventListener("message", function (event) {
    if (event.source === window.parent && event.data && event.data.type === ASK) report(true);
  });
  if ("ResizeObserver" in window) {
    new ResizeObserver(function () { report(false); }).observe(document.documentElement);
  }
  window.addEventListener("load", function () { report(false); });
  report(true);
})();
