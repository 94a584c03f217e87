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
  // Widths that come from the data (a progress bar's share) are set here, through the
  // DOM, because the Content-Security-Policy refuses style="..." in the markup.
  document.querySelectorAll("[data-width]").forEach(function (element) {
    var percent = Math.max(0, Math.min(100, parseFloat(element.dataset.width) || 0));
    element.style.width = percent + "%";
  });
  // A button marked data-print prints the page (no inline onclick under the policy).
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
