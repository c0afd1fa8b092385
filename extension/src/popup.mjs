// The popup: asks the worker what the window says and shows it — "3 of the last 5 ChatGPT
// requests failed", the newest failure's cause, the Gatewatch app's own status line when it is
// connected, and whether it is. Texts from the browser's i18n (the browser's language); the
// tray's status line in the tray's language. textContent only.

import { judgement } from "./reducer.mjs";
import { causeKey, summaryKey } from "./i18n.mjs";

const api = globalThis.browser ?? globalThis.chrome;
const $ = (id) => document.getElementById(id);
const t = (key, subs) => api.i18n.getMessage(key, subs);
const HOST = { origins: ["https://chatgpt.com/*"] };

const COLOR = { fails: "red", partly_fails: "amber", answers: "green", quiet: "grey" };
const APP = { connected: "app_connected", absent: "app_absent", no_host: "app_no_host", unknown: "app_unknown" };

function render(view) {
  const s = view.summary;
  const line = summaryKey(s);
  $("line").textContent = t(line.key, line.subs);
  $("line").dataset.color = COLOR[judgement(s)];
  $("failure").hidden = s.failed === 0;
  if (s.failed > 0) {
    const c = causeKey({ status: s.last_status, net: s.last_error, cf: s.cloudflare });
    $("cause").textContent = t(c.key, c.subs);
  }
  $("tray").hidden = view.tray === null;
  if (view.tray) {
    const p = $("tray-status");
    p.textContent = view.tray.status;
    p.lang = view.tray.lang;
    p.dir = view.tray.rtl ? "rtl" : "ltr";
  }
  $("app").textContent = t(APP[view.connection] ?? "app_unknown");
  $("banner").checked = view.banner;
}

async function ask() {
  const view = await api.runtime.sendMessage({ type: "popup" });
  if (view) render(view);
}

async function checkAccess() {
  $("access").hidden = await api.permissions.contains(HOST);
}

for (const el of document.querySelectorAll("[data-msg]")) el.textContent = t(el.dataset.msg);
document.documentElement.lang = t("@@ui_locale").replace(/_/g, "-");
document.documentElement.dir = t("@@bidi_dir") || "ltr";

$("banner").addEventListener("change", (e) => {
  api.storage.local.set({ banner: e.target.checked });
});
$("grant").addEventListener("click", async () => {
  // Must run in the click itself: the browsers ask only from a user's gesture.
  await api.permissions.request(HOST);
  await checkAccess();
});

await Promise.all([ask(), checkAccess()]);
// Opening the popup says hello to the app; its answer takes a moment.
setTimeout(ask, 1500);
