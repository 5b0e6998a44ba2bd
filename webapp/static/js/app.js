// Small behaviours shared by every page; htmx does the rest.
(function () {
  function flash(message) {
    var box = document.getElementById("flashes");
    if (!box) return;
    box.innerHTML = "";
    var p = document.createElement("p");
    p.className = "flash flash-error";
    p.setAttribute("role", "alert");
    p.textContent = message;
    box.appendChild(p);
  }
  document.addEventListener("htmx:responseError", function () {
    flash(document.body.dataset.errorMessage || "Error");
  });
  document.addEventListener("htmx:sendError", function () {
    flash(document.body.dataset.offlineMessage || "Offline");
  });
  // The account menu is a native <details>: close it on Escape or a click anywhere else.
  function closeMenus(except) {
    document.querySelectorAll("details.usermenu[open]").forEach(function (menu) {
      if (menu !== except) menu.removeAttribute("open");
    });
  }
  document.addEventListener("click", function (event) {
    closeMenus(event.target.closest && event.target.closest("details.usermenu"));
  });
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    var open = document.querySelector("details.usermenu[open]");
    if (open) { open.removeAttribute("open"); open.querySelector("summary").focus(); }
  });
  // Behaviour the templates ask for with data attributes (the CSP runs no inline handlers): a select that submits
  // its form when changed (requestSubmit, so an hx-get form goes through htmx), a button that prints the page.
  document.addEventListener("change", function (event) {
    var field = event.target;
    if (field.matches && field.matches("[data-submit-on-change]") && field.form) field.form.requestSubmit();
  });
  document.addEventListener("click", function (event) {
    if (event.target.closest && event.target.closest("[data-print]")) window.print();
  });
  // After a swap, the keyboard goes where the new content asks (autofocus), unless the user has already moved it
  // during the settle's short wait: a fast seller pressing F6 and typing a card code the instant the sale panel
  // appears keeps the card box. htmx would focus [autofocus] itself at settle whatever happened meanwhile, so the
  // attribute becomes data-autofocus as the content arrives (on a full page load the browser's own autofocus
  // applies, and it never takes the focus from a box the user is in).
  var focusAtSwap = null;
  document.addEventListener("htmx:afterSwap", function (event) {
    focusAtSwap = document.activeElement;
    var elt = event.detail.elt;
    if (!elt || !elt.querySelectorAll) return;
    var asked = elt.matches("[autofocus]") ? [elt] : [];
    asked.concat(Array.prototype.slice.call(elt.querySelectorAll("[autofocus]"))).forEach(function (el) {
      el.removeAttribute("autofocus");
      el.setAttribute("data-autofocus", "");
    });
  });
  document.addEventListener("htmx:afterSettle", function (event) {
    var elt = event.detail.elt;
    if (!elt || !elt.querySelector) return;
    // A form sent back with errors: the first box in error takes the keyboard, not the form's first box (a staff
    // form refused for its password would otherwise put the cursor back in the username).
    var target = elt.querySelector('[aria-invalid="true"]:not([type="hidden"])') ||
      (elt.matches("[data-autofocus]") ? elt : elt.querySelector("[data-autofocus]"));
    var moved = document.activeElement !== focusAtSwap && document.activeElement !== document.body;
    if (target && !moved) target.focus();
  });
})();
