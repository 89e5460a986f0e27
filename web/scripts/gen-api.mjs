// Regenerates lib/api/schema.d.ts from openapi.json (produced by the server, see README.md).
// Dangling $refs (a schema the server references but does not list under components) are
// replaced by a free-form object, with a warning, so generation never blocks on them.
import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";

const spec = JSON.parse(readFileSync(new URL("../openapi.json", import.meta.url), "utf8"));
const schemas = spec.components?.schemas ?? {};
let patched = 0;
function walk(node) {
  if (Array.isArray(node)) return node.forEach(walk);
  if (!node || typeof node !== "object") return;
  if (typeof node.$ref === "string" && node.$ref.startsWith("#/components/schemas/")) {
    const name = node.$ref.slice("#/components/schemas/".length);
    if (!(name in schemas)) {
      console.warn(`gen:api: ${node.$ref} is not defined in openapi.json; typed as a free-form object`);
      delete node.$ref;
      node.type = "object";
      node.additionalProperties = true;
      patched++;
    }
  }
  Object.values(node).forEach(walk);
}
walk(spec);
const dir = mkdtempSync(join(tmpdir(), "parley-openapi-"));
const input = join(dir, "openapi.json");
writeFileSync(input, JSON.stringify(spec));
const out = process.argv[2] ?? "lib/api/schema.d.ts";
execFileSync(process.execPath, [new URL("../node_modules/openapi-typescript/bin/cli.js", import.meta.url).pathname, input, "-o", out],
  { stdio: "inherit" });
if (patched) console.warn(`gen:api: patched ${patched} dangling reference(s)`);
