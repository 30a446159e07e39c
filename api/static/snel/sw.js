// trede snel vastleggen: the service worker (docs/snel-vastleggen.md).
// It caches the app's shell and the last pupil list, network first, so that the app opens
// without a connection. It never caches or replays a POST: the page keeps the queue in
// IndexedDB and sends it itself, each record with its own idempotency key.
"use strict";
const CACHE = "trede-snel-v1";
const STATIC = ["/snel/snel.js", "/snel/snel.css", "/snel/manifest.webmanifest", "/snel/icoon.svg"];
const DATA = "/snel/gegevens";

self.addEventListener("install", (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(STATIC);
    for (const path of ["/snel/", DATA]) {
      // not sent on to the login page without a session: that would replace its CSRF cookie
      await keep(cache, path, await fetch(path, { credentials: "same-origin", redirect: "manual" }).catch(() => null));
    }
    await self.skipWaiting();
  })());
});

self.addEventListener("activate", (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys()) {
      if (name.startsWith("trede-snel") && name !== CACHE) await caches.delete(name);
    }
    await self.clients.claim();
  })());
});

async function keep(cache, path, response) {
  // only a real answer of this site: never a redirect to the login page or an error
  if (!response || !response.ok || response.redirected || response.type !== "basic") return;
  if (path === DATA) {
    const headers = new Headers(response.headers);
    headers.set("x-snel-opgehaald", String(Date.now())); // the device's clock: the page lets it expire
    response = new Response(await response.blob(), { status: response.status, headers });
  }
  await cache.put(path, response);
}

async function networkFirst(request, path) {
  try {
    const response = await fetch(request);
    await keep(await caches.open(CACHE), path, response.clone());
    return response;
  } catch (error) {
    const cached = await caches.match(path, { cacheName: CACHE });
    if (cached) return cached;
    throw error;
  }
}

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin) return;
  const path = url.pathname;
  if (path === "/snel/sw.js" || !(path === "/snel/" || path === DATA || STATIC.includes(path))) return;
  event.respondWith(networkFirst(event.request, path));
});

async function wipe() {
  for (const name of await caches.keys()) {
    if (name.startsWith("trede-snel")) await caches.delete(name);
  }
  await new Promise((done) => {
    const request = indexedDB.deleteDatabase("trede-snel");
    request.onsuccess = request.onerror = request.onblocked = () => done();
  });
}

self.addEventListener("message", (event) => {
  if (event.data === "wissen") event.waitUntil(wipe());
});

// Background Sync where the browser has it; else the page retries on load and when online.
self.addEventListener("sync", (event) => {
  if (event.tag !== "snel-verzenden") return;
  event.waitUntil((async () => {
    for (const client of await self.clients.matchAll({ type: "window" })) client.postMessage("verzend");
  })());
});
