// Seat maps (templates/seats/_map.html), shared by the map builder and the POS seat picker.
// One seat at a time is in the tab order (roving tabindex); the arrow keys move to the nearest seat in that
// direction, Space or Enter activates the focused seat (a click). A click on a seat dispatches "seatmap:select"
// ({sid}) and, when the map has data-select-url, loads that url + sid into data-select-target through htmx.
(function () {
  function seatsOf(map) { return Array.prototype.slice.call(map.querySelectorAll("g.seat")); }
  function centre(seat) { var b = seat.getBBox(); return { x: b.x + b.width / 2, y: b.y + b.height / 2 }; }

  function nearest(map, from, dx, dy) {
    var here = centre(from), best = null, bestScore = Infinity;
    seatsOf(map).forEach(function (seat) {
      if (seat === from) return;
      var c = centre(seat), along = (c.x - here.x) * dx + (c.y - here.y) * dy;
      if (along <= 0.5) return;  // not in that direction
      var across = Math.abs((c.x - here.x) * dy) + Math.abs((c.y - here.y) * dx);
      var score = along + across * 2.5;  // keep to the same row (or column) when there is a seat there
      if (score < bestScore) { bestScore = score; best = seat; }
    });
    return best;
  }

  function focusSeat(map, seat) {
    seatsOf(map).forEach(function (s) { s.setAttribute("tabindex", s === seat ? "0" : "-1"); });
    seat.focus();
  }

  var MOVES = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] };

  document.addEventListener("keydown", function (event) {
    var seat = event.target.closest && event.target.closest("g.seat");
    var map = seat && seat.closest(".seatmap");
    if (!map) return;
    if (MOVES[event.key]) {
      event.preventDefault();
      var next = nearest(map, seat, MOVES[event.key][0], MOVES[event.key][1]);
      if (next) focusSeat(map, next);
    } else if (event.key === " " || event.key === "Enter") {
      event.preventDefault();
      seat.dispatchEvent(new MouseEvent("click", { bubbles: true }));
    }
  });

  document.addEventListener("click", function (event) {
    var seat = event.target.closest && event.target.closest("g.seat");
    var map = seat && seat.closest(".seatmap");
    if (!map) return;
    focusSeat(map, seat);
    var sid = seat.getAttribute("data-sid");
    seat.dispatchEvent(new CustomEvent("seatmap:select", { bubbles: true, detail: { sid: sid } }));
    var url = map.getAttribute("data-select-url");
    if (url && window.htmx) {
      window.htmx.ajax("GET", url + encodeURIComponent(sid), { target: map.getAttribute("data-select-target") || map, swap: "outerHTML" });
    }
  });
})();
