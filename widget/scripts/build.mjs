// npm run build: type-check, build the iframe app then the loader, print gzipped sizes, mark dist/.built.
import { execFileSync } from 'node:child_process';
import { readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'vite';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
process.chdir(root);
const dist = join(root, 'dist');
const BUDGET = { loader: 5 * 1024, app: 40 * 1024 };

rmSync(join(dist, '.built'), { force: true });
execFileSync(process.execPath, [join(root, 'node_modules/typescript/bin/tsc'), '--noEmit'], { stdio: 'inherit' });
await build({ configFile: join(root, 'vite.app.config.ts'), logLevel: 'warn' });
await build({ configFile: join(root, 'vite.loader.config.ts'), logLevel: 'warn' });

const files = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? files(path) : [path];
  });
const gz = (path) => gzipSync(readFileSync(path), { level: 9 }).length;
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;

const rows = [];
let app = 0;
for (const path of files(dist).sort()) {
  const rel = relative(dist, path);
  if (rel.startsWith('.')) continue;
  const size = gz(path);
  if (rel.startsWith('app/') && /\.(js|css)$/.test(rel)) app += size;
  rows.push([rel, statSync(path).size, size]);
}
const loader = gz(join(dist, 'widget.js'));

console.log('\nParley widget build (gzip -9):');
for (const [rel, raw, size] of rows) console.log(`  ${rel.padEnd(36)} ${kb(raw).padStart(9)} raw ${kb(size).padStart(9)} gzipped`);
const line = (name, size, budget) =>
  console.log(`  ${name.padEnd(36)} ${kb(size).padStart(9)} of ${kb(budget)} budget${size > budget ? '  ** OVER BUDGET **' : ''}`);
line('loader (widget.js)', loader, BUDGET.loader);
line('iframe app (app/*.js + app/*.css)', app, BUDGET.app);
writeFileSync(join(dist, '.built'), JSON.stringify({ builtAt: new Date().toISOString(), loader, app }) + '\n');
