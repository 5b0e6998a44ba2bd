// Ticket print page: only a print action records a print (a CSRF-protected POST: reprints are audited), and only
// then the print dialog opens: this page's button, or the order page's "Print tickets", which arrives with
// ?print=1 (dropped from the address at once, so a reload records nothing). Loading, reloading or switching format
// records nothing. Without JavaScript the button posts the form instead.
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
    if (!form) return;
    form.addEventListener("submit", function (event) { event.preventDefault(); recordThenPrint(); });
    var url = new URL(window.location.href);
    if (url.searchParams.get("print") === "1") {
      url.searchParams.delete("print");
      window.history.replaceState(null, "", url.pathname + url.search);
      recordThenPrint();
    }
  });
})();
