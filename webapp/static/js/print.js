// Ticket print page: the print dialog opens on arrival; the button opens it again.
(function () {
  document.addEventListener("DOMContentLoaded", function () {
    var button = document.getElementById("print-now");
    if (button) button.addEventListener("click", function () { window.print(); });
  });
  window.addEventListener("load", function () { window.print(); });
})();
