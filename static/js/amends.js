// Amends: behaviour shared by every page.
(function () {
  "use strict";
  // A form marked data-prevent-double-submit sends once: the button is disabled
  // after the first submit. (The server also treats a repeated submit as one.)
  document.querySelectorAll("form[data-prevent-double-submit]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.submitted === "yes") {
        event.preventDefault();
        return;
      }
      form.dataset.submitted = "yes";
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = true;
        if (button.dataset.submitLabel) button.textContent = button.dataset.submitLabel;
      });
    });
  });
})();
