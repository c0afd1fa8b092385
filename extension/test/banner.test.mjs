// The banner: its words from the tray's message in each language, the extension's own words
// without the tray, the English fallback; and the injected function, run against a small fake
// DOM that refuses any HTML.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { bannerText, showBanner } from "../src/banner.mjs";
import { LANGS } from "../src/i18n.mjs";

const catalogs = Object.fromEntries(
  LANGS.map((l) => [l, JSON.parse(readFileSync(new URL(`../src/_locales/${l}/messages.json`, import.meta.url), "utf8"))]),
);

// The tray's banner as the tray would send it in each of its languages (core text.rs
// `browser_banner`: its headline, its cause, its phone-app advice).
const TRAY = {
  en: ["ChatGPT is down", "OpenAI's servers aren't answering Cloudflare (502)", "Try the ChatGPT phone app."],
  de: ["ChatGPT ist ausgefallen", "Die Server von OpenAI antworten Cloudflare nicht (502)", "Probier die ChatGPT-App auf dem Handy."],
  es: ["ChatGPT está caído", "Los servidores de OpenAI no responden a Cloudflare (502)", "Prueba la app móvil de ChatGPT."],
  fr: ["ChatGPT est en panne", "Les serveurs d'OpenAI ne répondent pas à Cloudflare (502)", "Essayez l'appli ChatGPT sur votre téléphone."],
  it: ["ChatGPT non funziona", "I server di OpenAI non rispondono a Cloudflare (502)", "Prova l'app ChatGPT sul telefono."],
  ja: ["ChatGPTは停止中です", "OpenAIのサーバーがCloudflareに応答していません（502）", "ChatGPTのスマホアプリを試してください。"],
  "pt-BR": ["O ChatGPT está fora do ar", "Os servidores da OpenAI não respondem à Cloudflare (502)", "Experimente o app do ChatGPT no celular."],
};
const CLOSE = { en: "Close", de: "Schließen", es: "Cerrar", fr: "Fermer", it: "Chiudi", ja: "閉じる", "pt-BR": "Fechar" };

function trayWord(lang, [title, cause, advice], rtl = false) {
  return { type: "state", lang, rtl, verdict: "bad_gateway", color: "red", status: `${title} — ${cause}`, banner: { title, cause, advice } };
}

test("the tray's banner is shown in its own language, with the close button in the same", () => {
  assert.equal(Object.keys(TRAY).length, 7);
  for (const [lang, words] of Object.entries(TRAY)) {
    const text = bannerText({ word: trayWord(lang, words), status: 502, cf: true, uiLang: "en-US", catalogs });
    assert.deepEqual(
      { ...text, label: undefined },
      { lang, dir: "ltr", label: undefined, title: words[0], cause: words[1], advice: words[2], close: CLOSE[lang] },
      lang,
    );
    assert.ok(text.label.includes("Gatewatch"), lang);
  }
});

test("a language the extension has no words for falls back to English for its own", () => {
  // The tray's bidi pseudo-locale, say: its words as sent, right to left; the button in English.
  const text = bannerText({ word: trayWord("ar", ["‮ChatGPT is down‬", "…", "…"], true), status: 502, cf: true, uiLang: "de", catalogs });
  assert.equal(text.lang, "ar");
  assert.equal(text.dir, "rtl");
  assert.equal(text.title, "‮ChatGPT is down‬");
  assert.equal(text.close, "Close");
  // A catalog that lacks a message: that message in English.
  const partial = { ...catalogs, de: { ...catalogs.de } };
  delete partial.de.banner_close;
  const de = bannerText({ word: trayWord("de", TRAY.de), status: 502, cf: true, uiLang: "de", catalogs: partial });
  assert.equal(de.close, "Close");
  assert.equal(de.label, "Hinweis von Gatewatch");
});

