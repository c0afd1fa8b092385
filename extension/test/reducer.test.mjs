// The reducer, driven by webRequest events as Chromium and Firefox deliver them, with the time
// handed in: records, the window, the summary, the badge, the throttle.

import { test } from "node:test";
import assert from "node:assert/strict";

import * as core from "../src/reducer.mjs";
import { summaryMessage } from "../src/wire.mjs";

const T0_S = 1_764_000_000; // a ten-second bucket, in Unix seconds
const T0 = T0_S * 1000;

let nextId = 1;
function conversation(extra = {}) {
  return {
    requestId: String(nextId++),
    url: "https://chatgpt.com/backend-api/f/conversation",
    method: "POST",
    type: "xmlhttprequest",
    tabId: 3,
    initiator: "https://chatgpt.com",
    ...extra,
  };
}
function page(extra = {}) {
  return { requestId: String(nextId++), url: "https://chatgpt.com/", method: "GET", type: "main_frame", tabId: 7, ...extra };
}
const CF = [{ name: "cf-ray", value: "8c1e2f3a4b5c6d7e-FRA" }, { name: "server", value: "cloudflare" }];

/** Run events through `step` from `state`; returns the final state and every record made. */
function run(events, state = core.initialState()) {
  const records = [];
  const errorPages = [];
  for (const [on, details, at] of events) {
    const out = core.step(state, { on, details }, at);
    state = out.state;
    if (out.record) records.push(out.record);
    if (out.errorPage) errorPages.push(out.errorPage);
  }
  return { state, records, errorPages };
}

/** One request: headers (if a status is given) and then its end. */
function request(d, { status = null, headers = CF, end = "completed", error = null, at = T0 } = {}) {
  const events = [];
  if (status !== null) events.push(["headers", { ...d, statusCode: status, responseHeaders: headers }, at]);
  if (end === "completed") events.push(["completed", { ...d, statusCode: status, responseHeaders: headers, fromCache: false }, at + 100]);
  else events.push(["error", { ...d, error }, at + 100]);
  return events;
}

// What core/src/browser/mod.rs `Record::check` accepts, rule for rule: a record the host or the
// tray would refuse must never be made.
function coreAccepts(r) {
  const keys = Object.keys(r);
  const order = ["kind", "result", "status", "net", "cf", "t"];
  if (keys.some((k) => !order.includes(k))) return false;
  if (keys.join() !== order.filter((k) => k in r).join()) return false;
  if (!["page", "conversation"].includes(r.kind) || typeof r.cf !== "boolean") return false;
  const s = r.status;
  const inRange = (lo, hi) => Number.isInteger(s) && s >= lo && s <= hi;
  const nets = ["reset", "closed", "timeout", "http2", "quic", "incomplete", "refused", "dns", "offline", "proxy", "tls", "other"];
  const net = r.net === undefined ? null : r.net;
  if (net !== null && !nets.includes(net)) return false;
  const ok = {
    ok: inRange(100, 399) && net === null,
    http_4xx: inRange(400, 499) && net === null,
    http_5xx: inRange(500, 599) && net === null,
    challenge: inRange(400, 599) && net === null,
    net_error: s === undefined && net !== null,
    stream_cut: inRange(200, 299) && net !== null,
    stopped: (s === undefined || inRange(100, 399)) && net === null,
  }[r.result];
  return ok === true && Number.isInteger(r.t) && r.t > 0 && r.t % 10 === 0;
}

test("an answered conversation request is an ok record, and nothing more", () => {
  const { records } = run(request(conversation(), { status: 200 }));
  assert.equal(JSON.stringify(records), `[{"kind":"conversation","result":"ok","status":200,"cf":true,"t":${T0_S}}]`);
  assert.ok(coreAccepts(records[0]));
  assert.equal(core.failed(records[0]), false);
  assert.equal(core.counted(records[0]), true);
});

test("a 502 through Cloudflare fails; the same 502 from something else does not count", () => {
  const viaRay = run(request(conversation(), { status: 502, headers: [{ name: "CF-RAY", value: "x-AMS" }] })).records[0];
  const viaServer = run(request(conversation(), { status: 502, headers: [{ name: "Server", value: "cloudflare" }] })).records[0];
  const other = run(request(conversation(), { status: 502, headers: [{ name: "server", value: "nginx" }] })).records[0];
  for (const r of [viaRay, viaServer]) {
    assert.deepEqual(r, { kind: "conversation", result: "http_5xx", status: 502, cf: true, t: T0_S });
    assert.ok(core.failed(r));
  }
  assert.deepEqual(other, { kind: "conversation", result: "http_5xx", status: 502, cf: false, t: T0_S });
  assert.equal(core.failed(other), false);
});

