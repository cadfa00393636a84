// The page side of the installable portal, loaded by every page (a module: runs after parsing).
// - Starts the app: once the server-rendered page has loaded (it paints and works as plain
//   HTML before), the wasm bundle hydrates it and the router takes over every link.
// - Fetches ahead the data of a post or event the visitor is about to open (pointer over or
//   touching its link, or on a phone its card in view), so the app shows it at once; never on
//   a metered or data-saving connection.
// - Restores the scroll position on back and forward once the app has rendered the page.
// - Registers the service worker and offers a reload when a new version is waiting.
// - Shows the install button when the browser offers installation, and iOS instructions.
// - Shows what became of registrations made offline, and asks the worker to send them when
//   the connection returns.
// Every text shown is in the page (rendered by the server in the page's language).
"use strict";

const byId = (id) => document.getElementById(id);
const show = (id, visible = true) => {
  const element = byId(id);
  if (element) element.hidden = !visible;
};

async function startApp() {
  const bundle = document.querySelector('meta[name="bundle"]')?.content;
  if (!bundle) return false;
  // The worker's offline page, shown for an address it has no copy of: the app would render
  // that address's page over it. It stays a plain page; "try again" loads the address.
  const offlineStandIn = document.querySelector('[data-testid="offline-page"]') && !/^\/(bg|en)\/offline$/.test(location.pathname);
  if (offlineStandIn) return false;
  // User Timing (DevTools, Lighthouse, scripts/hydration.mjs): loading the bundle, hydrating.
  performance.mark("app-load-start");
  const bindings = await import(`${bundle}.js`);
  await bindings.default({ module_or_path: `${bundle}_bg.wasm` });
  performance.measure("app-load", "app-load-start");
  // Hydration in a task of its own, not behind the end of the bundle's compilation: two
  // shorter tasks block the page less than one long one (TBT counts each task's part over 50 ms).
  await nextTask();
  performance.mark("app-hydrate-start");
  await bindings.hydrate();
  performance.measure("app-hydrate", "app-hydrate-start");
  return true;
}

/** A new task of the event loop (the browser may paint and handle input before it). */
function nextTask() {
  if (globalThis.scheduler?.yield) return scheduler.yield();
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/** After the page's own load, so the bundle never competes with what the visitor sees first. */
function afterLoad() {
  if (document.readyState === "complete") return Promise.resolve();
  return new Promise((resolve) => window.addEventListener("load", resolve, { once: true }));
}

function setUpServiceWorker() {
  if (!("serviceWorker" in navigator)) return;
  const worker = navigator.serviceWorker;
  let updating = false;
  const offerUpdate = (waiting) => {
    show("notice-update");
    byId("update-button").onclick = () => {
      updating = true;
      waiting.postMessage({ type: "skip-waiting" });
    };
  };
  worker
    .register("/sw.js", { scope: "/" })
    .then((registration) => {
      if (registration.waiting && worker.controller) offerUpdate(registration.waiting);
      registration.addEventListener("updatefound", () => {
        const installing = registration.installing;
        installing?.addEventListener("statechange", () => {
          // With no controller this is the first install, not an update.
          if (installing.state === "installed" && worker.controller) offerUpdate(installing);
        });
      });
    })
    .catch((error) => console.warn("service worker not registered", error));
  worker.addEventListener("controllerchange", () => {
    if (updating) location.reload();
  });
  const replay = () => worker.ready.then((registration) => registration.active?.postMessage({ type: "replay" }));
  // The `online` event can come before the connection really works: while registrations
  // still wait, ask again, less and less often.
  let retry = null;
  let delay = 2000;
  worker.addEventListener("message", (event) => {
    if (event.data?.type !== "registrations") return;
    showRegistrations(event.data);
    showCheckIns(event.data.checkIns);
    clearTimeout(retry);
    const waiting = event.data.pending + (event.data.checkIns?.signIn ? 0 : event.data.checkIns?.pending ?? 0);
    if (waiting > 0 && navigator.onLine) {
      retry = setTimeout(replay, delay);
      delay = Math.min(delay * 2, 60000);
    } else {
      delay = 2000;
    }
  });
  replay();
  window.addEventListener("online", replay);
}

function showRegistrations({ pending, notices }) {
  show("notice-queued", pending > 0);
  for (const notice of notices) {
    const [box, link] = notice.outcome === "delivered"
      ? ["notice-delivered", "notice-delivered-link"]
      : ["notice-rejected", "notice-rejected-link"];
    byId(link).href = notice.url;
    show(box);
  }
}

function showCheckIns(checkIns) {
  if (!checkIns) return;
  show("notice-check-ins", checkIns.pending > 0 && !checkIns.signIn);
  show("notice-check-ins-sign-in", checkIns.pending > 0 && checkIns.signIn);
  if (checkIns.refused > 0) show("notice-check-ins-refused");
}

function setUpInstall() {
  let offer = null;
  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault();
    offer = event;
    show("install-button");
  });
  byId("install-button")?.addEventListener("click", async () => {
    if (!offer) return;
    offer.prompt();
    await offer.userChoice;
    offer = null;
    show("install-button", false);
  });
  window.addEventListener("appinstalled", () => show("install-button", false));

  // Safari on iOS has no install prompt: say how to add the portal to the home screen.
  const ios = /iphone|ipad|ipod/i.test(navigator.userAgent) || (navigator.platform === "MacIntel" && navigator.maxTouchPoints > 1);
  const standalone = matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
  if (ios && !standalone && localStorage.getItem("ios-install-dismissed") !== "1") {
    show("notice-ios");
    byId("ios-dismiss").onclick = () => {
      localStorage.setItem("ios-install-dismissed", "1");
      show("notice-ios", false);
    };
  }
}

