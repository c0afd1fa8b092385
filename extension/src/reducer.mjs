// The extension's pure core: the browser's webRequest observations of the user's own
// chatgpt.com page loads and conversation requests, turned into outcome records; the rolling
// window of those records; what the badge and the popup say of it; when to send it.
//
// Nothing here touches a browser API, the network or the clock: every function is handed the
// time (Unix ms) and returns data, so node's test runner drives it directly (extension/test/).
//
// A record is the shape core/src/browser/mod.rs (`Record`) accepts, field for field and in its
// order — {kind, result, status?, net?, cf, t} — and nothing else: no URL, no path, no id of a
// request, tab or conversation, no header's value, no body. The URL and headers an event carries
// are read here, reduced to a kind, a status and two booleans, and dropped.

/** The native messaging host's name (core/src/browser/mod.rs `HOST_NAME`). */
export const HOST_NAME = "app.gatewatch.browser";

/** The only origin observed (the manifests' single host permission). */
export const ORIGIN = "https://chatgpt.com";

/** The window reaches 15 minutes back (core `WINDOW_MS`). */
export const WINDOW_MS = 15 * 60 * 1000;
/** ... and holds the last 20 conversation requests at most. */
export const MAX_CONVERSATIONS = 20;
/** A summary carries at most this many records (core `MAX_RECORDS`). */
export const MAX_RECORDS = 64;
/** How many of the newest counted requests the judgement looks at (core `RECENT`). */
export const RECENT = 5;
/** A record says in which ten seconds it happened, no more (core `BUCKET_SECS`). */
export const BUCKET_SECS = 10;
/** At most one summary to the host every 5 s. */
export const SEND_EVERY_MS = 5000;
/** After the host could not be started, or said Gatewatch is not running, wait this long. */
export const RECONNECT_MS = 60 * 1000;
/** A request seen answering but never seen ending is forgotten after this long. */
export const PENDING_TTL_MS = 10 * 60 * 1000;

/**
 * The conversation endpoints: the POST that asks for an answer. Paths drift, so this table
 * ships with the extension; anything else on chatgpt.com (`…/conversation/prepare`, loading an
 * old conversation, the session request) is not observed at all.
 */
export const CONVERSATION_PATHS = Object.freeze([
  "/backend-api/f/conversation",
  "/backend-api/conversation",
]);

/** Statuses that say "Cloudflare could not get a good answer from OpenAI's servers". */
export function gatewayStatus(status) {
  return status === 502 || status === 504 || (status >= 520 && status <= 526) || status === 530;
}

// The browsers' error strings are not stable ("you must not parse and act based upon its
// content"), so they are matched against this allow-list and reduced to core's `Net` tokens;
// whatever is not listed is "other", which never counts against ChatGPT.
const NET_TOKENS = new Map([
  // Chromium
  ["net::ERR_CONNECTION_RESET", "reset"],
  ["net::ERR_CONNECTION_CLOSED", "closed"],
  ["net::ERR_EMPTY_RESPONSE", "closed"],
  ["net::ERR_CONNECTION_ABORTED", "closed"],
  ["net::ERR_TIMED_OUT", "timeout"],
  ["net::ERR_CONNECTION_TIMED_OUT", "timeout"],
  ["net::ERR_HTTP2_PROTOCOL_ERROR", "http2"],
  ["net::ERR_HTTP2_SERVER_REFUSED_STREAM", "http2"],
  ["net::ERR_HTTP2_PING_FAILED", "http2"],
  ["net::ERR_SPDY_PROTOCOL_ERROR", "http2"],
  ["net::ERR_QUIC_PROTOCOL_ERROR", "quic"],
  ["net::ERR_QUIC_HANDSHAKE_FAILED", "quic"],
  ["net::ERR_INCOMPLETE_CHUNKED_ENCODING", "incomplete"],
  ["net::ERR_CONTENT_LENGTH_MISMATCH", "incomplete"],
  ["net::ERR_CONNECTION_REFUSED", "refused"],
  ["net::ERR_NAME_NOT_RESOLVED", "dns"],
  ["net::ERR_NAME_RESOLUTION_FAILED", "dns"],
  ["net::ERR_INTERNET_DISCONNECTED", "offline"],
  ["net::ERR_NETWORK_CHANGED", "offline"],
  ["net::ERR_NETWORK_IO_SUSPENDED", "offline"],
  ["net::ERR_ADDRESS_UNREACHABLE", "offline"],
  ["net::ERR_PROXY_CONNECTION_FAILED", "proxy"],
  ["net::ERR_TUNNEL_CONNECTION_FAILED", "proxy"],
  ["net::ERR_PROXY_CERTIFICATE_INVALID", "proxy"],
  ["net::ERR_SSL_PROTOCOL_ERROR", "tls"],
  ["net::ERR_BAD_SSL_CLIENT_AUTH_CERT", "tls"],
  // Firefox
  ["NS_ERROR_NET_RESET", "reset"],
  ["NS_ERROR_NET_INTERRUPT", "closed"],
  ["NS_ERROR_NET_TIMEOUT", "timeout"],
  ["NS_ERROR_NET_HTTP3_PROTOCOL_ERROR", "quic"],
  ["NS_ERROR_NET_PARTIAL_TRANSFER", "incomplete"],
  ["NS_ERROR_CONNECTION_REFUSED", "refused"],
  ["NS_ERROR_UNKNOWN_HOST", "dns"],
  ["NS_ERROR_OFFLINE", "offline"],
  ["NS_ERROR_PROXY_CONNECTION_REFUSED", "proxy"],
  ["NS_ERROR_UNKNOWN_PROXY_HOST", "proxy"],
]);
const TLS_PREFIXES = ["net::ERR_CERT_", "net::ERR_SSL_", "SEC_ERROR_", "SSL_ERROR_", "MOZILLA_PKIX_ERROR_"];

