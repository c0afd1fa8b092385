// The extension's one owner of state: Chromium's service worker, Firefox's event page (the same
// file, chosen by each browser's manifest). It wires the browser to the pure core and carries out
// what the core decides:
//   webRequest (observing only, never blocking) → reducer.step → the window, in memory
//   the window → the badge ("3/5", red or amber) and the popup's answer
//   the window → the native host `app.gatewatch.browser`, at most every 5 s (reducer.sendDelay)
//   the host's answer (the tray's word) → the popup, and the banner's words
//   a chatgpt.com page load answered ≥ 500 → the banner in that tab (banner.mjs)
// Without the host (Gatewatch not installed or not running) the badge, the popup and the banner
// work all the same, in the extension's own words.
//
// "In memory": the window and the tray's last word live in this worker and in
// `storage.session`, which the browser keeps in memory only (never on disk) so that a worker
// stopped while idle picks them up again. `storage.local` holds one setting: the banner on/off.

import * as core from "./reducer.mjs";
import { readHostMessage, summaryMessage } from "./wire.mjs";
import { bannerText, showBanner } from "./banner.mjs";
import { LANGS, FALLBACK, pickLang, message, summaryKey } from "./i18n.mjs";

const api = globalThis.browser ?? globalThis.chrome;

const FILTER = { urls: [`${core.ORIGIN}/*`], types: ["main_frame", "xmlhttprequest"] };
/** A port with nothing sent for this long is closed (the tray only ever answers a summary). */
const PORT_IDLE_MS = 60_000;
/** How long a tab's error page waits to finish loading before the banner gives up on it. */
const BANNER_WAIT_MS = 30_000;
/** The tray's word is used for a banner or the popup while it is this fresh. */
const WORD_FRESH_MS = core.WINDOW_MS;

// ---- State: all of it here, changed only by functions run through `enqueue`. ----
let state = core.initialState();
let lastSentMs = null;
/** "unknown" (not asked yet), "connected", "absent" (host ran, tray not), "no_host". */
let conn = { status: "unknown", failedAtMs: null };
let word = null;
let wordAtMs = null;
let bannerOn = true;
/** The tab whose page load was an error page: {tabId, status, cf, atMs, shown}. */
let errorTab = null;

let port = null;
let portIdle = null;
let sendTimer = null;
let badgeTimer = null;
const catalogs = {};

// Events are handled one at a time and in order, after the state is restored.
let queue = restore();
function enqueue(fn) {
  queue = queue.then(fn).catch((e) => console.error("gatewatch:", e));
  return queue;
}

async function restore() {
  try {
    const { gw } = await api.storage.session.get("gw");
    if (gw && typeof gw === "object") {
      state = { pending: gw.pending ?? {}, window: core.pruneWindow(gw.window ?? [], Date.now()) };
      lastSentMs = gw.lastSentMs ?? null;
      conn = gw.conn ?? conn;
      word = gw.word ?? null;
      wordAtMs = gw.wordAtMs ?? null;
    }
  } catch (e) {
    console.warn("gatewatch: storage.session unavailable, starting empty:", e);
  }
  try {
    const s = await api.storage.local.get({ banner: true });
    bannerOn = s.banner !== false;
  } catch (e) {
    console.warn("gatewatch: settings unreadable, the banner stays on:", e);
  }
  refreshBadge();
}

function persist() {
  const gw = { pending: state.pending, window: state.window, lastSentMs, conn, word, wordAtMs };
  return api.storage.session.set({ gw }).catch((e) => console.warn("gatewatch: storage.session:", e));
}

// ---- webRequest: registered at the top level, so that an event wakes a stopped worker. ----

// Only what the reducer reads, and of the headers only the three it looks at: the rest of the
// event is not kept even for the time it waits in the queue.
const HEADERS = new Set(["cf-ray", "server", "cf-mitigated"]);
function pick(d) {
  const headers = Array.isArray(d.responseHeaders)
    ? d.responseHeaders.filter((h) => HEADERS.has(String(h.name).toLowerCase())).map((h) => ({ name: h.name, value: h.value }))
    : undefined;
  return {
    requestId: d.requestId,
    url: d.url,
    method: d.method,
    type: d.type,
    tabId: d.tabId,
    incognito: d.incognito,
    initiator: d.initiator,
    originUrl: d.originUrl,
    documentUrl: d.documentUrl,
    statusCode: d.statusCode,
    fromCache: d.fromCache,
    error: d.error,
    responseHeaders: headers,
  };
}

