// trede snel vastleggen: an incident in three taps (a pupil, the kind, the place), offline too.
// The queue lives in IndexedDB and holds only pseudonyms, codes, the moment of the tap and the
// record's idempotency key; it is sent when the network returns, each record once (the
// server records a key once). See docs/snel-vastleggen.md.
"use strict";
(() => {
  const DB = "trede-snel";
  const STORE = "wachtrij";
  const CACHE = "trede-snel-v1";
  const QUEUE_MAX_AGE = 24 * 3600 * 1000; // a record not sent within a day is dropped, with a warning
  const DATA_MAX_AGE = 12 * 3600 * 1000; // the cached pupil list is not used after this
  let data = null;
  let sending = false;
  const choice = { part: "slachtoffer" };
  const $ = (id) => document.getElementById(id);

  // --- IndexedDB --------------------------------------------------------------------
  function openDb() {
    return new Promise((resolve, reject) => {
      const request = indexedDB.open(DB, 1);
      request.onupgradeneeded = () => request.result.createObjectStore(STORE, { keyPath: "key" });
      request.onsuccess = () => resolve(request.result);
      request.onerror = () => reject(request.error);
    });
  }
  async function inStore(mode, action) {
    const db = await openDb();
    return new Promise((resolve, reject) => {
      const tx = db.transaction(STORE, mode);
      const request = action(tx.objectStore(STORE));
      tx.oncomplete = () => { db.close(); resolve(request.result); };
      tx.onerror = () => { db.close(); reject(tx.error); };
    });
  }
  const queued = () => inStore("readonly", (s) => s.getAll());
  const enqueue = (item) => inStore("readwrite", (s) => s.put(item));
  const dequeue = (key) => inStore("readwrite", (s) => s.delete(key));

  // --- showing ----------------------------------------------------------------------
  function say(text) { $("status").textContent = text; }
  function warn(text) {
    const el = $("waarschuwing");
    el.textContent = text;
    el.hidden = !text;
  }
  function step(id) {
    for (const s of ["stap-leerling", "stap-soort", "stap-plaats"]) $(s).hidden = s !== id;
  }
  function button(label, onTap, serious) {
    const b = document.createElement("button");
    b.type = "button";
    b.textContent = label;
    if (serious) b.className = "serious";
    b.addEventListener("click", onTap);
    return b;
  }
  function radios(container, name, options, chosen, onChange) {
    container.replaceChildren();
    for (const o of options) {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "radio";
      input.name = name;
      input.value = o.key;
      input.checked = o.key === chosen;
      input.addEventListener("change", () => onChange(o.key));
      label.append(input, " ", o.label);
      container.append(label);
    }
  }
  async function showQueue() {
    const items = await queued();
    $("wachtrij-tekst").textContent = items.length === 0 ? "Geen."
      : `${items.length} ${items.length === 1 ? "record wacht" : "records wachten"} op verbinding.`;
    document.body.dataset.wachtrij = String(items.length);
  }

  // --- the three taps ---------------------------------------------------------------
  function render() {
    radios($("rollen"), "rol", data.parts.map((p) => ({ key: p, label: p })), choice.part, (k) => { choice.part = k; });
    const list = $("leerlingen");
    list.replaceChildren();
    let group = null;
    for (const p of data.pupils) {
      if (p.group !== group) {
        group = p.group;
        const h = document.createElement("p");
        h.className = "groep";
        h.textContent = group ? `Groep ${group}` : "Zonder groep";
        list.append(h);
      }
      list.append(button(p.name, () => {
        choice.pupil = p;
        $("gekozen-leerling").textContent = `${p.name} (${choice.part})`;
        step("stap-soort");
      }));
    }
    if (data.pupils.length === 0) list.textContent = "Er staan geen leerlingen in uw groepen.";
    const kinds = $("soorten");
    kinds.replaceChildren(...data.kinds.map((k) => button(k.label, () => {
      choice.kind = k;
      const levels = data.seriousness;
      choice.seriousness = (k.serious ? levels[levels.length - 1] : levels[0]).key;
      radios($("ernst"), "ernst", levels, choice.seriousness, (key) => { choice.seriousness = key; });
      $("gekozen-soort").textContent = `${choice.pupil.name}: ${k.label}`;
      step("stap-plaats");
    }, k.serious)));
    $("plaatsen").replaceChildren(...data.places.map((pl) => button(pl.label, () => record(pl))));
    step("stap-leerling");
  }

  async function record(place) {
    const item = {
      key: crypto.randomUUID(),
      school: choice.pupil.school,
      pupil: choice.pupil.name,
      part: choice.part,
      kind: choice.kind.key,
      place: place.key,
      seriousness: choice.seriousness,
      happened: new Date().toISOString(), // the moment of the tap: the fact date
      queued: Date.now(),
    };
    await enqueue(item);
    say(`Vastgelegd: ${choice.pupil.name}, ${choice.kind.label}, ${place.label}.`);
    step("stap-leerling");
    await showQueue();
    try {
      const registration = await navigator.serviceWorker.ready;
      if (registration.sync) await registration.sync.register("snel-verzenden");
    } catch (error) { /* no Background Sync: sent when online and on the next load */ }
    send();
  }

  // --- sending ----------------------------------------------------------------------
  async function send() {
    if (sending) return;
    sending = true;
    document.body.dataset.verzenden = "1";
    let dropped = 0;
    let refused = 0;
    let loginNeeded = false;
    try {
      const items = (await queued()).sort((a, b) => a.queued - b.queued);
      for (const item of items) {
        if (Date.now() - item.queued > QUEUE_MAX_AGE) { await dequeue(item.key); dropped += 1; continue; }
        if (!data) break;
        let response;
        try {
          response = await fetch("/snel/incidenten", {
            method: "POST",
            credentials: "same-origin",
            headers: { "content-type": "application/json", accept: "application/json", "x-csrf-token": data.csrf },
            body: JSON.stringify(item),
          });
        } catch (error) {
          break; // offline, or the answer was lost: it stays queued and goes again with the same key
        }
        const json = (response.headers.get("content-type") || "").includes("json");
        if (response.ok && json && !response.redirected) { await dequeue(item.key); continue; }
        if (response.status === 401 || response.status === 403 || response.redirected || !json) { loginNeeded = true; break; }
        const problem = response.status === 409 ? await response.json().catch(() => ({})) : {};
        const conflict = problem.title === "quick_record_conflict"; // its key already holds another record
        if (response.status >= 400 && response.status < 500 && (conflict || (response.status !== 409 && response.status !== 429))) {
          await dequeue(item.key); refused += 1; continue; // it can never succeed: say so
        }
        break; // the server is busy: later
      }
    } finally {
      sending = false;
    }
    document.body.dataset.verzenden = "0";
    const warnings = [];
    if (dropped) warnings.push(`${dropped} ${dropped === 1 ? "record was" : "records waren"} ouder dan 24 uur en ${dropped === 1 ? "is" : "zijn"} niet verzonden maar gewist; leg ${dropped === 1 ? "het" : "ze"} opnieuw vast in trede.`);
    if (refused) warnings.push(`${refused} ${refused === 1 ? "record is" : "records zijn"} door trede geweigerd en gewist; leg ${refused === 1 ? "het" : "ze"} opnieuw vast in trede.`);
    if (loginNeeded) warnings.push("Log opnieuw in bij trede om de wachtende records te verzenden.");
    if (warnings.length) warn(warnings.join(" "));
    await showQueue();
  }

  // --- the data, fetched while online -----------------------------------------------
  async function load() {
    let response = null;
    try {
      response = await fetch("/snel/gegevens", { credentials: "same-origin", headers: { accept: "application/json" } });
    } catch (error) { response = null; }
    if (!response || !response.ok || !(response.headers.get("content-type") || "").includes("json")) {
      say("Geen leerlingenlijst: maak verbinding en log in bij trede.");
      return;
    }
    const fetched = Number(response.headers.get("x-snel-opgehaald") || Date.now());
    if (Date.now() - fetched > DATA_MAX_AGE) {
      try { await (await caches.open(CACHE)).delete("/snel/gegevens"); } catch (error) { /* already gone */ }
      say("De bewaarde leerlingenlijst is verlopen: maak verbinding om hem te vernieuwen.");
      return;
    }
    data = await response.json();
    render();
    say(navigator.onLine ? "Klaar." : "Geen verbinding: records worden bewaard en later verzonden.");
  }

  document.addEventListener("DOMContentLoaded", async () => {
    for (const b of document.querySelectorAll("[data-terug]")) b.addEventListener("click", () => step(b.dataset.terug));
    $("verzend").addEventListener("click", send);
    window.addEventListener("online", send);
    if ("serviceWorker" in navigator) {
      navigator.serviceWorker.addEventListener("message", (event) => { if (event.data === "verzend") send(); });
      navigator.serviceWorker.register("/snel/sw.js", { scope: "/snel/" }).catch(() => {});
    }
    await load();
    await showQueue();
    send();
    document.body.dataset.klaar = "1";
  });
})();
