// Compiles process.schema.json with Ajv in strict mode (JSON Schema
// 2020-12, the formats of ajv-formats), validates every process.json given,
// and checks that each change of tests/fixtures/schema/invalid.json, applied
// to the first of them, is rejected.
//
//   node schema.mjs SCHEMA CHANGES BASE.json [OTHER.json ...]
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const Ajv2020 = require("ajv/dist/2020").default;
const addFormats = require("ajv-formats").default;

const [schemaPath, changesPath, ...instances] = process.argv.slice(2);
if (!schemaPath || !changesPath || instances.length === 0) {
  console.error("usage: node schema.mjs SCHEMA CHANGES BASE.json [OTHER.json ...]");
  process.exit(2);
}
const read = (path) => JSON.parse(readFileSync(path, "utf8"));

// strict: true turns every strict-mode warning (unknown keywords, unknown
// formats, ambiguous types) into an error at compile time.
const ajv = new Ajv2020({ strict: true, allErrors: true });
addFormats(ajv);
const validate = ajv.compile(read(schemaPath));

let failures = 0;
for (const path of instances) {
  if (!validate(read(path))) {
    console.error(`${path}: rejected: ${ajv.errorsText(validate.errors)}`);
    failures++;
  }
}

// A JSON Pointer's tokens, unescaped.
const tokens = (pointer) => pointer.split("/").slice(1).map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));

const base = read(instances[0]);
const changes = read(changesPath);
for (const change of changes) {
  const doc = structuredClone(base);
  const path = tokens(change.set ?? change.remove);
  const key = path.pop();
  let parent = doc;
  for (const t of path) parent = parent?.[t];
  if (parent === null || typeof parent !== "object") {
    console.error(`${change.set ?? change.remove}: no such parent in ${instances[0]}`);
    failures++;
    continue;
  }
  if (change.set !== undefined) parent[key] = change.value;
  else delete parent[key];
  if (validate(doc)) {
    console.error(`accepted ${change.why}: ${JSON.stringify(change)}`);
    failures++;
  }
}

if (failures > 0) process.exit(1);
console.log(`Ajv (strict): schema compiled; ${instances.length} documents valid; ${changes.length} changed documents rejected`);