function observe(on, details) {
  const d = pick(details);
  enqueue(() => handle(on, d));
}

api.webRequest.onHeadersReceived.addListener((d) => observe("headers", d), FILTER, ["responseHeaders"]);
api.webRequest.onBeforeRedirect.addListener((d) => observe("redirect", d), FILTER);
api.webRequest.onCompleted.addListener((d) => observe("completed", d), FILTER, ["responseHeaders"]);
api.webRequest.onErrorOccurred.addListener((d) => observe("error", d), FILTER);

async function handle(on, d) {
  const now = Date.now();
  const out = core.step(state, { on, details: d }, now);
  state = out.state;
  if (out.record === null) {
    if (on === "headers") await persist();
    return;
  }
  if (out.record.kind === "page" && errorTab && errorTab.tabId === d.tabId && !out.errorPage) {
    // The tab has moved on to a page that is not an error page.
    errorTab = null;
  }
  await persist();
  refreshBadge();
  scheduleSend();
  if (out.errorPage) awaitErrorPage(out.errorPage, now);
}

// ---- The badge: what the window says, "3/5" on red or "2/5" on amber, nothing otherwise. ----

function refreshBadge() {
  const now = Date.now();
  state = { ...state, window: core.pruneWindow(state.window, now) };
  const summary = core.summarize(state.window, now);
  const b = core.badge(summary);
  const line = summaryKey(summary);
  const title = `Gatewatch\n${api.i18n.getMessage(line.key, line.subs)}`;
  Promise.all([
    api.action.setBadgeText({ text: b.text }),
    b.color ? api.action.setBadgeBackgroundColor({ color: b.color }) : null,
    b.color && api.action.setBadgeTextColor ? api.action.setBadgeTextColor({ color: "#ffffff" }) : null,
    api.action.setTitle({ title }),
  ]).catch((e) => console.warn("gatewatch: badge:", e));
  // While the worker lives, the badge follows the window as records age out of it; a stopped
  // worker sets it again when it next wakes.
  clearTimeout(badgeTimer);
  const oldest = state.window[0];
  if (oldest) badgeTimer = setTimeout(() => enqueue(refreshBadge), Math.max(1000, oldest.t * 1000 + core.WINDOW_MS - now + 1000));
}

// ---- The native host. ----

function scheduleSend() {
  if (sendTimer !== null) return;
  sendTimer = setTimeout(() => {
    sendTimer = null;
    enqueue(sendNow);
  }, core.sendDelay(lastSentMs, Date.now()));
}

async function sendNow() {
  const now = Date.now();
  if (!core.mayConnect(conn.failedAtMs, now)) return;
  const p = port ?? openPort();
  if (p === null) return;
  state = { ...state, window: core.pruneWindow(state.window, now) };
  try {
    p.postMessage(summaryMessage(state.window));
  } catch (e) {
    // The port died between two events; the next summary opens a new one.
    console.warn("gatewatch: native port:", e);
    port = null;
    return;
  }
  lastSentMs = now;
  clearTimeout(portIdle);
  portIdle = setTimeout(() => enqueue(closePort), PORT_IDLE_MS);
  await persist();
}

function openPort() {
  let p;
  try {
    p = api.runtime.connectNative(core.HOST_NAME);
  } catch (e) {
    noteFailure("no_host");
    return null;
  }
  let heard = false;
  p.onMessage.addListener((m) => {
    heard = true;
    enqueue(() => fromHost(m));
  });
  p.onDisconnect.addListener((dp) => {
    // Chromium reports why in runtime.lastError (which must be read), Firefox in port.error.
    const why = api.runtime.lastError?.message ?? dp?.error?.message ?? "";
    enqueue(() => {
      if (port === p) port = null;
      clearTimeout(portIdle);
      // Nothing heard: the browser could not start the host (not installed, not allowed for this
      // extension) or it failed at once. "absent" or "gone" were already noted.
      if (!heard) {
        if (why) console.info("gatewatch: native host:", why);
        noteFailure("no_host");
        return persist();
      }
    });
  });
  port = p;
  return p;
}

function closePort() {
  if (port) {
    port.disconnect();
    port = null;
  }
}

function noteFailure(status) {
  conn = { status, failedAtMs: Date.now() };
  word = null;
  wordAtMs = null;
}

