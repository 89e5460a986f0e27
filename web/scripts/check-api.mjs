// CI check: lib/api/schema.d.ts must be what `npm run gen:api` makes from openapi.json.
import { readFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFileSync } from "node:child_process";

const out = join(mkdtempSync(join(tmpdir(), "parley-schema-")), "schema.d.ts");
execFileSync(process.execPath, [new URL("./gen-api.mjs", import.meta.url).pathname, out], { stdio: "ignore" });
const fresh = readFileSync(out, "utf8");
const committed = readFileSync(new URL("../lib/api/schema.d.ts", import.meta.url), "utf8");
if (fresh !== committed) {
  console.error("lib/api/schema.d.ts is stale: run `npm run gen:api` and commit the result.");
  process.exit(1);
}
console.log("lib/api/schema.d.ts matches openapi.json");
