// The two manifests: the narrow permissions the issue and the stores' reviews expect, files that
// exist, the Chromium key's id, and the names the Rust side (core/src/browser) expects.

import { test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";

import { HOST_NAME } from "../src/reducer.mjs";

const here = (p) => new URL(p, import.meta.url);
const read = (p) => readFileSync(here(p), "utf8");
const manifests = {
  chromium: JSON.parse(read("../manifest.chromium.json")),
  firefox: JSON.parse(read("../manifest.firefox.json")),
};
const rust = read("../../core/src/browser/mod.rs");
const rustConst = (name) => rust.match(new RegExp(`pub const ${name}: [^=]+= ([^;]+);`))?.[1];

/** Chromium's id for a manifest key: SHA-256 of the DER public key, 32 hex digits as a–p. */
function extensionId(keyBase64) {
  const hex = createHash("sha256").update(Buffer.from(keyBase64, "base64")).digest("hex").slice(0, 32);
  return [...hex].map((c) => String.fromCharCode(97 + parseInt(c, 16))).join("");
}
const CHROMIUM_ID = "dimfcdjlahoippppnfphfklddnlhaiap";

test("both manifests ask for the four permissions and chatgpt.com only, never in private windows", () => {
  for (const [family, m] of Object.entries(manifests)) {
    assert.equal(m.manifest_version, 3, family);
    assert.deepEqual([...m.permissions].sort(), ["nativeMessaging", "scripting", "storage", "webRequest"], family);
    assert.deepEqual(m.host_permissions, ["https://chatgpt.com/*"], family);
    assert.equal(m.incognito, "not_allowed", family);
    for (const k of ["content_scripts", "optional_permissions", "optional_host_permissions", "web_accessible_resources", "externally_connectable", "content_security_policy"]) {
      assert.equal(m[k], undefined, `${family}: ${k}`);
    }
    assert.equal(m.default_locale, "en");
    assert.equal(m.name, "__MSG_extName__");
    assert.equal(m.version, manifests.chromium.version, "one version for both");
  }
});

test("each browser gets its background: a module service worker, a module event page", () => {
  assert.deepEqual(manifests.chromium.background, { service_worker: "background.mjs", type: "module" });
  assert.deepEqual(manifests.firefox.background, { scripts: ["background.mjs"], type: "module" });
  const gecko = manifests.firefox.browser_specific_settings.gecko;
  assert.equal(gecko.id, "browser@gatewatch.app");
  assert.deepEqual(gecko.data_collection_permissions.required, ["browsingActivity", "websiteContent"]);
  assert.ok(parseFloat(gecko.strict_min_version) >= 140, "data_collection_permissions needs Firefox 140");
});

test("every file a manifest names is there (icons come from the app's icons/ at build time)", () => {
  for (const [family, m] of Object.entries(manifests)) {
    const files = [
      ...(m.background.scripts ?? [m.background.service_worker]),
      m.action.default_popup,
      ...Object.values(m.icons),
      ...Object.values(m.action.default_icon),
    ];
    for (const f of files) {
      const icon = f.match(/^icons\/(\d+)\.png$/);
      const path = icon ? `../../icons/${icon[1]}x${icon[1]}.png` : `../src/${f}`;
      assert.ok(existsSync(here(path)), `${family}: ${f} (${path})`);
    }
  }
  // The popup's and the worker's imports resolve too.
  for (const f of ["background.mjs", "popup.mjs", "banner.mjs", "i18n.mjs", "wire.mjs"]) {
    for (const [, dep] of read(`../src/${f}`).matchAll(/from "\.\/([^"]+)"/g)) assert.ok(existsSync(here(`../src/${dep}`)), `${f} imports ${dep}`);
  }
  for (const [, dep] of read("../src/popup.html").matchAll(/(?:src|href)="([^"]+)"/g)) assert.ok(existsSync(here(`../src/${dep}`)), `popup.html: ${dep}`);
});

test("the Chromium manifest's key pins the id", () => {
  assert.equal(extensionId(manifests.chromium.key), CHROMIUM_ID);
  assert.equal(manifests.firefox.key, undefined);
});

test("the host's name and the Firefox id are the ones core/src/browser/mod.rs registers and checks", () => {
  assert.equal(rustConst("HOST_NAME"), JSON.stringify(HOST_NAME));
  assert.equal(rustConst("GECKO_ID"), JSON.stringify(manifests.firefox.browser_specific_settings.gecko.id));
});

// core's CHROMIUM_IDS (the ids the host manifests allow and gatewatch-browser-host checks) must
// list the id the committed key gives, or the host refuses the unpacked extension.
test("core's CHROMIUM_IDS lists the id the key gives", () => {
  const ids = rustConst("CHROMIUM_IDS");
  assert.ok(ids, "core/src/browser/mod.rs declares CHROMIUM_IDS");
  assert.ok(ids.includes(`"${extensionId(manifests.chromium.key)}"`), ids);
});

test("the README gives the id the key gives, and the hosts' name", () => {
  const readme = read("../README.md");
  assert.ok(readme.includes(`\`${CHROMIUM_ID}\``), "README names the Chromium id");
  assert.ok(readme.includes(`\`${HOST_NAME}\``), "README names the host");
  assert.ok(readme.includes("browser@gatewatch.app"));
});
