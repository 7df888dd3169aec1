// The programme editor's conveniences (the editor works without them: a blank row and blank lines
// to fill in, "Remove" boxes, order numbers): "Add a slot / speaker / workshop" buttons, "Move
// up / down" buttons instead of order numbers, title boxes that grow with their text where the
// browser cannot do it with CSS, and "missing" marks that go once a text is typed.
(function () {
  "use strict";
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }

  function start() {
    var editor = document.querySelector("[data-programme-editor]");
    if (!editor) return;
    var announcer = editor.querySelector("[data-announce]");
    var growsByItself = window.CSS && CSS.supports && CSS.supports("field-sizing", "content");

    function announce(text) {
      if (!announcer) return;
      announcer.textContent = "";
      window.setTimeout(function () {
        announcer.textContent = text;
      }, 50);
    }

    function grow(textarea) {
      if (growsByItself) return;
      textarea.style.height = "auto";
      textarea.style.height = textarea.scrollHeight + 2 + "px";
    }

    // The blank lines that let a speaker or workshop be added without the script give way to
    // the "Add" buttons (they are the last lines of their list; the count follows).
    function dropBlankLines(root) {
      root.querySelectorAll('[data-list="speaker"], [data-list="workshop"]').forEach(function (list) {
        var total = document.getElementById("id_" + list.dataset.prefix + "-TOTAL_FORMS");
        items(list)
          .reverse()
          .every(function (item) {
            if (!item.hasAttribute("data-blank") || !total) return false;
            item.remove();
            total.value = parseInt(total.value, 10) - 1;
            return true;
          });
      });
    }

    function enhance(root) {
      root.querySelectorAll(".programme-add, .programme-move").forEach(function (element) {
        element.hidden = false;
      });
      root.querySelectorAll("textarea.programme-text").forEach(grow);
    }

    function items(list) {
      return Array.prototype.filter.call(list.children, function (child) {
        return child.hasAttribute("data-item");
      });
    }

    // Each line's order field and number follow its place in the list.
    function renumber(list) {
      items(list).forEach(function (item, index) {
        var order = item.querySelector(':scope > .programme-cell--order input[name$="-order"]');
        if (order) order.value = index;
        var number = item.querySelector(":scope > legend [data-number]");
        if (number) number.textContent = index + 1;
      });
    }

    function add(button) {
      var kind = button.dataset.add;
      var list;
      if (kind === "slot") {
        list = editor.querySelector('[data-list="slot"]');
      } else {
        list = button.closest("details").querySelector('[data-list="' + kind + '"]');
      }
      var prefix = list.dataset.prefix;
      var total = document.getElementById("id_" + prefix + "-TOTAL_FORMS");
      var template = document.getElementById("programme-template-" + kind);
      if (!total || !template) return;
      var index = parseInt(total.value, 10);
      var html = template.innerHTML;
      if (kind !== "slot") {
        var generic = template.dataset.prefix;
        html = html.split(generic).join(prefix);
      }
      html = html.split("__prefix__").join(String(index)).split("__number__").join(String(index + 1));
      list.insertAdjacentHTML("beforeend", html);
      total.value = index + 1;
      var added = list.lastElementChild;
      if (kind === "slot") dropBlankLines(added);
      enhance(added);
      // Django's admin scripts set up what a new line needs (the person select's search as you
      // type, admin/js/autocomplete.js) on its documented "formset:added" event.
      added.dispatchEvent(new CustomEvent("formset:added", { bubbles: true, detail: { formsetName: prefix } }));
      if (kind !== "slot") renumber(list);
      var first = Array.prototype.find.call(
        added.querySelectorAll("input:not([type=hidden]), select, textarea"),
        function (field) {
          return field.offsetParent !== null;
        }
      );
      if (first) first.focus();
      announce(editor.querySelector("[data-announce]").dataset.added);
    }

    function move(button) {
      var item = button.closest("[data-item]");
      var list = item.parentElement;
      var siblings = items(list);
      var index = siblings.indexOf(item);
      var target = button.dataset.move === "up" ? index - 1 : index + 1;
      if (target < 0 || target >= siblings.length) return;
      if (target < index) {
        list.insertBefore(item, siblings[target]);
      } else {
        list.insertBefore(item, siblings[target].nextSibling);
      }
      renumber(list);
      button.focus();
      announce(announcer.dataset.moved.replace("{number}", target + 1));
    }

    editor.addEventListener("click", function (event) {
      var button = event.target.closest("button[data-add], button[data-move]");
      if (!button || !editor.contains(button)) return;
      event.preventDefault();
      if (button.dataset.add) add(button);
      else move(button);
    });

    editor.addEventListener("input", function (event) {
      var field = event.target;
      if (!field.matches || !field.matches("textarea.programme-text")) return;
      grow(field);
      var cell = field.closest(".programme-cell--missing");
      if (cell) cell.classList.toggle("is-filled", field.value.trim() !== "");
    });

    // A title is one line: Enter does not break it.
    editor.addEventListener("keydown", function (event) {
      var field = event.target;
      if (event.key === "Enter" && field.matches && field.matches('textarea.programme-text[rows="1"]')) {
        event.preventDefault();
      }
    });

    editor.classList.add("programme-editor--js");
    dropBlankLines(editor);
    enhance(editor);
  }
})();
