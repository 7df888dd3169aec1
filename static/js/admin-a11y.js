// Accessibility repairs for the admin's third-party widgets, found by the axe-core audit
// (tests/browser/test_accessibility.py). Each repair can run any number of times; they run
// again whenever the admin adds markup (inline rows, widgets built on page load).
(function () {
  "use strict";
  var script = document.currentScript;

  function labelText(label) {
    return label ? label.textContent.replace(/[:\s]+$/, "").trim() : "";
  }

  // Django's date and time inputs (AdminSplitDateTime) have no label of their own:
  // name each one after its field and its part, e.g. "Start – Date".
  function nameDateAndTimeInputs() {
    document.querySelectorAll("p.datetime > input:not([aria-label])").forEach(function (input) {
      var box = input.closest(".fieldBox, .form-row");
      var field = labelText(box && box.querySelector("label"));
      var part = input.previousSibling;
      var partText = part && part.nodeType === Node.TEXT_NODE ? part.textContent.replace(/[:\s]+$/, "").trim() : "";
      var name = [field, partText].filter(Boolean).join(" – ");
      if (name) input.setAttribute("aria-label", name);
    });
  }

  // select2 (autocomplete_fields) names its combobox by the chosen value only, and nothing
  // when empty: add the field's label.
  function nameAutocompletes() {
    document.querySelectorAll(".select2-container").forEach(function (container) {
      var select = container.previousElementSibling;
      var label = select && select.id && document.querySelector('label[for="' + select.id + '"]');
      if (!label) return;
      if (!label.id) label.id = select.id + "-label";
      container.querySelectorAll('[role="combobox"], [role="textbox"]').forEach(function (el) {
        var ids = (el.getAttribute("aria-labelledby") || "").split(/\s+/).filter(Boolean);
        if (ids.indexOf(label.id) === -1) el.setAttribute("aria-labelledby", [label.id].concat(ids).join(" "));
      });
    });
  }

  // filter_horizontal's search icon carries aria-label on a span without a role.
  function roleForLabelledIcons() {
    document.querySelectorAll("span.help-tooltip[aria-label]:not([role])").forEach(function (icon) {
      icon.setAttribute("role", "img");
    });
  }

  // modeltranslation's switch between the languages of all tabs has no name.
  function nameLanguageSwitch() {
    document.querySelectorAll("select.modeltranslation-switch:not([aria-label])").forEach(function (select) {
      select.setAttribute("aria-label", script.dataset.languageLabel || "Language");
    });
  }

  // jQuery UI tabs put a link inside each role="tab": a control inside a control. The tab
  // itself takes the focus and the keys; the link is made inert, and a click on the tab
  // selects it through jQuery UI (one listener for all tabs, also those added later).
  function flattenTabs() {
    document.querySelectorAll('[role="tab"] > a.ui-tabs-anchor:not([inert])').forEach(function (anchor) {
      anchor.inert = true;
      if (anchor.title && !anchor.parentElement.title) anchor.parentElement.title = anchor.title;
    });
  }

  document.addEventListener("click", function (event) {
    var tab = event.target.closest && event.target.closest('[role="tab"]');
    var $ = window.django && window.django.jQuery;
    if (!tab || !tab.querySelector(":scope > a.ui-tabs-anchor[inert]") || !$ || !$.fn.tabs) return;
    var $tabs = $(tab).closest(".ui-tabs");
    if ($tabs.tabs("instance")) $tabs.tabs("option", "active", $(tab).index());
  });

  // Tabular inlines (a registration form's quotas) label their fields by the column headings
  // only: name each unlabelled field after its column ("Order", "Delete?").
  function nameTableCells() {
    document.querySelectorAll("table td input:not([type=hidden]):not([aria-label]), table td select:not([aria-label])")
      .forEach(function (field) {
        if (field.id && document.querySelector('label[for="' + field.id + '"]')) return;
        if (field.getAttribute("aria-labelledby")) return;
        var cell = field.closest("td");
        var table = cell && cell.closest("table");
        var headings = table ? table.querySelectorAll("thead th") : [];
        var heading = headings[Array.prototype.indexOf.call(cell.parentElement.children, cell)];
        var name = heading ? heading.textContent.replace(/[:\s]+$/, "").trim() : "";
        if (name) field.setAttribute("aria-label", name);
      });
  }

  // The changelist's first cell in each row is a <th> (the link to the object) without the
  // scope that says it heads its row.
  function scopeRowHeaders() {
    document.querySelectorAll("#result_list tbody th:not([scope])").forEach(function (cell) {
      cell.scope = "row";
    });
  }

  // The related-object links next to a select ("add", "change" … a person or a venue) are an
  // icon with an empty alt and the name in the link's title: give the icon the name.
  function nameRelatedLinks() {
    document.querySelectorAll('a.related-widget-wrapper-link[title] > img[alt=""]').forEach(function (icon) {
      icon.alt = icon.parentElement.title;
    });
  }

  // The date and time pickers' links ("Choose a date", "Choose a time") hold an icon whose
  // title is the only name: put the name in the link, for every reader.
  function nameDateTimeShortcuts() {
    document.querySelectorAll('a[id^="calendarlink"], a[id^="clocklink"]').forEach(function (link) {
      var icon = link.querySelector("[title]");
      if (!icon || link.querySelector(".visually-hidden")) return;
      var name = document.createElement("span");
      name.className = "visually-hidden";
      name.textContent = icon.title;
      link.appendChild(name);
    });
  }

  // The admin's fieldsets are named by their heading (aria-labelledby), not by a legend, which
  // some checkers and readers expect: add the heading's text as a legend for screen readers.
  function legendForFieldsets() {
    document.querySelectorAll("fieldset[aria-labelledby]").forEach(function (fieldset) {
      if (fieldset.querySelector(":scope > legend")) return;
      var heading = document.getElementById(fieldset.getAttribute("aria-labelledby"));
      if (!heading) return;
      var legend = document.createElement("legend");
      legend.className = "visually-hidden";
      legend.textContent = heading.textContent.trim();
      fieldset.insertBefore(legend, fieldset.firstChild);
    });
  }

  // filter_horizontal's list of choices (the cities) is labelled, but HTML_CodeSniffer does not
  // see it: also give it its label's text as a title.
  function titleForFilteredSelects() {
    document.querySelectorAll("select.filtered:not([title])").forEach(function (select) {
      var label = select.id && document.querySelector('label[for="' + select.id + '"]');
      if (label) select.title = labelText(label);
    });
  }

  function repair() {
    titleForFilteredSelects();
    nameRelatedLinks();
    nameDateTimeShortcuts();
    legendForFieldsets();
    nameTableCells();
    scopeRowHeaders();
    nameDateAndTimeInputs();
    nameAutocompletes();
    roleForLabelledIcons();
    nameLanguageSwitch();
    flattenTabs();
  }

  repair();
  new MutationObserver(repair).observe(document.documentElement, { childList: true, subtree: true });
})();
