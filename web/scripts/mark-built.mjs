// Written last by `npm run build`: tells scripts/bootstrap.sh the export is complete.
import { writeFileSync, existsSync } from "node:fs";
const dir = new URL("../out/", import.meta.url);
if (!existsSync(new URL("index.html", dir))) {
  console.error("out/index.html is missing: the export did not complete");
  process.exit(1);
}
writeFileSync(new URL(".built", dir), new Date().toISOString() + "\n");
console.log("wrote out/.built");
