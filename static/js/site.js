// Progressive enhancement only: every page works without this file.
(function () {
  "use strict";

  // Contact addresses written as "name[at]domain" become mailto links.
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

  // The header's menu (a details element, folded on a phone): open wherever the stylesheet shows
  // it anyway, so that assistive technology reads it as open too; Escape closes it on a phone.
  var menu = document.querySelector(".site-menu");
  if (menu) {
    var wide = window.matchMedia("(min-width: 64rem)");
    var toggle = menu.querySelector("summary");
    var follow = function () {
      if (window.getComputedStyle(toggle).display === "none") {
        menu.open = true;
      } else if (!wide.matches) {
        menu.open = false;
      }
    };
    follow();
    wide.addEventListener("change", follow);
    menu.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && menu.open && !wide.matches) {
        menu.open = false;
        toggle.focus();
      }
    });
  }

  // "Copy the address" next to a read-only field (the calendar to subscribe to): shown only
  // here, since copying needs a script; the field can always be selected and copied by hand.
  document.querySelectorAll("button[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.dataset.copy);
    var status = document.getElementById(button.dataset.copyStatus);
    if (!field) {
      return;
    }
    var copied = function () {
      if (status) {
        status.textContent = button.dataset.copied;
      }
    };
    button.hidden = false;
    button.addEventListener("click", function () {
      field.focus();
      field.select();
      if (navigator.clipboard && window.isSecureContext) {
        navigator.clipboard.writeText(field.value).then(copied, function () {
          if (document.execCommand("copy")) {
            copied();
          }
        });
      } else if (document.execCommand("copy")) {
        copied();
      }
    });
    field.addEventListener("focus", function () {
      field.select();
    });
  });
})();