test("a 4xx is about the request, and a Cloudflare challenge is not a failure", () => {
  const r429 = run(request(conversation(), { status: 429 })).records[0];
  assert.equal(r429.result, "http_4xx");
  const challenge = run(request(conversation(), { status: 403, headers: [...CF, { name: "cf-mitigated", value: "challenge" }] })).records[0];
  assert.deepEqual(challenge, { kind: "conversation", result: "challenge", status: 403, cf: true, t: T0_S });
  for (const r of [r429, challenge]) assert.ok(!core.counted(r) && coreAccepts(r));
});

test("network errors become core's tokens; only those about ChatGPT's servers fail", () => {
  const table = [
    ["net::ERR_CONNECTION_RESET", "reset", true],
    ["net::ERR_CONNECTION_CLOSED", "closed", true],
    ["net::ERR_EMPTY_RESPONSE", "closed", true],
    ["net::ERR_TIMED_OUT", "timeout", true],
    ["net::ERR_HTTP2_PROTOCOL_ERROR", "http2", true],
    ["net::ERR_QUIC_PROTOCOL_ERROR", "quic", true],
    ["net::ERR_INCOMPLETE_CHUNKED_ENCODING", "incomplete", true],
    ["net::ERR_CONNECTION_REFUSED", "refused", false],
    ["net::ERR_NAME_NOT_RESOLVED", "dns", false],
    ["net::ERR_INTERNET_DISCONNECTED", "offline", false],
    ["net::ERR_NETWORK_CHANGED", "offline", false],
    ["net::ERR_PROXY_CONNECTION_FAILED", "proxy", false],
    ["net::ERR_CERT_AUTHORITY_INVALID", "tls", false],
    ["net::ERR_BLOCKED_BY_CLIENT", "other", false],
    ["net::ERR_SOMETHING_NEW", "other", false],
    ["NS_ERROR_NET_RESET", "reset", true],
    ["NS_ERROR_NET_PARTIAL_TRANSFER", "incomplete", true],
    ["NS_ERROR_UNKNOWN_HOST", "dns", false],
    ["SEC_ERROR_UNKNOWN_ISSUER", "tls", false],
  ];
  for (const [error, net, fails] of table) {
    const r = run(request(conversation(), { end: "error", error })).records[0];
    assert.deepEqual(r, { kind: "conversation", result: "net_error", net, cf: false, t: T0_S }, error);
    assert.equal(core.failed(r), fails, error);
    assert.ok(coreAccepts(r), error);
  }
  // The token is all that travels: never the browser's own string.
  const r = run(request(conversation(), { end: "error", error: "net::ERR_CONNECTION_RESET" })).records[0];
  assert.ok(!JSON.stringify(r).includes("ERR_"));
});

test("an answer cut off mid-stream is a stream_cut, and fails", () => {
  for (const [error, net] of [["net::ERR_INCOMPLETE_CHUNKED_ENCODING", "incomplete"], ["net::ERR_HTTP2_PROTOCOL_ERROR", "http2"], ["net::ERR_CONNECTION_RESET", "reset"]]) {
    const r = run(request(conversation(), { status: 200, end: "error", error })).records[0];
    assert.deepEqual(r, { kind: "conversation", result: "stream_cut", status: 200, net, cf: true, t: T0_S });
    assert.ok(core.failed(r) && coreAccepts(r));
  }
  // An error answer that then broke off is still that answer.
  const r = run(request(conversation(), { status: 503, end: "error", error: "net::ERR_INCOMPLETE_CHUNKED_ENCODING" })).records[0];
  assert.deepEqual(r, { kind: "conversation", result: "http_5xx", status: 503, cf: true, t: T0_S });
});

