// After logout: nothing of snel vastleggen stays on this device (docs/snel-vastleggen.md).
"use strict";
(async () => {
  try {
    if ("serviceWorker" in navigator) {
      for (const registration of await navigator.serviceWorker.getRegistrations()) {
        if (registration.active) registration.active.postMessage("wissen");
      }
    }
  } catch (error) { /* no service worker: the rest still runs */ }
  try {
    for (const name of await caches.keys()) {
      if (name.startsWith("trede-snel")) await caches.delete(name);
    }
  } catch (error) { /* no Cache API */ }
  try {
    await new Promise((done) => {
      const request = indexedDB.deleteDatabase("trede-snel");
      request.onsuccess = request.onerror = request.onblocked = () => done();
    });
  } catch (error) { /* no IndexedDB */ }
  document.documentElement.dataset.snelGewist = "1";
})();