async function fromHost(raw) {
  const m = readHostMessage(raw);
  if (m === null) {
    console.warn("gatewatch: not a message of the host's; ignored");
    return;
  }
  switch (m.type) {
    case "state":
      conn = { status: "connected", failedAtMs: null };
      word = m;
      wordAtMs = Date.now();
      await persist();
      if (m.banner && errorTab && errorTab.shown) await injectBanner(errorTab, "update");
      return;
    case "absent":
    case "gone":
      noteFailure("absent");
      closePort();
      await persist();
      return;
    case "refused":
      // The host refused a summary: a bug on one side or the other, not the user's business.
      console.warn("gatewatch: the host refused a summary:", m.reason);
      return;
  }
}

function freshWord(sinceMs) {
  return word && wordAtMs !== null && wordAtMs >= sinceMs && Date.now() - wordAtMs < WORD_FRESH_MS ? word : null;
}

// ---- The banner. ----

// The error page's response has ended, but its document may not have replaced the previous one
// yet: the banner goes up once the tab says it has finished loading — and the page in it is the
// error page. Seen with Debian's Chromium, a 502 page opened from another chatgpt.com page: the
// tab said "loading" when asked, then sent a title change and never "complete" (about one load
// in four on a busy machine). So the tab is also asked again every half second until the banner
// is up or the wait is over; and a tab still showing the page before (its "complete" read too
// early) gets no banner: showBanner says "not_yet" there, and the next load is waited for.
function awaitErrorPage(ep, now) {
  errorTab = { ...ep, atMs: now, shown: false };
  const tabId = ep.tabId;
  let over = false;
  const done = () => {
    over = true;
    api.tabs.onUpdated.removeListener(onUpdated);
    clearTimeout(timer);
    clearInterval(poll);
  };
  const onUpdated = (id, info) => {
    if (id === tabId && info.status === "complete") {
      enqueue(async () => {
        if (over) return;
        if (!errorTab || errorTab.tabId !== tabId) return done();
        if ((await injectBanner(errorTab, "show")) !== "not_yet") done();
      });
    }
  };
  const ask = () =>
    api.tabs
      .get(tabId)
      .then((tab) => {
        if (tab.status === "complete") onUpdated(tabId, { status: "complete" });
      })
      .catch(done);
  const timer = setTimeout(done, BANNER_WAIT_MS);
  const poll = setInterval(ask, 500);
  api.tabs.onUpdated.addListener(onUpdated);
  ask();
}

async function loadCatalog(lang) {
  if (!catalogs[lang]) {
    const res = await fetch(api.runtime.getURL(`_locales/${lang}/messages.json`));
    catalogs[lang] = await res.json();
  }
  return catalogs[lang];
}

/** What `showBanner` said ("shown", "not_yet", …), or "off" / "failed". */
async function injectBanner(tab, mode) {
  if (!bannerOn) return "off";
  const w = freshWord(tab.atMs);
  const uiLang = api.i18n.getUILanguage();
  await loadCatalog(FALLBACK);
  const lang = pickLang(w ? w.lang : uiLang);
  if (LANGS.includes(lang)) await loadCatalog(lang);
  const text = bannerText({ word: w, status: tab.status, cf: tab.cf, uiLang, catalogs });
  try {
    const [res] = await api.scripting.executeScript({ target: { tabId: tab.tabId }, func: showBanner, args: [text, mode] });
    if (res?.result === "shown") tab.shown = true;
    return res?.result ?? "failed";
  } catch (e) {
    // Not scriptable (the browser's own error page, a tab gone or elsewhere): the badge says it.
    console.info("gatewatch: no banner in that tab:", e?.message ?? e);
    return "failed";
  }
}

api.storage.onChanged.addListener((changes, area) => {
  if (area === "local" && changes.banner) bannerOn = changes.banner.newValue !== false;
});

// ---- The popup asks what to show. ----

api.runtime.onMessage.addListener((msg, sender, reply) => {
  if (sender.id !== api.runtime.id || msg?.type !== "popup") return false;
  enqueue(() => {
    const now = Date.now();
    state = { ...state, window: core.pruneWindow(state.window, now) };
    // Opening the popup says hello to the app when it has not been heard from, so that it can
    // say whether Gatewatch is there (an empty window is a summary of nothing).
    if (conn.status !== "connected" && core.mayConnect(conn.failedAtMs, now)) scheduleSend();
    const w = freshWord(0);
    reply({
      summary: core.summarize(state.window, now),
      connection: conn.status,
      tray: w ? { lang: w.lang, rtl: w.rtl, color: w.color, status: w.status } : null,
      banner: bannerOn,
    });
  });
  return true;
});
