// The sign-in sheet's "Print" button (shown only when this file runs; Ctrl+P works anyway).
(function () {
  "use strict";
  document.querySelectorAll(".sheet__print").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