test("without the tray, the extension says what the status says, in the browser's language", () => {
  const own = (uiLang, status, cf) => bannerText({ word: null, status, cf, uiLang, catalogs });
  assert.deepEqual(own("en-GB", 502, true), {
    lang: "en",
    dir: "ltr",
    label: "Notice from Gatewatch",
    title: "ChatGPT's page failed to load (502)",
    cause: "Cloudflare answered, but OpenAI's servers behind it did not (502).",
    advice: "Try the ChatGPT phone app: it reaches OpenAI by another route and often keeps working (not always).",
    close: "Close",
  });
  assert.equal(own("en", 500, true).cause, "OpenAI's servers answered with an error (500).");
  assert.equal(own("en", 503, false).cause, "The error (503) did not come from Cloudflare: perhaps from a proxy or filter on your network.");
  const de = own("de-AT", 524, true);
  assert.equal(de.lang, "de");
  assert.equal(de.title, "Die Seite von ChatGPT konnte nicht geladen werden (524)");
  assert.equal(de.cause, "Cloudflare hat geantwortet, die Server von OpenAI dahinter aber nicht (524).");
  assert.equal(own("pt-BR", 502, true).lang, "pt-BR");
  assert.equal(own("pt-PT", 502, true).lang, "pt-BR", "the nearest Portuguese");
  assert.equal(own("ja", 502, true).close, "閉じる");
  assert.equal(own("zh-CN", 502, true).lang, "en");
  // A tray word with no banner in it (the tray did not see this page as down): the own words.
  const noBanner = { ...trayWord("fr", TRAY.fr), banner: null };
  assert.equal(bannerText({ word: noBanner, status: 502, cf: true, uiLang: "it", catalogs }).lang, "it");
  // Every language has all of it, and says the status.
  for (const l of ["en", "de", "es", "fr", "it", "ja", "pt-BR"]) {
    const t = own(l, 502, true);
    for (const k of ["label", "title", "cause", "advice", "close"]) assert.ok(t[k].length > 0, `${l} ${k}`);
    assert.ok(t.title.includes("502") && t.cause.includes("502"), l);
  }
});

// ---- The injected function, in a fake DOM. ----

class FakeNode {
  constructor(tag) {
    this.tagName = tag;
    this.children = [];
    this.attributes = {};
    this.listeners = {};
    this.parent = null;
    this._text = "";
  }
  set innerHTML(_) {
    throw new Error("innerHTML was set");
  }
  set outerHTML(_) {
    throw new Error("outerHTML was set");
  }
  insertAdjacentHTML() {
    throw new Error("insertAdjacentHTML was called");
  }
  set textContent(v) {
    this._text = String(v);
    this.children = [];
  }
  get textContent() {
    return this._text + this.children.map((c) => c.textContent).join("");
  }
  setAttribute(k, v) {
    this.attributes[k] = String(v);
  }
  append(...nodes) {
    for (const n of nodes) {
      if (typeof n === "string") throw new Error("a string appended: it would be parsed by nothing, but say so");
      n.parent = this;
      this.children.push(n);
    }
  }
  remove() {
    if (this.parent) this.parent.children = this.parent.children.filter((c) => c !== this);
    this.parent = null;
  }
  get isConnected() {
    let n = this;
    while (n.parent) n = n.parent;
    return n === fakeDocument.documentElement;
  }
  addEventListener(type, fn) {
    this.listeners[type] = fn;
  }
  attachShadow(init) {
    this.shadowInit = init;
    this.shadow = new FakeNode("#shadow-root");
    return this.shadow;
  }
  find(pred) {
    if (pred(this)) return this;
    for (const c of [...this.children, ...(this.shadow ? [this.shadow] : [])]) {
      const f = c.find(pred);
      if (f) return f;
    }
    return null;
  }
}
let fakeDocument;
function freshPage(origin = "https://chatgpt.com") {
  fakeDocument = { documentElement: new FakeNode("html"), createElement: (t) => new FakeNode(t) };
  fakeDocument.body = new FakeNode("body");
  fakeDocument.documentElement.append(fakeDocument.body);
  globalThis.document = fakeDocument;
  globalThis.location = { origin };
  delete globalThis.__gatewatchBanner;
}