// The GET server function that feeds a page (src/posts/api.rs, src/events/api.rs): the same
// address the app asks, so the copy the worker keeps is the one it finds.
const PAGE_DATA = /^\/(bg|en)\/(posts|events)\/([a-z0-9-]+)$/;
const PREFETCH_LIMIT = 24;

function setUpPrefetch() {
  const connection = navigator.connection;
  if (connection && (connection.saveData || /(^|-)2g$/.test(connection.effectiveType || ""))) return;
  const fetched = new Set();
  const prefetch = (link) => {
    if (!link || link.origin !== location.origin || fetched.size >= PREFETCH_LIMIT) return;
    const match = PAGE_DATA.exec(link.pathname);
    if (!match || link.pathname === location.pathname) return;
    const [, lang, kind, slug] = match;
    // Written as the server function's client writes it, trailing "&" included.
    const url = `/api/${kind}/page?lang=${lang}&slug=${slug}&`;
    if (fetched.has(url)) return;
    fetched.add(url);
    fetch(url, { credentials: "same-origin" }).catch(() => fetched.delete(url));
  };
  const nearLink = (event) => prefetch(event.target instanceof Element ? event.target.closest("a[href]") : null);
  document.addEventListener("pointerover", nearLink, { passive: true });
  document.addEventListener("touchstart", nearLink, { passive: true });
  document.addEventListener("focusin", nearLink);
  // A phone has no hover: the cards a visitor lingers on (a second in view) are the likely taps.
  if (matchMedia("(pointer: coarse)").matches && "IntersectionObserver" in window) {
    const timers = new Map();
    const watcher = new IntersectionObserver((entries) => {
      for (const entry of entries) {
        clearTimeout(timers.get(entry.target));
        if (entry.isIntersecting) timers.set(entry.target, setTimeout(() => prefetch(entry.target), 1000));
      }
    }, { threshold: 0.6 });
    const watch = () => document.querySelectorAll("main .card__title a").forEach((link) => watcher.observe(link));
    watch();
    // Client-side navigation brings new cards.
    new MutationObserver(watch).observe(document.getElementById("main") || document.body, { childList: true, subtree: true });
  }
}

// Back and forward return where the visitor was, as in a native app. The browser's own
// restoration runs before the app has rendered the page it goes back to (its data may still be
// on the way), so the app restores the position once the page is tall enough for it.
function setUpScrollRestoration() {
  history.scrollRestoration = "manual";
  const positions = new Map();
  // Following a link, the router scrolls to the top before the address changes: that is not
  // where the visitor left this page.
  let leaving = null;
  document.addEventListener(
    "click",
    (event) => {
      const link = event.target instanceof Element ? event.target.closest("a[href]") : null;
      if (!link || link.origin !== location.origin) return;
      positions.set(location.href, scrollY);
      leaving = location.href;
      setTimeout(() => (leaving = null), 2000);
    },
    true,
  );
  addEventListener(
    "scroll",
    () => {
      if (leaving !== location.href) positions.set(location.href, scrollY);
    },
    { passive: true },
  );
  addEventListener("popstate", () => {
    const target = positions.get(location.href) ?? 0;
    const main = document.getElementById("main");
    const previous = main?.firstElementChild;
    const started = performance.now();
    let restoredAt = 0;
    let touched = false;
    const stop = () => (touched = true);
    for (const type of ["wheel", "touchstart", "keydown", "pointerdown"]) addEventListener(type, stop, { once: true, passive: true });
    const restore = () => {
      const now = performance.now();
      const waited = now - started;
      if (touched) return;
      if (restoredAt) {
        // The router scrolls to the top when it completes the navigation, which may come
        // after: hold the position for a moment, until the visitor moves.
        if (Math.abs(scrollY - target) > 2) scrollTo(0, target);
        if (now - restoredAt < 1000) requestAnimationFrame(restore);
        return;
      }
      // The page gone back to has replaced the one shown (or the same page shows new data),
      // its data has arrived, and it is tall enough.
      const rendered = main?.firstElementChild !== previous || waited > 300;
      const loaded = !main?.querySelector(".loading");
      const room = document.documentElement.scrollHeight - innerHeight;
      if ((rendered && loaded && room >= target) || waited > 3000) {
        scrollTo(0, target);
        restoredAt = now;
      }
      requestAnimationFrame(restore);
    };
    requestAnimationFrame(restore);
  });
}

function setUpOfflineNotice() {
  const update = () => show("notice-offline", !navigator.onLine);
  update();
  window.addEventListener("online", update);
  window.addEventListener("offline", update);
}

// The worker's precache downloads the app shell: after the page has loaded, not competing with it.
if (document.readyState === "complete") setUpServiceWorker();
else window.addEventListener("load", setUpServiceWorker, { once: true });
setUpInstall();
setUpOfflineNotice();
afterLoad().then(startApp).then(
  // Tells end-to-end tests (and curious people) that the page is interactive.
  (started) => {
    if (!started) return;
    document.body.setAttribute("data-hydrated", "");
    setUpPrefetch();
    setUpScrollRestoration();
  },
  (error) => console.error("the page could not become interactive", error),
);
