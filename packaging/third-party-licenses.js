#!/usr/bin/env node
// The licences of the Rust crates compiled into Gatewatch's binaries, as one text file that the
// packages carry (scripts/package): MIT and Apache-2.0 ask that their notices travel with every
// copy, and the binaries link the crates statically.
//
//   cargo metadata --format-version 1 --locked > meta.json
//   cargo tree --locked -e normal,no-proc-macro --prefix none --format '{p}' -p <shipped>… |
//     node packaging/third-party-licenses.js <version> meta.json > THIRD-PARTY-LICENSES
//
// `cargo tree` names the crates in the binaries: what the shipped packages reach through normal
// dependencies for this platform, with their features (no dev- or build-dependencies and no
// procedural macros: those run at build time only); workspace members are left out. For each
// crate: its name, version, licence expression and repository, then every licence or notice
// file it ships (LICENSE*, LICENCE*, COPYING*, NOTICE*, COPYRIGHT*, UNLICENSE*, and the
// manifest's `license-file`), each distinct text once, with the crates that ship it. A crate
// that ships no such file is named as such, under the licence its manifest declares.
"use strict";
const fs = require("fs");
const path = require("path");

const [version, metaFile] = process.argv.slice(2);
if (!version || !metaFile) {
  console.error("usage: third-party-licenses.js VERSION METADATA.json < cargo-tree-lines");
  process.exit(64);
}
const meta = JSON.parse(fs.readFileSync(metaFile, "utf8"));
const members = new Set(meta.workspace_members);
const byKey = new Map(meta.packages.map((p) => [`${p.name} ${p.version}`, p]));

// "name vX.Y.Z (source) (*)" per line.
const keys = new Set();
for (const line of fs.readFileSync(0, "utf8").split("\n")) {
  const m = /^(\S+) v(\S+)/.exec(line.trim());
  if (m) keys.add(`${m[1]} ${m[2]}`);
}
const crates = [];
for (const key of keys) {
  const p = byKey.get(key);
  if (!p) {
    console.error(`third-party-licenses: ${key} is not in cargo metadata`);
    process.exit(1);
  }
  if (!members.has(p.id)) crates.push(p);
}
if (crates.length === 0) {
  console.error("third-party-licenses: no crates on input");
  process.exit(1);
}
crates.sort((a, b) => a.name.localeCompare(b.name) || a.version.localeCompare(b.version, "en", { numeric: true }));

const NOTICE = /^(licen[cs]e|copying|notice|copyright|unlicense)/i;
function licenseFiles(p) {
  const dir = path.dirname(p.manifest_path);
  const names = new Set();
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && NOTICE.test(entry.name)) names.add(entry.name);
  }
  if (p.license_file) names.add(p.license_file);
  return [...names]
    .sort()
    .map((name) => path.join(dir, name))
    .filter((file) => fs.existsSync(file));
}

// Each distinct text once, with who ships it.
const texts = new Map();
const without = [];
for (const p of crates) {
  const files = licenseFiles(p);
  if (files.length === 0) without.push(p);
  for (const file of files) {
    const text = fs
      .readFileSync(file, "utf8")
      .replace(/\r\n?/g, "\n")
      .replace(/[ \t]+$/gm, "")
      .trim();
    if (!text) continue;
    // The same text wrapped or indented differently is the same text.
    const key = text.replace(/\s+/g, " ");
    const entry = texts.get(key) ?? { text, shippedBy: [] };
    entry.shippedBy.push(`${p.name} ${p.version} (${path.basename(file)})`);
    texts.set(key, entry);
  }
}

const out = [];
const rule = "=".repeat(78);
out.push(`Third-party software in Gatewatch ${version}`, rule, "");
out.push(
  "Gatewatch's programs are built from the Rust crates below (from crates.io), linked into them.",
  "Each is listed with its version, the licence its authors declare and where its source lives;",
  "then come the licence texts and notices the crates ship, each text once, with the crates that",
  "ship it. Gatewatch itself is under MIT or Apache-2.0, at your option (see copyright).",
  "",
  `Crates (${crates.length}):`,
  "",
);
for (const p of crates) {
  out.push(`  ${p.name} ${p.version}: ${p.license ?? "(no licence declared)"}${p.repository ? `  <${p.repository}>` : ""}`);
}
// The explainer's page carries one script that is not ours, vendored as ui/fluent-bundle.js and
// pinned in ui-vendor/package-lock.json.
const lock = JSON.parse(fs.readFileSync(path.join(__dirname, "..", "ui-vendor", "package-lock.json"), "utf8"));
const vendored = Object.entries(lock.packages || {})
  .filter(([where]) => where.startsWith("node_modules/"))
  .map(([where, p]) => ({ name: where.slice("node_modules/".length), version: p.version, license: p.license }));
out.push("", `In the explainer's page (ui/, copied unmodified from npm) (${vendored.length}):`, "");
for (const p of vendored) {
  out.push(`  ${p.name} ${p.version}: ${p.license ?? "(no licence declared)"}  <https://github.com/projectfluent/fluent.js>`);
}
out.push(
  "",
  "  @fluent/bundle is Copyright Mozilla Foundation and the Project Fluent contributors, under",
  "  the Apache License 2.0, whose text is among those below.",
);
if (without.length) {
  out.push(
    "",
    "These crates ship no licence file; the licence their manifest declares applies (the",
    "standard texts of MIT and Apache-2.0 are among those below):",
    "",
  );
  for (const p of without) out.push(`  ${p.name} ${p.version}: ${p.license ?? "(no licence declared)"}`);
}
out.push("", "", `Licence texts and notices (${texts.size})`, rule);
for (const { text, shippedBy } of texts.values()) {
  out.push("", "-".repeat(78), `Shipped by: ${shippedBy.join(", ")}`, "-".repeat(78), "", text);
}
process.stdout.write(out.join("\n") + "\n");
