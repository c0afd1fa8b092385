// The banner on chatgpt.com's own error page (a page load answered ≥ 500): Gatewatch's cause in
// the user's language and the phone-app advice, in a closed shadow root, with a close button.
//
// Two halves. `bannerText` is pure: it builds the words from the tray's message (when the tray
// sent a banner) or from the extension's own catalogs, and is tested in node. `showBanner` is
// the function the service worker injects with `scripting.executeScript`: it must stand alone
// (the browser serialises it, with no imports or closure), and it sets every text with
// textContent, never as HTML: the tray's words are remote text as far as the page is concerned.

import { causeKey, langTag, message, pickLang } from "./i18n.mjs";

/**
 * The banner's words: {lang, dir, label, title, cause, advice, close}.
 * - `word`: the tray's checked message (wire.mjs `readHostMessage`), or null. When it carries a
 *   banner, its title, cause and advice are used as they are, in its language and direction.
 * - `status`, `cf`: the error page's status, and whether Cloudflare served it.
 * - `uiLang`: the browser's language, for the extension's own words.
 * - `catalogs`: {en: messages.json, …}; English must be among them.
 * The close button and the region's name are the extension's own, in the same language as the
 * rest when there is a catalog for it, else in English.
 */
export function bannerText({ word, status, cf, uiLang, catalogs }) {
  if (word && word.banner) {
    const l = pickLang(word.lang);
    const own = catalogs[l] ? l : "en";
    return {
      lang: word.lang,
      dir: word.rtl ? "rtl" : "ltr",
      label: message(catalogs, own, "banner_label"),
      title: word.banner.title,
      cause: word.banner.cause,
      advice: word.banner.advice,
      close: message(catalogs, own, "banner_close"),
    };
  }
  const l = pickLang(uiLang);
  const own = catalogs[l] ? l : "en";
  const cause = causeKey({ status, net: null, cf });
  return {
    lang: langTag(own),
    dir: "ltr",
    label: message(catalogs, own, "banner_label"),
    title: message(catalogs, own, "banner_title", [String(status)]),
    cause: message(catalogs, own, cause.key, cause.subs),
    advice: message(catalogs, own, "advice_phone"),
    close: message(catalogs, own, "banner_close"),
  };
}

/**
 * Injected into the error page's tab. `mode` "show" puts the banner up (replacing one already
 * there); "update" only rewords a banner still showing — one the user closed stays closed.
 * Returns what it did: "shown", "skipped", "elsewhere", or "not_yet" (the tab still shows a
 * page that is not an error page: the caller waits for the next load).
 */
export function showBanner(text, mode) {
  const KEY = "__gatewatchBanner";
  if (location.origin !== "https://chatgpt.com") return "elsewhere";
  // The tab can report its load complete while it still shows the page before the error page
  // (the error page's document not in place yet): a banner put there would go with it. Where
  // the browser tells the document's own status (Chromium 109+), wait for the error page.
  const nav = globalThis.performance?.getEntriesByType?.("navigation")?.[0];
  const own = nav?.responseStatus;
  if (mode === "show" && Number.isInteger(own) && own > 0 && own < 500) return "not_yet";
  const prev = globalThis[KEY];
  if (mode === "update" && (!prev || prev.closed || !prev.host.isConnected)) return "skipped";
  if (prev && prev.host.isConnected) prev.host.remove();

  const el = (tag, cls, content) => {
    const e = document.createElement(tag);
    if (cls) e.className = cls;
    if (content !== undefined) e.textContent = content;
    return e;
  };
  const host = document.createElement("gatewatch-banner");
  const root = host.attachShadow({ mode: "closed" });
  const style = el("style", null,
    ":host { all: initial; position: fixed; z-index: 2147483647; inset-block-start: 12px; inset-inline: 12px; display: block; }\n" +
    ".box { max-width: 640px; margin: 0 auto; display: flex; gap: 12px; align-items: flex-start; padding: 12px 14px; border-radius: 10px;" +
    " border-inline-start: 6px solid #dc2626; background: #f3f4f6; color: #111827; box-shadow: 0 4px 18px rgba(0,0,0,.25);" +
    " font: 15px/1.5 system-ui, -apple-system, \"Segoe UI\", Roboto, Cantarell, sans-serif; }\n" +
    ".text { flex: 1; min-width: 0; } .title { display: block; font-weight: 600; } p { margin: 4px 0 0; }\n" +
    ".advice { color: #374151; }\n" +
    "button { flex: none; font: inherit; padding: 4px 10px; border-radius: 6px; border: 1px solid #d1d5db; background: transparent; color: inherit; cursor: pointer; }\n" +
    "button:focus-visible { outline: 3px solid #2563eb; outline-offset: 2px; }\n" +
    "@media (prefers-color-scheme: dark) { .box { background: #1f2937; color: #f3f4f6; } .advice { color: #d1d5db; } button { border-color: #374151; } button:focus-visible { outline-color: #60a5fa; } }\n");
  const box = el("section", "box");
  box.setAttribute("role", "alert");
  box.setAttribute("aria-label", text.label);
  box.setAttribute("lang", text.lang);
  box.setAttribute("dir", text.dir);
  const words = el("div", "text");
  words.append(el("strong", "title", text.title), el("p", "cause", text.cause), el("p", "advice", text.advice));
  const close = el("button", null, text.close);
  close.setAttribute("type", "button");
  const state = { host, closed: false };
  close.addEventListener("click", () => {
    state.closed = true;
    host.remove();
  });
  box.append(words, close);
  root.append(style, box);
  (document.body || document.documentElement).append(host);
  globalThis[KEY] = state;
  return "shown";
}
