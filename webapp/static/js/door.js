// The door's scanning page: the code box keeps the focus (USB/Bluetooth scanners type into whatever has it),
// each answer beeps, and a camera button appears where the browser can read QR codes itself.
(function () {
  var form = document.getElementById("scan-form");
  if (!form) return;
  var input = document.getElementById("scan-code");
  var sound = document.getElementById("door-sound");
  var audio = null;

  function focusScan() {
    if (document.activeElement !== input) input.focus();
  }

  // Another field the user chose to type in (the manager's reason, the sound switch): leave the focus there.
  function otherField(el) {
    return el && el !== input && el.matches && el.matches("input, textarea, select");
  }

  function beep(ok) {
    if (!sound || !sound.checked) return;
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      var osc = audio.createOscillator(), gain = audio.createGain();
      osc.type = ok ? "sine" : "square";
      osc.frequency.value = ok ? 880 : 220;
      gain.gain.value = 0.12;
      osc.connect(gain);
      gain.connect(audio.destination);
      osc.start();
      osc.stop(audio.currentTime + (ok ? 0.12 : 0.45));
    } catch (e) { /* no sound is fine */ }
  }

  // The code is already in the request: empty the box now so the next scan never mixes with this one.
  // An Enter on an empty box (a stray key, a scanner's lone Enter) sends nothing: no REFUSED, no buzzer.
  document.addEventListener("htmx:configRequest", function (event) {
    if (event.detail.elt !== form) return;
    if (!String(event.detail.parameters.code || "").trim()) {
      event.preventDefault();
      return;
    }
    input.value = "";
  });

  document.addEventListener("htmx:afterSettle", function () {
    var result = document.querySelector("#door-result[data-fresh]");
    if (!result) return;
    result.removeAttribute("data-fresh");
    beep(result.dataset.outcome === "admitted");
    if (!otherField(document.activeElement)) focusScan();
  });

  // Clicking anywhere else (or a button) gives the focus back to the code box; another field does not.
  document.addEventListener("focusout", function (event) {
    if (otherField(event.relatedTarget)) return;
    setTimeout(function () {
      if (!otherField(document.activeElement)) focusScan();
    }, 0);
  });
  if (sound) sound.addEventListener("change", focusScan);

  // Camera: only where the browser has BarcodeDetector (Chrome on Android, for one); hidden elsewhere.
  var button = document.getElementById("camera-button");
  var video = document.getElementById("camera-view");
  if (!button || !video || !("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  button.hidden = false;
  var stream = null, detector = null, last = "", lastAt = 0;

  function stop() {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.hidden = true;
    focusScan();
  }

  function look() {
    if (!stream) return;
    detector.detect(video).then(function (codes) {
      var now = Date.now();
      // The same code stays in front of the camera for a while: send it once, not once per frame.
      if (codes.length && (codes[0].rawValue !== last || now - lastAt > 4000)) {
        last = codes[0].rawValue;
        lastAt = now;
        input.value = last;
        form.requestSubmit();
      }
    }).catch(function () {}).then(function () { setTimeout(look, 250); });
  }

  button.addEventListener("click", function () {
    if (stream) return stop();
    navigator.mediaDevices.getUserMedia({video: {facingMode: "environment"}}).then(function (s) {
      stream = s;
      detector = new window.BarcodeDetector({formats: ["qr_code"]});
      video.srcObject = s;
      video.hidden = false;
      video.play();
      look();
    }).catch(function () { stop(); });
  });
})();
