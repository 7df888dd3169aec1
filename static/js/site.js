// Progressive enhancement only: every page works without this file.
// Turns contact addresses written as "name[at]domain" into mailto links.
(function () {
  "use strict";
  function reverse(text) {
    return text.split("").reverse().join("");
  }
  document.querySelectorAll(".email[data-user][data-domain]").forEach(function (node) {
    var address = reverse(node.dataset.user) + "@" + reverse(node.dataset.domain);
    var link = document.createElement("a");
    link.href = "mailto:" + address;
    link.textContent = address;
    node.replaceChildren(link);
  });
})();
