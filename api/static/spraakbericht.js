// trede meldpunt: speak instead of write. Records a voice message in the browser
// (MediaRecorder), plays it back, records again, and sends it with the report as a file in
// the form's own multipart submission. "Vervorm mijn stem" runs the microphone through an
// AudioWorklet pitch shifter (stemvervormer.js) before the recorder, so the undisguised
// voice is never recorded nor sent. Without this script (or without a microphone) the
// section stays hidden and the form is plain text reporting.
(function () {
  "use strict";
  const section = document.getElementById("spraak");
  const form = document.getElementById("meldformulier");
  if (!section || !form || !navigator.mediaDevices || !window.MediaRecorder || !window.DataTransfer) return;
  const start = document.getElementById("opnemen");
  const stop = document.getElementById("stoppen");
  const again = document.getElementById("opnieuw");
  const status = document.getElementById("spraak-status");
  const player = document.getElementById("terugluisteren");
  const file = document.getElementById("spraakbericht");
  const disguise = document.getElementById("stem_vervormd");
  const LIMIT_MS = 10 * 60 * 1000;
  let recorder = null;
  let microphone = null;
  let context = null;
  let timer = null;
  let url = "";
  let recordedDisguised = false;

  section.hidden = false;

  function kind() {
    for (const type of ["audio/webm;codecs=opus", "audio/ogg;codecs=opus", "audio/webm"]) {
      if (MediaRecorder.isTypeSupported(type)) return type;
    }
    return "";
  }

  function say(text) {
    status.textContent = text;
  }

  function clear() {
    if (url) URL.revokeObjectURL(url);
    url = "";
    player.removeAttribute("src");
    player.hidden = true;
    file.value = "";
    section.dataset.opname = "";
    again.hidden = true;
  }

  function release() {
    if (microphone) microphone.getTracks().forEach((t) => t.stop());
    microphone = null;
    if (context) context.close();
    context = null;
    if (timer) clearTimeout(timer);
    timer = null;
  }

  async function disguised(stream) {
    context = new AudioContext();
    await context.audioWorklet.addModule("/melden/stemvervormer.js");
    const source = context.createMediaStreamSource(stream);
    const shifter = new AudioWorkletNode(context, "stemvervormer", { processorOptions: { ratio: 0.72 } });
    const out = context.createMediaStreamDestination();
    source.connect(shifter).connect(out);
    return out.stream;
  }

  async function record() {
    clear();
    const type = kind();
    if (!type) {
      say("Je browser kan geen spraakbericht opnemen. Schrijf je melding hierboven.");
      return;
    }
    try {
      microphone = await navigator.mediaDevices.getUserMedia({ audio: true });
      recordedDisguised = disguise.checked;
      const stream = recordedDisguised ? await disguised(microphone) : microphone;
      const parts = [];
      recorder = new MediaRecorder(stream, { mimeType: type });
      recorder.ondataavailable = (e) => { if (e.data.size) parts.push(e.data); };
      recorder.onstop = () => {
        release();
        const blob = new Blob(parts, { type: type.split(";")[0] });
        const extension = blob.type === "audio/ogg" ? ".ogg" : ".webm";
        const list = new DataTransfer();
        list.items.add(new File([blob], "spraakbericht" + extension, { type: blob.type }));
        file.files = list.files;
        url = URL.createObjectURL(blob);
        player.src = url;
        player.hidden = false;
        again.hidden = false;
        start.disabled = false;
        stop.disabled = true;
        section.dataset.opname = recordedDisguised ? "vervormd" : "gewoon";
        say("Je spraakbericht is klaar" + (recordedDisguised ? ", met vervormde stem" : "") +
          ". Luister het terug; het wordt pas verstuurd met de knop Melding versturen.");
      };
      recorder.start(1000);
      start.disabled = true;
      stop.disabled = false;
      timer = setTimeout(() => recorder && recorder.state === "recording" && recorder.stop(), LIMIT_MS);
      say("Bezig met opnemen" + (recordedDisguised ? " (je stem wordt vervormd)" : "") + "… Druk op Stoppen als je klaar bent.");
    } catch (err) {
      release();
      start.disabled = false;
      stop.disabled = true;
      say("Opnemen lukt niet (geen microfoon, of geen toestemming). Je kunt je melding ook schrijven.");
    }
  }

  start.addEventListener("click", record);
  again.addEventListener("click", record);
  stop.addEventListener("click", () => { if (recorder && recorder.state === "recording") recorder.stop(); });
  disguise.addEventListener("change", () => {
    if (file.files && file.files.length && disguise.checked !== recordedDisguised) {
      clear();
      say(disguise.checked
        ? "De opname is weggegooid: neem opnieuw op, dan wordt je stem vervormd."
        : "De opname is weggegooid: neem opnieuw op zonder vervorming.");
    }
  });
})();
