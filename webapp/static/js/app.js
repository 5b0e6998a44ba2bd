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
  // After a swap, put the keyboard where the new content wants it.
  document.addEventListener("htmx:afterSettle", function (event) {
    var target = event.detail.elt && event.detail.elt.querySelector && event.detail.elt.querySelector("[autofocus]");
    if (target) target.focus();
  });
})();