const hostile = {
  lang: "en",
  dir: "ltr",
  label: "Notice from Gatewatch",
  title: "<img src=x onerror=alert(1)>",
  cause: "</style><script>alert(2)</script>",
  advice: "&lt;b&gt;",
  close: "Close",
};

test("the banner sets every text with textContent, in a closed shadow root", () => {
  freshPage();
  assert.equal(showBanner(hostile, "show"), "shown");
  const host = fakeDocument.body.children[0];
  assert.equal(host.tagName, "gatewatch-banner");
  assert.deepEqual(host.shadowInit, { mode: "closed" });
  const byClass = (c) => host.find((n) => n.className === c);
  assert.equal(byClass("title").textContent, hostile.title);
  assert.equal(byClass("cause").textContent, hostile.cause);
  assert.equal(byClass("advice").textContent, hostile.advice);
  const box = byClass("box");
  assert.equal(box.attributes.role, "alert");
  assert.equal(box.attributes.lang, "en");
  assert.equal(box.attributes.dir, "ltr");
  assert.equal(box.attributes["aria-label"], "Notice from Gatewatch");
  const button = host.find((n) => n.tagName === "button");
  assert.equal(button.textContent, "Close");
  assert.equal(button.attributes.type, "button");
});

test("the close button closes it for good; an update rewords only a banner still up", () => {
  freshPage();
  showBanner(hostile, "show");
  // The tray's words arrive: the banner is reworded, not doubled.
  assert.equal(showBanner({ ...hostile, title: "ChatGPT is down" }, "update"), "shown");
  assert.equal(fakeDocument.body.children.length, 1);
  const host = fakeDocument.body.children[0];
  assert.equal(host.find((n) => n.className === "title").textContent, "ChatGPT is down");
  host.find((n) => n.tagName === "button").listeners.click();
  assert.equal(fakeDocument.body.children.length, 0);
  assert.equal(showBanner(hostile, "update"), "skipped");
  assert.equal(fakeDocument.body.children.length, 0);
  // A new error page (a new load: a fresh document) shows it again.
  freshPage();
  assert.equal(showBanner(hostile, "update"), "skipped", "an update never puts one up");
  assert.equal(showBanner(hostile, "show"), "shown");
});

test("a tab still showing the page before the error page gets no banner yet", () => {
  freshPage();
  const entries = (status) => ({ getEntriesByType: (t) => (t === "navigation" ? [{ responseStatus: status }] : []) });
  const before = globalThis.performance;
  try {
    globalThis.performance = entries(200);
    assert.equal(showBanner(hostile, "show"), "not_yet");
    assert.equal(fakeDocument.body.children.length, 0);
    globalThis.performance = entries(502);
    assert.equal(showBanner(hostile, "show"), "shown");
    // A browser that does not tell the status (0, or no entry): shown, as before.
    freshPage();
    globalThis.performance = entries(0);
    assert.equal(showBanner(hostile, "show"), "shown");
  } finally {
    globalThis.performance = before;
  }
});

test("the banner goes only on chatgpt.com", () => {
  freshPage("https://example.com");
  assert.equal(showBanner(hostile, "show"), "elsewhere");
  assert.equal(fakeDocument.body.children.length, 0);
});

test("the injected function stands alone (the browser serialises it without its module)", () => {
  const src = showBanner.toString();
  // Nothing from banner.mjs's imports or module scope is referenced.
  for (const name of ["bannerText", "message", "pickLang", "causeKey", "langTag", "catalogs"]) {
    assert.ok(!new RegExp(`\\b${name}\\b`).test(src), name);
  }
  assert.ok(!/innerHTML|outerHTML|insertAdjacentHTML|document\.write/.test(src));
  // And it runs from its source text alone.
  freshPage();
  const rebuilt = new Function(`return (${src})`)();
  assert.equal(rebuilt(hostile, "show"), "shown");
});
