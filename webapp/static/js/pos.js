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
               F9: function () { var f = byId("sale-form"); if (f) f.requestSubmit(); },
               // The seat map of a numbered show: its seat in the tab order (the last one activated) takes the keyboard.
               F3: function () { var s = document.querySelector('#seat-picker g.seat[tabindex="0"]'); if (s) s.focus(); } };
  // A payment method's key (F4 cash, F6 card, …: the registry puts them on its boxes as data-key): its box takes
  // the keyboard; a method that is ticked (complimentary) is ticked, then its reason box takes it.
  function payKey(key) {
    var box = document.querySelector('#sale-form [data-key="' + key + '"]');
    if (!box) return false;
    if (box.type === "checkbox") { box.checked = true; focus(box.dataset.then); } else { focus(box.id); }
    return true;
  }
  document.addEventListener("keydown", function (event) {
    if (keys[event.key]) { event.preventDefault(); keys[event.key](); return; }
    if (/^F\d+$/.test(event.key) && payKey(event.key)) { event.preventDefault(); return; }
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
      releaseHold();
      var current = document.querySelector(".show-item.current") || document.querySelector("[data-shortcut]");
      if (current) current.click();
    }
  });
  // The places chosen are held for the seller (the summary says for how long): Esc, another show or leaving the
  // page gives them back at once (a beacon survives the page going away; the sweeper frees them anyway later).
  function releaseHold() {
    var held = byId("sale-hold"), form = byId("sale-form");
    if (!held || !form) return;
    var data = new FormData();
    data.append("csrf_token", form.elements.csrf_token.value);
    data.append("hold_id", held.querySelector("input[name=hold_id]").value);
    navigator.sendBeacon(held.dataset.release, data);
    held.remove();
  }
  document.addEventListener("click", function (event) {
    if (event.target.closest(".show-item")) releaseHold();
  }, true);
  window.addEventListener("pagehide", releaseHold);
  // The countdown: from the seconds the server gave (the seller's clock may be off), once a second.
  function tick() {
    var held = byId("sale-hold");
    if (!held) return;
    if (!held.dataset.until) held.dataset.until = String(Date.now() + Number(held.dataset.seconds) * 1000);
    var left = Math.max(0, Math.round((Number(held.dataset.until) - Date.now()) / 1000));
    var clock = held.querySelector(".countdown");
    if (left > 0) {
      clock.textContent = Math.floor(left / 60) + ":" + String(left % 60).padStart(2, "0");
    } else if (!held.classList.contains("expired")) {
      held.classList.add("expired");
      held.textContent = held.dataset.expired;
    }
  }
  setInterval(tick, 1000);
  document.addEventListener("htmx:afterSettle", tick);

  // A seller may type a quantity the instant the sale panel appears, before htmx has wired its running total:
  // once the panel has settled, a quantity already typed asks for the total.
  document.addEventListener("htmx:afterSettle", function () {
    var form = byId("sale-form");
    if (!form || form.dataset.settled) return;
    form.dataset.settled = "1";
    var typed = Array.prototype.some.call(form.querySelectorAll("input.qty"), function (q) { return Number(q.value) > 0; });
    if (typed) form.dispatchEvent(new Event("change", { bubbles: true }));
  });

  // After a swap or on load, the keyboard goes where the page wants it (the print button after a sale).
  function autofocus() { var el = document.querySelector("[data-focus]"); if (el) el.focus(); }
  document.addEventListener("DOMContentLoaded", autofocus);

  // A quantity reached by any shortcut (Alt+n, F2, Esc, a refusal, Tab) has its content selected, so typing
  // "2" replaces the 0 instead of making "20". The first quantity may already have the focus on load.
  function selectQuantity(el) { if (el && el.matches && el.matches("input.qty")) el.select(); }
  document.addEventListener("focusin", function (event) { selectQuantity(event.target); });
  document.addEventListener("DOMContentLoaded", function () { selectQuantity(document.activeElement); });

  // The money method the seller is on (the last payment box they were in): a sale sent with nothing typed for it
  // is told what that method needs, not only "choose how the customer pays".
  document.addEventListener("focusin", function (event) {
    var box = event.target.closest && event.target.closest("#sale-form [data-method]");
    var paying = byId("paying");
    if (box && paying) paying.value = box.dataset.method;
  });

  // The documents box of a concession tier is there only while its quantity is above 0.
  document.addEventListener("input", function (event) {
    var row = event.target.dataset && event.target.dataset.documents && byId(event.target.dataset.documents);
    if (row) row.hidden = !((parseInt(event.target.value, 10) || 0) > 0);
  });

  // The seat picker: a seat activated on the map (a click, or Space/Enter through seatmap.js) joins or leaves the
  // pick, and "Propose seats" asks for the best available. The actions wait in a list and go with the running
  // total's next request (one at a time, "queue last"), which takes every action not yet sent when it actually
  // leaves: nothing is lost, and each request carries the form as the previous answer left it.
  var pendingSeats = [], pendingBest = false;
  function sendSeats() {
    var box = byId("sale-preview");
    if (box && window.htmx) window.htmx.trigger(box, "seats");
  }
  document.addEventListener("click", function (event) {
    var seat = event.target.closest && event.target.closest("#seat-picker [data-sid]");
    if (seat) { event.preventDefault(); pendingSeats.push(seat.dataset.sid); sendSeats(); return; }
    if (event.target.closest && event.target.closest("#best-button")) { pendingBest = true; sendSeats(); }
  });
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt.id !== "sale-preview" || (!pendingSeats.length && !pendingBest)) return;
    if (pendingSeats.length) event.detail.parameters.toggle = pendingSeats;
    if (pendingBest) event.detail.parameters.best = "1";
    pendingSeats = [];
    pendingBest = false;
  });
  // A panel swapped in drops the old running-total element and any request queued on it: send what waits again.
  document.addEventListener("htmx:afterSettle", function () { if (pendingSeats.length || pendingBest) sendSeats(); });
  // The "best available" boxes are not the sale: typing in them neither refreshes the total nor retakes the hold
  // (a preview racing the proposal would hold the old pick again).
  ["input", "change"].forEach(function (type) {
    document.addEventListener(type, function (event) {
      if (event.target.matches && event.target.matches("#best_quantity, #best_zone")) event.stopPropagation();
    }, true);
  });
  // Enter in the "best available" count asks for the seats (not the sale).
  document.addEventListener("keydown", function (event) {
    if (event.key !== "Enter" || !event.target.matches || !event.target.matches("#best_quantity, #best_zone")) return;
    event.preventDefault();
    event.stopPropagation();
    var best = byId("best-button");
    if (best) best.click();
  }, true);

  // The shortcut help starts folded; whether the seller opened it is remembered on this device.
  var HELP_KEY = "bilheteria.pos.shortcuts";
  function rememberHelp() {
    var help = document.querySelector("details.shortcuts");
    if (!help) return;
    try { help.open = localStorage.getItem(HELP_KEY) === "open"; } catch (e) { /* private mode: folded */ }
    help.addEventListener("toggle", function () {
      try { localStorage.setItem(HELP_KEY, help.open ? "open" : "closed"); } catch (e) { /* not remembered */ }
    });
  }
  document.addEventListener("DOMContentLoaded", rememberHelp);
})();
