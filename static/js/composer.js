// The case page's "Write to the customer": choosing a saved reply fills in its subject and
// words at once (without script, "Use this reply" asks the server to).
(function () {
  "use strict";
  document.querySelectorAll("form[data-composer]").forEach(function (form) {
    var replies = form.querySelector("[data-composer-replies]");
    var subject = form.querySelector("[data-composer-subject]");
    var body = form.querySelector("[data-composer-body]");
    var pick = form.querySelector("[data-composer-pick]");
    if (!replies || !subject || !body) return;
    if (pick) pick.classList.add("d-none");
    replies.addEventListener("change", function () {
      var option = replies.options[replies.selectedIndex];
      if (!option || !option.value) return;
      subject.value = option.dataset.subject || "";
      body.value = option.dataset.body || "";
    });
  });
})();
