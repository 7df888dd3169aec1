// The admin in the staff member's language: the FR/DE tabs of modeltranslation (and those
// js/admin-programme-tabs.js makes) named "Deutsch" / "Français" instead of "de" / "fr", and links
// to a field (the completeness panel's) that open the field's language tab before focusing it.
(function () {
  "use strict";
  var script = document.currentScript;
  var names = JSON.parse((script && script.dataset.languages) || "{}"); // {"de": "Deutsch", …}

  // The widget writes the language code as the tab's text: write the language's own name.
  function nameTabs() {
    document.querySelectorAll(".ui-tabs-nav a, .programme-mt-tabs > ul a").forEach(function (anchor) {
      var code = anchor.textContent.trim();
      if (anchor.dataset.language || !Object.prototype.hasOwnProperty.call(names, code)) return;
      anchor.dataset.language = code;
      anchor.textContent = names[code];
      anchor.lang = code;
      anchor.removeAttribute("title");
      var tab = anchor.closest("li");
      if (tab) tab.removeAttribute("title");
    });
    document.querySelectorAll("select.modeltranslation-switch option").forEach(function (option) {
      var code = option.textContent.trim();
      if (Object.prototype.hasOwnProperty.call(names, code)) {
        option.textContent = names[code];
        option.lang = code;
      }
    });
  }

  // Show the field with this id: select its language tab, bring it into view, focus it.
  function revealField(id) {
    var field = document.getElementById(id);
    if (!field) return false;
    var $ = window.django && window.django.jQuery;
    var panel = field.closest(".ui-tabs-panel");
    if (panel && $ && $.fn.tabs) {
      var tab = document.querySelector('[role="tab"][aria-controls="' + panel.id + '"]');
      var $tabs = $(panel).closest(".ui-tabs");
      if (tab && $tabs.tabs("instance")) $tabs.tabs("option", "active", $(tab).index());
    }
    field.scrollIntoView({ block: "center" });
    field.focus({ preventScroll: true });
    return true;
  }

  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[data-field]");
    if (link && revealField(link.dataset.field)) {
      event.preventDefault();
      history.replaceState(null, "", "#" + link.dataset.field);
    }
  });
  window.addEventListener("load", function () {
    if (location.hash.indexOf("#id_") === 0) revealField(decodeURIComponent(location.hash.slice(1)));
  });

  nameTabs();
  new MutationObserver(nameTabs).observe(document.documentElement, { childList: true, subtree: true });
})();
