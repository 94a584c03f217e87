// Amends: behaviour shared by every page.
(function () {
  "use strict";
  // A form marked data-prevent-double-submit sends once: buttons are disabled
  // after the first submit. (The server also treats a repeated submit as one.)
  document.querySelectorAll("form[data-prevent-double-submit]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (form.dataset.submitted === "yes") {
        event.preventDefault();
        return;
      }
      form.dataset.submitted = "yes";
      // A disabled button's name and value are not sent, and some forms say
      // what to do by the button pressed (Approve / Reject): keep it in the form.
      var submitter = event.submitter;
      if (submitter && submitter.name) {
        var kept = document.createElement("input");
        kept.type = "hidden";
        kept.name = submitter.name;
        kept.value = submitter.value;
        form.appendChild(kept);
      }
      form.querySelectorAll("button[type=submit]").forEach(function (button) {
        button.disabled = true;
        if (button.dataset.submitLabel) button.textContent = button.dataset.submitLabel;
      });
    });
  });
})();