test("a generation stopped by the user is stopped, never a failure", () => {
  const cases = [
    // Chromium, "Stop generating" while the answer streams: ERR_FAILED after the headers (measured).
    [{ status: 200, error: "net::ERR_FAILED" }, { kind: "conversation", result: "stopped", status: 200, cf: true, t: T0_S }],
    // Chromium, stopped before the answer started.
    [{ status: null, error: "net::ERR_ABORTED" }, { kind: "conversation", result: "stopped", cf: false, t: T0_S }],
    // ... or after it started.
    [{ status: 200, error: "net::ERR_ABORTED" }, { kind: "conversation", result: "stopped", status: 200, cf: true, t: T0_S }],
    // Firefox.
    [{ status: 200, error: "NS_BINDING_ABORTED" }, { kind: "conversation", result: "stopped", status: 200, cf: true, t: T0_S }],
  ];
  for (const [c, want] of cases) {
    const r = run(request(conversation(), { status: c.status, end: "error", error: c.error })).records[0];
    assert.deepEqual(r, want, c.error);
    assert.ok(!core.failed(r) && !core.counted(r) && coreAccepts(r));
  }
  // ERR_FAILED with no answer started is not a stop, and not a failure either ("other").
  const r = run(request(conversation(), { end: "error", error: "net::ERR_FAILED" })).records[0];
  assert.deepEqual(r, { kind: "conversation", result: "net_error", net: "other", cf: false, t: T0_S });
  assert.equal(core.failed(r), false);

  // Five stops among answers: the window answers, nothing failed.
  const events = [];
  for (let i = 0; i < 5; i++) events.push(...request(conversation(), { status: 200, end: "error", error: "net::ERR_FAILED", at: T0 + i * 1000 }));
  events.push(...request(conversation(), { status: 200, at: T0 + 6000 }));
  const { state } = run(events);
  assert.deepEqual(core.summarize(state.window, T0 + 7000), { failed: 0, of: 1, last_status: null, last_error: null, cloudflare: null, page_error: null });
});

test("only the user's own chatgpt.com page loads and conversation requests are observed", () => {
  const ignored = [
    conversation({ url: "https://chatgpt.com/backend-api/f/conversation/prepare" }),
    conversation({ url: "https://chatgpt.com/backend-api/conversation/6789abcd-0000-4000-8000-123456789abc", method: "GET" }),
    conversation({ method: "GET" }),
    conversation({ url: "https://chatgpt.com.example.net/backend-api/f/conversation" }),
    conversation({ url: "http://chatgpt.com/backend-api/f/conversation" }),
    conversation({ url: "https://auth.chatgpt.com/backend-api/f/conversation" }),
    conversation({ url: "https://chatgpt.com/api/auth/session", method: "GET" }),
    conversation({ initiator: "chrome-extension://aaaabbbbccccddddeeeeffffgggghhhh" }),
    conversation({ initiator: undefined, originUrl: "moz-extension://0b8a-4e1c/popup.html" }),
    conversation({ initiator: undefined }),
    conversation({ type: "script" }),
    conversation({ incognito: true }),
    page({ tabId: -1 }),
    page({ incognito: true }),
    { requestId: "x", url: "not a url", type: "main_frame", tabId: 1 },
  ];
  for (const d of ignored) {
    const { records, state } = run(request(d, { status: 502 }));
    assert.deepEqual(records, [], d.url);
    assert.deepEqual(state.pending, {}, d.url);
  }
  // Both spellings of the endpoint, Firefox's originUrl, a trailing slash and a query.
  const seen = [
    conversation({ url: "https://chatgpt.com/backend-api/conversation" }),
    conversation({ url: "https://chatgpt.com/backend-api/f/conversation/?x=1" }),
    conversation({ initiator: undefined, originUrl: "https://chatgpt.com/c/6789abcd" }),
    page({ url: "https://chatgpt.com/c/6789abcd-0000-4000-8000-123456789abc" }),
  ];
  for (const d of seen) assert.equal(run(request(d, { status: 200 })).records.length, 1, d.url);
});

test("a redirect is not an outcome; its next hop is", () => {
  const d = page();
  const { records } = run([
    ["headers", { ...d, statusCode: 302, responseHeaders: CF }, T0],
    ["redirect", { ...d, statusCode: 302 }, T0 + 10],
    ["headers", { ...d, url: "https://chatgpt.com/auth/login", statusCode: 200, responseHeaders: CF }, T0 + 20],
    ["completed", { ...d, url: "https://chatgpt.com/auth/login", statusCode: 200, responseHeaders: CF }, T0 + 30],
  ]);
  assert.deepEqual(records, [{ kind: "page", result: "ok", status: 200, cf: true, t: T0_S }]);
});

test("answers from the cache say nothing", () => {
  const d = page();
  const { records } = run([["completed", { ...d, statusCode: 200, fromCache: true }, T0]]);
  assert.deepEqual(records, []);
});

