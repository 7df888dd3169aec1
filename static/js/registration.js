// Progressive enhancement of the registration form; it works without this file.
// - After a submission with a problem, focus moves to the error summary (or to the offer of
//   the waiting list), so that screen readers read it first and keyboard users start there.
// - The "your town" field shows only when "another town" is chosen.
(function () {
  "use strict";
  var target = document.querySelector(".error-summary, .registration-offer");
  if (target) {
    target.focus();
  }
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