/** The tokens that say something about ChatGPT's servers (core `Net::outage_like`). */
export const OUTAGE_TOKENS = Object.freeze(["reset", "closed", "timeout", "http2", "quic", "incomplete"]);

/** A browser's error string as one of core's `Net` tokens. */
export function netToken(error) {
  if (typeof error !== "string") return "other";
  const known = NET_TOKENS.get(error);
  if (known) return known;
  if (TLS_PREFIXES.some((p) => error.startsWith(p))) return "tls";
  return "other";
}

/**
 * The page itself gave up on the request: the user pressed "Stop generating", left the page,
 * or reloaded it. Chromium says ERR_ABORTED when that happens before the answer's headers, and
 * ERR_FAILED once the answer has started (measured: research §3.1); Firefox says
 * NS_BINDING_ABORTED.
 */
function stoppedByPage(error, answered) {
  if (error === "net::ERR_ABORTED" || error === "NS_BINDING_ABORTED" || error === "NS_ERROR_ABORT") return true;
  return error === "net::ERR_FAILED" && answered;
}

/** Unix ms → Unix seconds, rounded down to the ten-second bucket. */
export function bucket(nowMs) {
  const s = Math.floor(nowMs / 1000);
  return s - (((s % BUCKET_SECS) + BUCKET_SECS) % BUCKET_SECS);
}

/**
 * Which of the user's own requests an event is about: "page" (a chatgpt.com page load in a
 * tab), "conversation" (chatgpt.com's own page asking for an answer), or null (anything else,
 * which is not observed). Reads the event's URL, method, type, tab and initiator; keeps none.
 */
export function requestKind(d) {
  if (!d || typeof d.url !== "string") return null;
  // Private windows are never observed ("incognito": "not_allowed" keeps the extension out of
  // them; Firefox also marks each event).
  if (d.incognito === true) return null;
  let url;
  try {
    url = new URL(d.url);
  } catch {
    return null;
  }
  if (url.origin !== ORIGIN) return null;
  if (d.type === "main_frame") return d.tabId >= 0 ? "page" : null;
  if (d.type !== "xmlhttprequest" || d.method !== "POST") return null;
  const path = url.pathname.length > 1 ? url.pathname.replace(/\/+$/, "") : url.pathname;
  if (!CONVERSATION_PATHS.includes(path)) return null;
  return fromChatgptPage(d) ? "conversation" : null;
}

// A request made by chatgpt.com's own page (or its service worker), not by another extension or
// site: Chromium names the initiator's origin, Firefox the document's URL.
function fromChatgptPage(d) {
  if (typeof d.initiator === "string") return d.initiator === ORIGIN;
  for (const u of [d.originUrl, d.documentUrl]) {
    if (typeof u === "string") {
      try {
        return new URL(u).origin === ORIGIN;
      } catch {
        return false;
      }
    }
  }
  return false;
}

/**
 * What the response headers say, as two booleans: Cloudflare answered (a `cf-ray` header, or
 * `server: cloudflare`), and it answered with its "verify you are human" check
 * (`cf-mitigated: challenge`). No header's value is kept.
 */
