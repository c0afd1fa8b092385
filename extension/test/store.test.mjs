// The stores' texts (extension/STORE.md) against the code: the privacy policy names every field
// of the record the reducer makes, every result it can give, and no other field; the permission
// table justifies every permission both manifests ask for.

import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";

import { answeredRecord, erroredRecord, MAX_CONVERSATIONS } from "../src/reducer.mjs";

const read = (p) => readFileSync(new URL(p, import.meta.url), "utf8");
const store = read("../STORE.md");
const section = (title) => {
  const start = store.indexOf(`## ${title}\n`);
  assert.ok(start >= 0, `STORE.md has a section "${title}"`);
  const end = store.indexOf("\n## ", start + 1);
  return store.slice(start, end < 0 ? undefined : end);
};
const policy = section("Privacy policy");
const manifests = ["../manifest.chromium.json", "../manifest.firefox.json"].map((p) => JSON.parse(read(p)));

test("the privacy policy lists exactly the record's fields", () => {
  const now = Date.UTC(2026, 11, 4, 12, 0, 7);
  const records = [
    answeredRecord("conversation", 502, true, false, now),
    answeredRecord("page", 200, false, false, now),
    erroredRecord("conversation", "net::ERR_CONNECTION_RESET", false, now),
  ];
  const fields = new Set(records.flatMap((r) => Object.keys(r)));
  assert.deepEqual([...fields].sort(), ["cf", "kind", "net", "result", "status", "t"]);
  const listed = [...policy.matchAll(/^- `([a-z]+)`:/gm)].map((m) => m[1]);
  assert.deepEqual(listed.sort(), [...fields].sort(), "the policy's list is the record's fields");
  assert.match(policy, /exactly six\s+fields/);
  for (const r of records) {
    assert.ok(policy.includes(`\`${r.result}\``), `the policy names the result ${r.result}`);
    assert.ok(policy.includes(`\`${r.kind}\``), `the policy names the kind ${r.kind}`);
  }
  assert.ok(policy.includes(`the last ${MAX_CONVERSATIONS} conversation requests`));
});

test("every permission either manifest asks for is justified", () => {
  const table = section("Permission justifications");
  for (const m of manifests) {
    for (const p of m.permissions) assert.match(table, new RegExp(`^\\| \`${p}\` \\|`, "m"), p);
    for (const h of m.host_permissions) assert.ok(table.includes(`host \`${h}\``), h);
  }
  const gecko = manifests[1].browser_specific_settings.gecko;
  for (const d of gecko.data_collection_permissions.required) {
    assert.ok(section("Data use").includes(`\`${d}\``), `AMO's ${d} is said`);
  }
});
