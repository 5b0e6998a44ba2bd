// Live seat maps (the POS picker, the dashboard): every few seconds ask for the seats changed since the last look
// and redraw only those — the server draws them (services/seat_svg.py) — keeping the keyboard where it was.
(function () {
  var PERIOD = 3000, SVG_NS = "http://www.w3.org/2000/svg";
  function parse(markup) {
    var doc = new DOMParser().parseFromString('<svg xmlns="' + SVG_NS + '">' + markup + "</svg>", "image/svg+xml");
    return Array.prototype.slice.call(doc.documentElement.children);
  }
  function apply(root, markup) {
    parse(markup).forEach(function (fresh) {
      var old = document.getElementById(fresh.id);
      if (!old || !root.contains(old)) return;
      var seat = document.importNode(fresh, true), focused = document.activeElement === old;
      seat.setAttribute("tabindex", old.getAttribute("tabindex") || "-1");  // the roving focus stays where it is
      if (old.classList.contains("selected")) seat.classList.add("selected");
      old.replaceWith(seat);
      if (focused) seat.focus();
    });
  }
  function look(root) {
    if (root.dataset.busy || !root.dataset.liveSince) return;
    root.dataset.busy = "1";
    var url = root.dataset.liveUrl + "?since=" + encodeURIComponent(root.dataset.liveSince) +
              "&hold=" + encodeURIComponent(root.dataset.liveHold || "");
    // X-Auto-Refresh: a map left open does not keep an idle session alive.
    fetch(url, { credentials: "same-origin", headers: { "Accept": "application/json", "X-Auto-Refresh": "1" } })
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (data) {
        delete root.dataset.busy;
        if (!data || !document.body.contains(root)) return;  // redrawn meanwhile: the new drawing is newer
        root.dataset.liveSince = data.now;
        if (data.markup) apply(root, data.markup);
      })
      .catch(function () { delete root.dataset.busy; });
  }
  setInterval(function () {
    if (document.hidden) return;
    Array.prototype.forEach.call(document.querySelectorAll("[data-live-url]"), look);
  }, PERIOD);
})();
