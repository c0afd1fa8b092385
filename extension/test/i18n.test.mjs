// The extension's own sentences: the seven catalogs agree with English and with the app's
// languages, format as the browsers do, and the code picks the right sentence.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync, readdirSync } from "node:fs";

import { LANGS, format, message, pickLang, summaryKey, causeKey, langTag } from "../src/i18n.mjs";

const here = (p) => new URL(p, import.meta.url);
const catalogs = Object.fromEntries(LANGS.map((l) => [l, JSON.parse(readFileSync(here(`../src/_locales/${l}/messages.json`), "utf8"))]));
const placeholders = (s) => [...s.matchAll(/\$([A-Za-z0-9_@]+)\$/g)].map((m) => m[1].toLowerCase()).sort();

test("the catalogs are the app's seven languages", () => {
  assert.deepEqual(readdirSync(here("../src/_locales")).sort(), [...LANGS].sort());
  const app = readdirSync(here("../../core/locales")).map((l) => l.replace(/-/g, "_")).sort();
  assert.deepEqual([...LANGS].sort(), app);
});

test("every catalog has English's messages, placeholders and nothing more", () => {
  const en = catalogs.en;
  for (const l of LANGS) {
    const c = catalogs[l];
    assert.deepEqual(Object.keys(c).sort(), Object.keys(en).sort(), l);
    for (const [key, entry] of Object.entries(c)) {
      assert.ok(typeof entry.message === "string" && entry.message.trim() !== "", `${l} ${key}`);
      assert.deepEqual(placeholders(entry.message), placeholders(en[key].message), `${l} ${key}`);
      assert.deepEqual(entry.placeholders ?? {}, en[key].placeholders ?? {}, `${l} ${key}: placeholder contents`);
      for (const p of placeholders(entry.message)) assert.ok(entry.placeholders?.[p], `${l} ${key}: $${p}$ defined`);
      if (l !== "en" && !["extName", "banner_label"].includes(key)) {
        assert.notEqual(entry.message, en[key].message, `${l} ${key} is still English`);
      }
    }
    // The Chrome Web Store's limit for the description.
    assert.ok(c.extDescription.message.length <= 132, `${l} extDescription: ${c.extDescription.message.length} characters`);
  }
});

test("the phone-app advice is the app's own sentence in each language", () => {
  for (const l of LANGS) {
    const ftl = readFileSync(here(`../../core/locales/${langTag(l)}/gatewatch.ftl`), "utf8");
    const line = ftl.split("\n").find((s) => s.startsWith("advice-phone-app ="));
    assert.equal(catalogs[l].advice_phone.message, line.split("=").slice(1).join("=").trim(), l);
  }
});

test("messages format as the browsers format them", () => {
  assert.equal(message(catalogs, "en", "recent_some_failed", ["3", "5"]), "3 of the last 5 ChatGPT requests failed.");
  assert.equal(message(catalogs, "de", "recent_some_failed", ["3", "5"]), "3 der letzten 5 ChatGPT-Anfragen sind fehlgeschlagen.");
  assert.equal(message(catalogs, "ja", "recent_some_failed", ["3", "5"]), "直近5件のChatGPTへのリクエストのうち3件が失敗しました。");
  assert.equal(message(catalogs, "fr", "recent_one_failed", ["5"]), "Une des 5 dernières requêtes ChatGPT a échoué.");
  assert.equal(format({ message: "$A$ costs $$5, $B$", placeholders: { a: { content: "$2" }, b: { content: "$1" } } }, ["x", "y"]), "y costs $5, x");
  assert.throws(() => message(catalogs, "de", "no_such_message"), /no_such_message/);
});

test("languages: exact, then by language, then English", () => {
  assert.equal(pickLang("pt-BR"), "pt_BR");
  assert.equal(pickLang("pt_br"), "pt_BR");
  assert.equal(pickLang("pt"), "pt_BR");
  assert.equal(pickLang("de-CH"), "de");
  assert.equal(pickLang("ja-JP"), "ja");
  assert.equal(pickLang("en-US"), "en");
  assert.equal(pickLang("ko"), "en");
  assert.equal(pickLang(""), "en");
  assert.equal(pickLang(undefined), "en");
});

test("the summary's sentence is chosen by its numbers, the wording left to the language", () => {
  const s = (failed, of) => summaryKey({ failed, of });
  assert.deepEqual(s(0, 0), { key: "recent_none", subs: [] });
  assert.deepEqual(s(0, 1), { key: "recent_single_ok", subs: [] });
  assert.deepEqual(s(1, 1), { key: "recent_single_failed", subs: [] });
  assert.deepEqual(s(0, 4), { key: "recent_zero_failed", subs: ["4"] });
  assert.deepEqual(s(1, 5), { key: "recent_one_failed", subs: ["5"] });
  assert.deepEqual(s(3, 5), { key: "recent_some_failed", subs: ["3", "5"] });
  for (const [f, o] of [[0, 0], [0, 1], [1, 1], [0, 4], [1, 5], [3, 5]]) {
    const k = s(f, o);
    for (const l of LANGS) assert.ok(message(catalogs, l, k.key, k.subs).includes(o > 1 ? String(o) : ""), `${l} ${k.key}`);
  }
});

test("the cause's sentence follows the status, Cloudflare, and the network token", () => {
  assert.deepEqual(causeKey({ status: 502, net: null, cf: true }), { key: "cause_gateway", subs: ["502"] });
  assert.deepEqual(causeKey({ status: 522, net: null, cf: true }), { key: "cause_gateway", subs: ["522"] });
  assert.deepEqual(causeKey({ status: 500, net: null, cf: true }), { key: "cause_origin", subs: ["500"] });
  assert.deepEqual(causeKey({ status: 502, net: null, cf: false }), { key: "cause_not_cloudflare", subs: ["502"] });
  assert.equal(causeKey({ status: null, net: "incomplete", cf: true }).key, "cause_cut");
  assert.equal(causeKey({ status: null, net: "reset", cf: false }).key, "cause_reset");
  assert.equal(causeKey({ status: null, net: "closed", cf: false }).key, "cause_closed");
  assert.equal(causeKey({ status: null, net: "timeout", cf: false }).key, "cause_timeout");
  assert.equal(causeKey({ status: null, net: "quic", cf: false }).key, "cause_protocol");
  assert.equal(causeKey({ status: null, net: "http2", cf: false }).key, "cause_protocol");
  assert.equal(causeKey({ status: null, net: null, cf: null }).key, "cause_other");
});
