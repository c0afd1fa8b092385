// The extension's own sentences, as pure functions over the `_locales/<lang>/messages.json`
// catalogs (the browsers' own format). The popup uses the browser's `i18n.getMessage`, which
// follows the browser's language; the banner needs a catalog picked by the language of the tray's
// word, which the browser API cannot do, so the service worker loads catalogs itself and formats
// them here, the same way the browsers do.
//
// Code picks a message and passes its numbers; the wording, plurals and word order belong to the
// translations (hence `recent_one_failed` beside `recent_some_failed`).

import { gatewayStatus } from "./reducer.mjs";

/** The catalogs shipped, as folder names (Gatewatch's seven languages). */
export const LANGS = Object.freeze(["en", "de", "es", "fr", "it", "ja", "pt_BR"]);
export const FALLBACK = "en";

/** The catalog for a BCP 47 tag: the exact one, else the first with its language, else English. */
export function pickLang(tag) {
  if (typeof tag !== "string" || tag === "") return FALLBACK;
  const norm = tag.replace(/-/g, "_");
  const exact = LANGS.find((l) => l.toLowerCase() === norm.toLowerCase());
  if (exact) return exact;
  const primary = norm.split("_")[0].toLowerCase();
  return LANGS.find((l) => l.split("_")[0] === primary) ?? FALLBACK;
}

/** A catalog folder's name as a BCP 47 tag for a `lang` attribute: "pt_BR" → "pt-BR". */
export function langTag(folder) {
  return folder.replace(/_/g, "-");
}

/**
 * One entry of a catalog, formatted as the browsers do: `$NAME$` stands for its placeholder's
 * content, `$1`…`$9` in that content for the substitutions, `$$` for a dollar sign.
 */
export function format(entry, subs = []) {
  const placeholders = {};
  for (const [name, p] of Object.entries(entry.placeholders ?? {})) placeholders[name.toLowerCase()] = p.content;
  const withPlaceholders = entry.message.replace(/\$([A-Za-z0-9_@]+)\$/g, (all, name) => placeholders[name.toLowerCase()] ?? all);
  return withPlaceholders.replace(/\$(\$|[1-9])/g, (all, c) => (c === "$" ? "$" : String(subs[Number(c) - 1] ?? "")));
}

/** A message in a language, else in English. An unknown key is a bug, and said loudly. */
export function message(catalogs, lang, key, subs = []) {
  const entry = catalogs[lang]?.[key] ?? catalogs[FALLBACK]?.[key];
  if (!entry) throw new Error(`no message ${key} in ${lang} or ${FALLBACK}`);
  return format(entry, subs);
}

/** Which sentence says the summary: "3 of the last 5 ChatGPT requests failed". */
export function summaryKey(summary) {
  const { failed, of } = summary;
  if (of === 0) return { key: "recent_none", subs: [] };
  if (of === 1) return { key: failed === 1 ? "recent_single_failed" : "recent_single_ok", subs: [] };
  if (failed === 0) return { key: "recent_zero_failed", subs: [String(of)] };
  if (failed === 1) return { key: "recent_one_failed", subs: [String(of)] };
  return { key: "recent_some_failed", subs: [String(failed), String(of)] };
}

/**
 * Which sentence says a failure's cause, from its status, network token and whether Cloudflare
 * answered — what the extension can say by itself, without the tray.
 */
export function causeKey({ status, net, cf }) {
  if (Number.isInteger(status) && status >= 500) {
    if (!cf) return { key: "cause_not_cloudflare", subs: [String(status)] };
    return { key: gatewayStatus(status) ? "cause_gateway" : "cause_origin", subs: [String(status)] };
  }
  switch (net) {
    case "incomplete":
      return { key: "cause_cut", subs: [] };
    case "reset":
      return { key: "cause_reset", subs: [] };
    case "closed":
      return { key: "cause_closed", subs: [] };
    case "timeout":
      return { key: "cause_timeout", subs: [] };
    case "http2":
    case "quic":
      return { key: "cause_protocol", subs: [] };
    default:
      return { key: "cause_other", subs: [] };
  }
}