test("a request never seen ending is forgotten after ten minutes", () => {
  const d = conversation();
  const { state } = run([["headers", { ...d, statusCode: 200, responseHeaders: CF }, T0]]);
  assert.equal(Object.keys(state.pending).length, 1);
  // Its end, eleven minutes on, is judged without what was seen: no longer a stop.
  const late = run([["error", { ...d, error: "net::ERR_FAILED" }, T0 + 11 * 60_000]], state);
  assert.deepEqual(late.records[0], { kind: "conversation", result: "net_error", net: "other", cf: false, t: T0_S + 660 });
  assert.deepEqual(late.state.pending, {});
});

test("a page load answered 500 or more names its tab for the banner; nothing else does", () => {
  const { errorPages, records } = run([
    ...request(page({ tabId: 9 }), { status: 502 }),
    ...request(conversation({ tabId: 9 }), { status: 502 }),
    ...request(page({ tabId: 9 }), { status: 404 }),
    ...request(page({ tabId: 9 }), { end: "error", error: "net::ERR_CONNECTION_RESET" }),
  ]);
  assert.deepEqual(errorPages, [{ tabId: 9, status: 502, cf: true }]);
  assert.equal(records.length, 4);
  // The tab's id is for the banner alone: it is in no record.
  assert.ok(records.every((r) => !("tabId" in r)));
});

test("time is bucketed to ten seconds, rounded down", () => {
  assert.equal(core.bucket(T0), T0_S);
  assert.equal(core.bucket(T0 + 9_999), T0_S);
  assert.equal(core.bucket(T0 + 10_000), T0_S + 10);
  const r = run(request(conversation(), { status: 200, at: T0 + 7_300 })).records[0];
  assert.equal(r.t, T0_S);
});

test("the window: the last 20 conversation requests, 15 minutes, 64 records", () => {
  const ok = (kind, atMs) => ({ kind, result: "ok", status: 200, cf: true, t: core.bucket(atMs) });
  // 25 conversation requests in five minutes: the newest 20 stay.
  let w = [];
  for (let i = 0; i < 25; i++) w = core.addRecord(w, { ...ok("conversation", T0 + i * 10_000), status: 200 + i }, T0 + i * 10_000);
  assert.equal(w.length, 20);
  assert.equal(w[0].status, 205);
  assert.equal(w.at(-1).status, 224);
  // Page loads are not conversations: they stay beside the 20, within the 15 minutes.
  w = core.addRecord(w, ok("page", T0 + 250_000), T0 + 250_000);
  assert.equal(w.length, 21);
  // Fifteen minutes after a record it is gone.
  const at = T0 + 5 * 10_000 + core.WINDOW_MS;
  const pruned = core.pruneWindow(w, at);
  assert.ok(pruned.every((r) => r.t * 1000 > at - core.WINDOW_MS));
  assert.equal(pruned.length, w.filter((r) => r.t * 1000 > at - core.WINDOW_MS).length);
  assert.ok(pruned.length < w.length);
  assert.deepEqual(core.pruneWindow(w, T0 + 250_000 + core.WINDOW_MS), []);
  // Exactly fifteen minutes, said in numbers rather than with the constant under test.
  const one = [ok("conversation", T0)];
  assert.equal(core.pruneWindow(one, T0 + 14 * 60_000 + 59_000).length, 1);
  assert.equal(core.pruneWindow(one, T0 + 15 * 60_000).length, 0);
  assert.equal(core.summarize(one, T0 + 14 * 60_000).of, 1);
  assert.equal(core.summarize(one, T0 + 15 * 60_000).of, 0);
  // 70 page loads in a few minutes: 64 at most, the newest.
  let pages = [];
  for (let i = 0; i < 70; i++) pages = core.addRecord(pages, { ...ok("page", T0 + i * 1000), status: 100 + i }, T0 + i * 1000);
  assert.equal(pages.length, core.MAX_RECORDS);
  assert.equal(pages.at(-1).status, 169);
  assert.equal(pages[0].status, 106);
});

