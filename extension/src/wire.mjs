// What goes over the native messaging port, both ways, as pure functions.
//
// To the host (core/src/browser/mod.rs `Summary`): {"type":"summary","records":[…]}, the window
// whole, oldest first — records only, each exactly core's `Record`.
//
// From the host (core `ToExtension`): {"type":"state", lang, rtl, verdict, color, status,
// banner: {title, cause, advice} | null} — the tray's word after each summary; {"type":"absent"}
// — Gatewatch is not running; {"type":"gone"} — the tray went away; {"type":"refused", reason}.
// Everything from the host is treated as untrusted text: checked here, length-capped, and only
// ever shown through textContent.

import { MAX_RECORDS } from "./reducer.mjs";

const RECORD_KEYS = ["kind", "result", "status", "net", "cf", "t"];

/** The message that carries the window to the host. */
export function summaryMessage(window) {
  // Rebuilt key by key, so that nothing but a record's own fields can ride along.
  const records = window.slice(-MAX_RECORDS).map((r) => {
    const out = {};
    for (const k of RECORD_KEYS) if (r[k] !== undefined && r[k] !== null) out[k] = r[k];
    return out;
  });
  return { type: "summary", records };
}

/** The longest text taken from the host for one field (the banner's sentences are short). */
export const MAX_TEXT = 600;

function text(v, max = MAX_TEXT) {
  return typeof v === "string" && v.length <= max ? v : null;
}

// A BCP 47 tag, roughly: "en", "pt-BR", "zh-Hant-TW". It picks a catalog and goes into a lang
// attribute; anything else is not believed.
const LANG_TAG = /^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}$/;

/** The host's message, checked: a normalised copy, or null when it is not one of core's. */
export function readHostMessage(m) {
  if (!m || typeof m !== "object" || Array.isArray(m)) return null;
  switch (m.type) {
    case "absent":
    case "gone":
      return { type: m.type };
    case "refused": {
      const reason = text(m.reason, 300);
      return reason === null ? null : { type: "refused", reason };
    }
    case "state": {
      const lang = typeof m.lang === "string" && LANG_TAG.test(m.lang) ? m.lang : null;
      const verdict = text(m.verdict, 40);
      const color = text(m.color, 20);
      const status = text(m.status);
      if (lang === null || typeof m.rtl !== "boolean" || verdict === null || color === null || status === null) return null;
      let banner = null;
      if (m.banner !== null && m.banner !== undefined) {
        const b = m.banner;
        const title = text(b?.title);
        const cause = text(b?.cause);
        const advice = text(b?.advice);
        if (title === null || cause === null || advice === null) return null;
        banner = { title, cause, advice };
      }
      return { type: "state", lang, rtl: m.rtl, verdict, color, status, banner };
    }
    default:
      return null;
  }
}
