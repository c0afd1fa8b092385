// The native messaging port's messages: what goes to the host, and what is believed of what
// comes back (core/src/browser/mod.rs `Summary` and `ToExtension`).

import { test } from "node:test";
import assert from "node:assert/strict";

import { MAX_TEXT, readHostMessage, summaryMessage } from "../src/wire.mjs";
import { MAX_RECORDS } from "../src/reducer.mjs";

const T = 1_764_000_000;

test("a summary carries records' own fields only, oldest first, 64 at most", () => {
  const smuggled = { kind: "page", result: "ok", status: 200, cf: true, t: T, url: "https://chatgpt.com/c/1", tabId: 4 };
  assert.deepEqual(summaryMessage([smuggled]), { type: "summary", records: [{ kind: "page", result: "ok", status: 200, cf: true, t: T }] });
  const many = Array.from({ length: MAX_RECORDS + 6 }, (_, i) => ({ kind: "page", result: "ok", status: 200, cf: true, t: T + i * 10 }));
  const m = summaryMessage(many);
  assert.equal(m.records.length, MAX_RECORDS);
  assert.equal(m.records.at(-1).t, T + (MAX_RECORDS + 5) * 10);
  assert.deepEqual(summaryMessage([]), { type: "summary", records: [] });
});

const word = {
  type: "state",
  lang: "de",
  rtl: false,
  verdict: "bad_gateway",
  color: "red",
  status: "ChatGPT ist ausgefallen – die Server von OpenAI antworten Cloudflare nicht",
  banner: { title: "ChatGPT ist ausgefallen", cause: "Die Server von OpenAI antworten Cloudflare nicht (502)", advice: "Probier die ChatGPT-App auf dem Handy." },
};

test("the tray's word is read as it is sent, and nothing else rides along", () => {
  assert.deepEqual(readHostMessage(word), word);
  assert.deepEqual(readHostMessage({ ...word, banner: null }), { ...word, banner: null });
  // serde may leave an absent Option out.
  const { banner, ...noBanner } = word;
  assert.deepEqual(readHostMessage(noBanner), { ...word, banner: null });
  assert.deepEqual(readHostMessage({ ...word, extra: "<script>" }), word);
  assert.deepEqual(readHostMessage({ type: "absent" }), { type: "absent" });
  assert.deepEqual(readHostMessage({ type: "gone" }), { type: "gone" });
  assert.deepEqual(readHostMessage({ type: "refused", reason: "record 0: its time is not a ten-second bucket" }), {
    type: "refused",
    reason: "record 0: its time is not a ten-second bucket",
  });
});

test("anything else from the host is not believed", () => {
  const bad = [
    null,
    "state",
    [word],
    { type: "State" },
    { type: "summary", records: [] },
    { ...word, lang: "de\"><img src=x>" },
    { ...word, lang: 7 },
    { ...word, rtl: "no" },
    { ...word, status: 42 },
    { ...word, status: "x".repeat(MAX_TEXT + 1) },
    { ...word, verdict: undefined },
    { ...word, banner: { title: "t", cause: "c" } },
    { ...word, banner: { ...word.banner, advice: { html: "<b>" } } },
    { ...word, banner: "ChatGPT is down" },
    { type: "refused" },
  ];
  for (const m of bad) assert.equal(readHostMessage(m), null, JSON.stringify(m));
  // Markup is text like any other: it is kept as text, and shown with textContent (banner tests).
  const markup = { ...word, banner: { ...word.banner, cause: "<img src=x onerror=alert(1)>" } };
  assert.equal(readHostMessage(markup).banner.cause, "<img src=x onerror=alert(1)>");
});