test("the summary: of the last 5 counted requests, how many failed, and the newest failure", () => {
  const events = [];
  let at = T0;
  const next = () => (at += 15_000);
  events.push(...request(conversation(), { status: 200, at: next() }));
  events.push(...request(conversation(), { status: 502, at: next() }));
  events.push(...request(conversation(), { status: 200, end: "error", error: "net::ERR_FAILED", at: next() })); // stopped
  events.push(...request(conversation(), { status: 200, at: next() }));
  events.push(...request(conversation(), { end: "error", error: "net::ERR_CONNECTION_RESET", at: next() }));
  events.push(...request(conversation(), { status: 403, headers: [...CF, { name: "cf-mitigated", value: "challenge" }], at: next() })); // not counted
  events.push(...request(conversation(), { status: 524, at: next() }));
  const { state } = run(events);
  const s = core.summarize(state.window, at + 1000);
  assert.deepEqual(s, { failed: 3, of: 5, last_status: 524, last_error: null, cloudflare: true, page_error: null });
  assert.equal(core.judgement(s), "fails");
  assert.deepEqual(core.badge(s), { text: "3/5", color: "#dc2626" });

  // The newest failure a protocol error: its token, no status; the oldest answer drops out of
  // the last five (http2, 524, reset, 200, 502).
  const cut = run(request(conversation(), { end: "error", error: "net::ERR_HTTP2_PROTOCOL_ERROR", at: next() }), state);
  const s2 = core.summarize(cut.state.window, at + 1000);
  assert.deepEqual(s2, { failed: 4, of: 5, last_status: null, last_error: "http2", cloudflare: false, page_error: null });

  // An error page: the newest page load answered 5xx.
  const withPage = run(request(page(), { status: 503, at: next() }), cut.state);
  assert.equal(core.summarize(withPage.state.window, at + 1000).page_error, 503);
  const recovered = run(request(page(), { status: 200, at: next() }), withPage.state);
  assert.equal(core.summarize(recovered.state.window, at + 1000).page_error, null);

  // Fifteen minutes on, nothing is left to say.
  assert.deepEqual(core.summarize(recovered.state.window, at + core.WINDOW_MS + 1000), {
    failed: 0, of: 0, last_status: null, last_error: null, cloudflare: null, page_error: null,
  });
});

test("the badge: red from 3 of 5, amber at 2, nothing below", () => {
  const s = (failed, of) => ({ failed, of, last_status: null, last_error: null, cloudflare: null, page_error: null });
  assert.deepEqual(core.badge(s(5, 5)), { text: "5/5", color: "#dc2626" });
  assert.deepEqual(core.badge(s(3, 4)), { text: "3/4", color: "#dc2626" });
  assert.deepEqual(core.badge(s(2, 5)), { text: "2/5", color: "#d97706" });
  assert.deepEqual(core.badge(s(2, 2)), { text: "2/2", color: "#d97706" });
  assert.deepEqual(core.badge(s(1, 5)), { text: "", color: null });
  assert.deepEqual(core.badge(s(1, 1)), { text: "", color: null });
  assert.deepEqual(core.badge(s(0, 0)), { text: "", color: null });
  assert.equal(core.judgement(s(1, 1)), "quiet");
  assert.equal(core.judgement(s(1, 2)), "answers");
});

test("the throttle: never two summaries within 5 s, and the last change is always sent", () => {
  assert.equal(core.sendDelay(null, T0), 0);
  assert.equal(core.sendDelay(T0, T0), 5000);
  assert.equal(core.sendDelay(T0, T0 + 1200), 3800);
  assert.equal(core.sendDelay(T0, T0 + 5000), 0);
  assert.equal(core.sendDelay(T0, T0 + 60_000), 0);
  assert.equal(core.sendDelay(T0, T0 - 30_000), 5000, "a clock that went back waits one interval, not for ever");

  // A burst: a change every 300 ms for 20 s, sent the way background.mjs does (one timer at a
  // time, set to sendDelay when a change arrives with none pending).
  const sends = [];
  let lastSent = null;
  let timerAt = null;
  let changedAt = null;
  for (let now = T0; now <= T0 + 40_000; now += 100) {
    if (timerAt !== null && now >= timerAt) {
      timerAt = null;
      sends.push({ at: now, covers: changedAt });
      lastSent = now;
    }
    const change = now <= T0 + 20_000 && (now - T0) % 300 === 0;
    if (change) {
      changedAt = now;
      if (timerAt === null) timerAt = now + core.sendDelay(lastSent, now);
    }
  }
  assert.ok(sends.length >= 4 && sends.length <= 5, `${sends.length} sends`);
  for (let i = 1; i < sends.length; i++) assert.ok(sends[i].at - sends[i - 1].at >= 5000, "5 s apart");
  assert.equal(sends.at(-1).covers, T0 + 19_800, "the last change went out");
  assert.ok(sends[0].at - T0 <= 100, "the first change goes at once (the next tick)");
});