export function readHeaders(headers) {
  let cf = false;
  let challenge = false;
  for (const h of Array.isArray(headers) ? headers : []) {
    const name = typeof h?.name === "string" ? h.name.toLowerCase() : "";
    const value = typeof h?.value === "string" ? h.value.trim().toLowerCase() : "";
    if (name === "cf-ray") cf = true;
    else if (name === "server" && value === "cloudflare") cf = true;
    else if (name === "cf-mitigated" && value === "challenge") challenge = true;
  }
  return { cf, challenge };
}

// A record in core's field order; status and net only when there are some (core leaves them
// out when None, and takes them absent).
function record(kind, result, status, net, cf, nowMs) {
  const r = { kind, result };
  if (status !== null) r.status = status;
  if (net !== null) r.net = net;
  r.cf = cf;
  r.t = bucket(nowMs);
  return r;
}

function validStatus(s) {
  return Number.isInteger(s) && s >= 100 && s <= 599;
}

/** An answered request's record, from its status. */
export function answeredRecord(kind, status, cf, challenge, nowMs) {
  if (!validStatus(status)) return null;
  let result;
  if (status >= 400 && challenge) result = "challenge";
  else if (status < 400) result = "ok";
  else if (status < 500) result = "http_4xx";
  else result = "http_5xx";
  return record(kind, result, status, null, cf, nowMs);
}

/**
 * A request that ended in the browser's error, from that error and what was seen of its answer
 * before (`seen`: {status, cf, challenge}, or null when no answer had started).
 */
export function erroredRecord(kind, error, seen, nowMs) {
  const status = seen && validStatus(seen.status) ? seen.status : null;
  const cf = Boolean(seen?.cf);
  // An error answer that then broke off is still that answer: the server said 4xx/5xx.
  if (status !== null && status >= 400) return answeredRecord(kind, status, cf, Boolean(seen.challenge), nowMs);
  const answered = status !== null && status >= 200 && status < 300;
  if (stoppedByPage(error, answered)) return record(kind, "stopped", answered ? status : null, null, cf, nowMs);
  const net = netToken(error);
  if (answered) return record(kind, "stream_cut", status, net, cf, nowMs);
  return record(kind, "net_error", null, net, cf, nowMs);
}

/** An empty state: requests under way (by the browser's request id), and the window. */
export function initialState() {
  return { pending: {}, window: [] };
}

/**
 * One webRequest event, folded into the state. `event` is {on, details}, `on` one of
 * "headers" (onHeadersReceived), "redirect" (onBeforeRedirect), "completed" (onCompleted),
 * "error" (onErrorOccurred); `details` the browser's object, as it came.
 *
 * Returns {state, record, errorPage}: the new state; the request's record when it ended (else
 * null); and, when a page load in a tab was answered ≥ 500, {tabId, status, cf} so that the
 * caller may show the banner in that tab (the tab's id is for the caller alone: it is in no
 * record and no state).
 */
export function step(state, event, nowMs) {
  const d = event?.details;
  const pending = prunePending(state.pending, nowMs);
  const id = d && (typeof d.requestId === "string" || typeof d.requestId === "number") ? String(d.requestId) : null;
  const kind = requestKind(d);
  const quiet = (p) => ({ state: { pending: p, window: state.window }, record: null, errorPage: null });
  if (kind === null || id === null) return quiet(pending);
  const { [id]: seen = null, ...others } = pending;

  let rec = null;
  switch (event.on) {
    case "headers": {
      const h = readHeaders(d.responseHeaders);
      const entry = { kind, status: validStatus(d.statusCode) ? d.statusCode : null, cf: h.cf, challenge: h.challenge, since: nowMs };
      return quiet({ ...others, [id]: entry });
    }
    case "redirect":
      // The next hop is a request of its own as far as outcomes go (same id, fresh answer).
      return quiet(others);
    case "completed": {
      if (d.fromCache) return quiet(others);
      const h = Array.isArray(d.responseHeaders) ? readHeaders(d.responseHeaders) : { cf: Boolean(seen?.cf), challenge: Boolean(seen?.challenge) };
      rec = answeredRecord(kind, d.statusCode, h.cf, h.challenge, nowMs);
      break;
    }
    case "error":
      rec = erroredRecord(kind, d.error, seen, nowMs);
      break;
    default:
      return quiet(pending);
  }
  if (rec === null) return quiet(others);
  const errorPage =
    rec.kind === "page" && rec.result === "http_5xx" && Number.isInteger(d.tabId) && d.tabId >= 0
      ? { tabId: d.tabId, status: rec.status, cf: rec.cf }
      : null;
  return { state: { pending: others, window: addRecord(state.window, rec, nowMs) }, record: rec, errorPage };
}

