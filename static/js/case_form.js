// The case form: find a customer as you type, and see the suggested severity as you fill it in.
(function () {
  "use strict";
  var form = document.getElementById("case-form");
  if (!form) return;

  // --- Customer type-ahead -------------------------------------------------
  var search = document.getElementById("customer-search");
  var results = document.getElementById("customer-results");
  var hidden = form.querySelector("input[name=customer]");
  var chosen = document.getElementById("chosen-customer");
  var chosenName = document.getElementById("chosen-customer-name");
  var finder = document.getElementById("customer-finder");
  var active = -1;
  var timer = null;

  function choose(id, name) {
    hidden.value = id;
    chosenName.textContent = name;
    chosen.classList.remove("d-none");
    finder.classList.add("d-none");
    close();
    updateSeverity();
    form.querySelector("[name=category]").focus();
  }

  function close() {
    results.classList.add("d-none");
    results.innerHTML = "";
    search.setAttribute("aria-expanded", "false");
    active = -1;
  }

  function render(items) {
    results.innerHTML = "";
    if (!items.length) {
      var empty = document.createElement("div");
      empty.className = "list-group-item text-body-secondary small";
      empty.textContent = form.dataset.noCustomer;  // the page's words, in its language
      results.appendChild(empty);
    }
    items.forEach(function (item, index) {
      var option = document.createElement("button");
      option.type = "button";
      option.className = "list-group-item list-group-item-action";
      option.id = "customer-option-" + index;
      option.setAttribute("role", "option");
      option.dataset.id = item.id;
      var strong = document.createElement("strong");
      strong.textContent = item.name;
      var small = document.createElement("div");
      small.className = "small text-body-secondary";
      small.textContent = [item.email, item.phone].filter(Boolean).join(" · ");
      option.appendChild(strong);
      option.appendChild(small);
      option.addEventListener("click", function () { choose(item.id, item.name); });
      results.appendChild(option);
    });
    results.classList.remove("d-none");
    search.setAttribute("aria-expanded", "true");
  }

  if (search) {
    search.addEventListener("input", function () {
      clearTimeout(timer);
      var q = search.value.trim();
      if (q.length < 2) { close(); return; }
      timer = setTimeout(function () {
        fetch(form.dataset.searchUrl + "?q=" + encodeURIComponent(q), {headers: {"Accept": "application/json"}})
          .then(function (r) { return r.json(); })
          .then(function (data) { if (search.value.trim() === q) render(data.results); });
      }, 150);
    });
    search.addEventListener("keydown", function (event) {
      var options = results.querySelectorAll("[role=option]");
      if (event.key === "ArrowDown" || event.key === "ArrowUp") {
        if (!options.length) return;
        event.preventDefault();
        active = (active + (event.key === "ArrowDown" ? 1 : -1) + options.length) % options.length;
        options.forEach(function (o, i) { o.classList.toggle("active", i === active); });
        search.setAttribute("aria-activedescendant", options[active].id);
      } else if (event.key === "Enter") {
        // Enter here chooses a customer; it must never submit the half-filled case.
        event.preventDefault();
        if (active >= 0) options[active].click();
        else if (options.length === 1) options[0].click();
      } else if (event.key === "Escape") {
        close();
      }
    });
  }

  document.getElementById("change-customer").addEventListener("click", function () {
    hidden.value = "";
    chosen.classList.add("d-none");
    finder.classList.remove("d-none");
    search.focus();
    updateSeverity();
  });
  form.querySelectorAll("[data-use-customer]").forEach(function (button) {
    button.addEventListener("click", function () { choose(button.dataset.useCustomer, button.dataset.name); });
  });

  // --- Suggested severity ----------------------------------------------------
  var suggested = document.getElementById("severity-suggested");
  var reasons = document.getElementById("severity-reasons");
  var facts = ["order_value", "overcharge", "hidden_costs", "lost", "time_lost_minutes", "occasion_mattered",
               "treated_poorly", "category", "customer"];

  var latest = 0;

  function updateSeverity() {
    // Answers can come back out of order: only the newest question's answer is shown.
    var asked = ++latest;
    var params = new URLSearchParams();
    facts.forEach(function (name) {
      var field = form.querySelector("[name=" + name + "]");
      if (!field) return;
      if (field.type === "radio") {
        var picked = form.querySelector("[name=" + name + "]:checked");
        if (picked) params.set(name, picked.value);
      } else if (field.type === "checkbox") { if (field.checked) params.set(name, "on"); }
      else params.set(name, field.value);
    });
    fetch(form.dataset.severityUrl + "?" + params.toString(), {headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (data) {
        if (asked !== latest) return;
        suggested.textContent = data.label + (data.repeat ? " " + form.dataset.repeatCustomer : "");
        suggested.className = "badge sev sev-" + data.severity;
        reasons.innerHTML = "";
        data.reasons.forEach(function (text) {
          var li = document.createElement("li");
          li.textContent = text;
          reasons.appendChild(li);
        });
      });
  }
  facts.forEach(function (name) {
    form.querySelectorAll("[name=" + name + "]").forEach(function (field) {
      field.addEventListener("change", updateSeverity);
    });
  });

  // --- What was paid: the overcharge for a billing error, the price and what was lost otherwise ---
  var category = form.querySelector("[name=category]");
  function showWhatWasPaid() {
    var billing = category.value === "billing_error";
    form.querySelectorAll("[data-facts-for]").forEach(function (part) {
      part.hidden = (part.dataset.factsFor === "billing") !== billing;
    });
  }
  category.addEventListener("change", showWhatWasPaid);
  showWhatWasPaid();

  // --- Time it cost them: a few quick choices fill in the minutes ---
  var minutes = form.querySelector("[name=time_lost_minutes]");
  var choices = document.getElementById("time-choices");
  if (minutes && choices) {
    choices.classList.remove("d-none");
    choices.querySelectorAll("[data-minutes]").forEach(function (button) {
      button.addEventListener("click", function () {
        minutes.value = button.dataset.minutes;
        minutes.dispatchEvent(new Event("change"));
      });
    });
  }
  updateSeverity();
})();