test("the host is not restarted within a minute of failing", () => {
  assert.equal(core.mayConnect(null, T0), true);
  assert.equal(core.mayConnect(T0, T0 + 59_999), false);
  assert.equal(core.mayConnect(T0, T0 + 60_000), true);
  assert.equal(core.mayConnect(T0, T0 - 1), true);
});

test("no URL, id, header value or body ever gets into a record, the window or a summary", () => {
  const conversationId = "6789abcd-0000-4000-8000-123456789abc";
  const secrets = [
    conversationId, "6789abcd", "req-31337", "987654", "8c1e2f3a4b5c6d7e", "FRA", "SESSIONSECRET",
    "chatgpt.com", "backend-api", "https", "prompt text", "cloudflare", "nginx", "ERR_", "NS_",
  ];
  const headers = [
    { name: "cf-ray", value: "8c1e2f3a4b5c6d7e-FRA" },
    { name: "server", value: "cloudflare" },
    { name: "set-cookie", value: "__Secure-next-auth.session-token=SESSIONSECRET" },
    { name: "x-request-id", value: "req-31337" },
  ];
  const withIds = (d) => ({
    ...d,
    requestId: "req-31337",
    tabId: 987654,
    frameId: 987654,
    documentId: "SESSIONSECRET",
    requestBody: { raw: [{ bytes: "prompt text" }] },
  });
  const events = [];
  const scenarios = [
    [withIds(page({ url: `https://chatgpt.com/c/${conversationId}?model=x&token=SESSIONSECRET` })), { status: 502 }],
    [withIds(conversation({ url: `https://chatgpt.com/backend-api/f/conversation?conversation_id=${conversationId}` })), { status: 200 }],
    [withIds(conversation()), { status: 200, end: "error", error: "net::ERR_INCOMPLETE_CHUNKED_ENCODING" }],
    [withIds(conversation()), { end: "error", error: "net::ERR_CONNECTION_RESET" }],
    [withIds(conversation()), { status: 200, end: "error", error: "net::ERR_FAILED" }],
    [withIds(conversation()), { end: "error", error: "NS_ERROR_NET_TIMEOUT" }],
    [withIds(page({ url: `https://chatgpt.com/g/g-${conversationId}` })), { status: 403, headers: [...headers, { name: "cf-mitigated", value: "challenge" }] }],
    [withIds(page()), { status: 503, headers: [{ name: "server", value: "nginx" }] }],
  ];
  let at = T0;
  for (const [d, opts] of scenarios) events.push(...request(d, { headers, ...opts, at: (at += 20_000) }));
  const { state, records, errorPages } = run(events);
  assert.equal(records.length, scenarios.length);
  assert.equal(errorPages.length, 2, "the banner still learns its tab");

  const summary = core.summarize(state.window, at + 1000);
  const message = summaryMessage(state.window);
  const pendingValues = Object.values(state.pending);
  for (const [what, value] of [["records", records], ["window", state.window], ["summary", summary], ["message", message], ["pending", pendingValues]]) {
    // "cloudflare" may be the summary's own field name, never a value.
    const json = JSON.stringify(value).replace('"cloudflare":', "");
    for (const s of secrets) assert.ok(!json.toLowerCase().includes(s.toLowerCase()), `${what} carries ${s}: ${json}`);
  }
  for (const r of records) {
    assert.ok(coreAccepts(r), JSON.stringify(r));
    assert.deepEqual(Object.keys(r).filter((k) => !["kind", "result", "status", "net", "cf", "t"].includes(k)), []);
  }
  assert.deepEqual(Object.keys(summary), ["failed", "of", "last_status", "last_error", "cloudflare", "page_error"]);
});

test("the summary message is byte for byte what core's Summary reads", () => {
  // The same two records as core/src/browser/tests.rs `the_wire_record_is_six_fields_and_nothing_else`.
  const { state } = run([
    ...request(conversation(), { end: "error", error: "net::ERR_CONNECTION_RESET", at: T0 }),
    ...request(conversation(), { status: 502, at: T0 + 1000 }),
  ]);
  assert.equal(
    JSON.stringify(summaryMessage(state.window)),
    `{"type":"summary","records":[` +
      `{"kind":"conversation","result":"net_error","net":"reset","cf":false,"t":${T0_S}},` +
      `{"kind":"conversation","result":"http_5xx","status":502,"cf":true,"t":${T0_S}}]}`,
  );
});
