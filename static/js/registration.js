// Progressive enhancement of the registration forms; they work without this file.
// - After a submission with a problem, focus moves to the error summary (or to the offer of
//   the waiting list), so that screen readers read it first and keyboard users start there.
// - A link of the error summary puts the focus in its field, with the field's label or legend
//   in view (as the GOV.UK Design System's error summary does).
// - The "your town" field shows only when "another town" is chosen.
(function () {
  "use strict";
  var target = document.querySelector(".error-summary, .registration-offer");
  if (target) {
    target.focus();
    // The form's address ends in #register (for browsers without JavaScript, to scroll there);
    // jumping to it once the page has loaded would take the focus away again.
    window.addEventListener("load", function () {
      target.focus();
    });
  }

  document.querySelectorAll(".error-summary a[href^='#']").forEach(function (link) {
    link.addEventListener("click", function (event) {
      var input = document.getElementById(link.getAttribute("href").slice(1));
      if (!input) {
        return;
      }
      event.preventDefault();
      var legend = input.closest("fieldset") && input.closest("fieldset").querySelector("legend");
      var label = legend || document.querySelector("label[for='" + input.id + "']") || input;
      label.scrollIntoView();
      input.focus({ preventScroll: true });
    });
  });

  document.querySelectorAll(".registration-form").forEach(function (form) {
    var other = form.querySelector("input[name='other_town']");
    var choices = form.querySelectorAll("input[name='city']");
    if (!other || !choices.length) {
      return;
    }
    var group = other.closest(".form-group");
    function update() {
      var chosen = form.querySelector("input[name='city']:checked");
      var show = (chosen && chosen.value === "other") || other.value !== "" || group.classList.contains("form-group--error");
      group.hidden = !show;
    }
    choices.forEach(function (choice) {
      choice.addEventListener("change", update);
    });
    update();
  });
})();
