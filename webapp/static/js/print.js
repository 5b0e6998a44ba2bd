// Ticket print page: only the print button records a print (a CSRF-protected POST: reprints are audited), and
// only then the print dialog opens. Loading, reloading or switching format records nothing. Without JavaScript
// the button posts the form instead.
(function () {
  var busy = false;

  function recordThenPrint() {
    var form = document.getElementById("print-form");
    if (!form || busy) return;
    busy = true;
    var status = document.getElementById("print-status");
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      credentials: "same-origin",
      headers: {"X-CSRFToken": form.elements.csrf_token.value, "Accept": "application/json"}
    }).then(function (response) {
      if (!response.ok) throw new Error(response.status);
      if (status) status.textContent = "";
      window.print();
    }).catch(function () {
      if (status) { status.textContent = form.dataset.error; status.setAttribute("role", "alert"); }
    }).then(function () { busy = false; });
  }

  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("print-form");
    if (form) form.addEventListener("submit", function (event) { event.preventDefault(); recordThenPrint(); });
  });
})();
