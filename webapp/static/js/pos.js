// Point of sale: steppers and the keyboard shortcuts listed on the screen (everything also works by mouse).
(function () {
  function byId(id) { return document.getElementById(id); }
  function focus(id) { var el = byId(id); if (el) { el.focus(); if (el.select) el.select(); } }
  function bump(input, step) {
    var max = input.max === "" ? Infinity : Number(input.max);
    var next = Math.min(max, Math.max(0, (parseInt(input.value, 10) || 0) + step));
    input.value = String(next);
    input.dispatchEvent(new Event("input", { bubbles: true }));
  }
  document.addEventListener("click", function (event) {
    var button = event.target.closest("[data-step]");
    if (!button) return;
    var input = byId(button.dataset.for);
    if (input && !input.disabled) bump(input, Number(button.dataset.step));
  });
  var keys = { F2: function () { var q = document.querySelector("#sale-form input.qty:not([disabled])"); if (q) { q.focus(); q.select(); } },
               F4: function () { focus("cash_tendered"); }, F6: function () { focus("card_auth"); },
               F7: function () { focus("pix_reference"); },
               F8: function () { var c = byId("comp"); if (c) { c.checked = true; focus("comp_reason"); } },
               F9: function () { var f = byId("sale-form"); if (f) f.requestSubmit(); } };
  document.addEventListener("keydown", function (event) {
    if (keys[event.key]) { event.preventDefault(); keys[event.key](); return; }
    if (event.key === "Enter" && event.ctrlKey) { event.preventDefault(); keys.F9(); return; }
    if (event.altKey && /^[1-9]$/.test(event.key)) {
      var show = document.querySelector('[data-shortcut="' + event.key + '"]');
      if (show) { event.preventDefault(); show.click(); }
      return;
    }
    if (event.altKey && (event.key === "n" || event.key === "N")) {
      var again = document.querySelector("[data-shortcut-new]");
      if (again) { event.preventDefault(); again.click(); }
      return;
    }
    if (event.key === "Escape" && byId("sale-form")) {
      event.preventDefault();
      var current = document.querySelector(".show-item.current") || document.querySelector("[data-shortcut]");
      if (current) current.click();
    }
  });
  // After a swap or on load, the keyboard goes where the page wants it (the print button after a sale).
  function autofocus() { var el = document.querySelector("[data-focus]"); if (el) el.focus(); }
  document.addEventListener("DOMContentLoaded", autofocus);
})();