function prunePending(pending, nowMs) {
  const out = {};
  for (const [id, p] of Object.entries(pending || {})) {
    if (nowMs - p.since < PENDING_TTL_MS) out[id] = p;
  }
  return out;
}

/** The window with one more record, pruned. */
export function addRecord(window, rec, nowMs) {
  return pruneWindow([...window, rec], nowMs);
}

/**
 * The window as of `nowMs`, oldest first: the last 15 minutes; of conversation requests, the
 * last 20 only; page loads within the same 15 minutes; 64 records at most in all.
 */
export function pruneWindow(window, nowMs) {
  const from = nowMs - WINDOW_MS;
  let recs = window.filter((r) => r.t * 1000 > from);
  let conversations = recs.filter((r) => r.kind === "conversation").length;
  recs = recs.filter((r) => {
    if (r.kind !== "conversation" || conversations <= MAX_CONVERSATIONS) return true;
    conversations -= 1;
    return false;
  });
  return recs.slice(-MAX_RECORDS);
}

/** Does the record count against ChatGPT (core `Record::failed`)? */
export function failed(r) {
  if (r.result === "http_5xx") return r.cf === true;
  if (r.result === "net_error" || r.result === "stream_cut") return OUTAGE_TOKENS.includes(r.net);
  return false;
}

/** Does it count either way (core `Record::counted`): it failed, or it answered? */
export function counted(r) {
  return failed(r) || r.result === "ok";
}

/**
 * What the window says, for the badge, the popup and the banner: of the last 5 counted requests
 * (answered, or failed in a way that speaks of ChatGPT; not stops, challenges, 4xx or the user's
 * own network), how many failed; the newest failure's status, network token and whether
 * Cloudflare answered it; and the status of the newest page load when that was an error page.
 * The same judgement as core's `read`, so the badge and the tray agree.
 */
export function summarize(window, nowMs) {
  const fresh = window.filter((r) => r.t * 1000 > nowMs - WINDOW_MS);
  const newestFirst = fresh.slice().reverse();
  const recent = newestFirst.filter(counted).slice(0, RECENT);
  const failures = recent.filter(failed);
  const last = failures[0] ?? null;
  const newestPage = newestFirst.find((r) => r.kind === "page") ?? null;
  return {
    failed: failures.length,
    of: recent.length,
    last_status: last?.status ?? null,
    last_error: last?.net ?? null,
    cloudflare: last ? last.cf : null,
    page_error: newestPage && newestPage.result === "http_5xx" ? newestPage.status : null,
  };
}

/** core's `State`: 3 or more of the last 5 failed, 2, at most one with an answer, nothing. */
export function judgement(summary) {
  if (summary.failed >= 3) return "fails";
  if (summary.failed === 2) return "partly_fails";
  if (summary.of > summary.failed) return "answers";
  return "quiet";
}

/** The toolbar badge: "3/5" on red when ChatGPT fails in this browser, "2/5" on amber. */
export function badge(summary) {
  switch (judgement(summary)) {
    case "fails":
      return { text: `${summary.failed}/${summary.of}`, color: "#dc2626" };
    case "partly_fails":
      return { text: `${summary.failed}/${summary.of}`, color: "#d97706" };
    default:
      return { text: "", color: null };
  }
}

/**
 * The throttle: how long to wait before sending a summary that is due now, given when the last
 * one went (null: never). 0 means send now; a summary is never sent less than 5 s after the last.
 */
export function sendDelay(lastSentMs, nowMs, everyMs = SEND_EVERY_MS) {
  if (lastSentMs === null || lastSentMs === undefined) return 0;
  const since = nowMs - lastSentMs;
  // A clock that went back is not a reason to wait for ever.
  if (since < 0) return everyMs;
  return Math.max(0, everyMs - since);
}

/**
 * May the host be started now? Not within a minute of it failing to start or saying that the
 * Gatewatch app is not running (each try starts a process); a clock that went back allows it.
 */
export function mayConnect(failedAtMs, nowMs) {
  if (failedAtMs === null || failedAtMs === undefined) return true;
  return nowMs - failedAtMs >= RECONNECT_MS || nowMs < failedAtMs;
}
