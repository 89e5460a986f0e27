/**
 * The chat iframe app: dist/frame.html + hashed, long-cacheable assets in dist/app/.
 * PARLEY_WIDGET_BASE sets where the assets are served from (default "/widget/", as the Parley
 * server serves dist/ there); set it to a CDN URL such as "https://cdn.example.com/parley/widget/".
 */
import { defineConfig, type Plugin } from 'vite';

const base = process.env.PARLEY_WIDGET_BASE || '/widget/';
const assetOrigin = /^https?:\/\//.test(base) ? new URL(base).origin : '';

/** The frame's Content-Security-Policy: our own scripts and styles only, no inline code, no eval. */
export function csp(extraOrigin = ''): string {
  const self = ["'self'", extraOrigin].filter(Boolean).join(' ');
  return [
    "default-src 'none'",
    `script-src ${self}`,
    `style-src ${self}`,
    `img-src 'self' https: data:`,
    `font-src ${self}`,
    "connect-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

function cspPlugin(): Plugin {
  let serve = false;
  return {
    name: 'parley-csp',
    configResolved(config) {
      serve = config.command === 'serve';
    },
    transformIndexHtml(html) {
      // The dev server injects inline scripts; the policy applies to builds only.
      return serve
        ? html.replace(/\s*<meta http-equiv="Content-Security-Policy"[^>]*>/, '')
        : html.replace('__PARLEY_CSP__', csp(assetOrigin));
    },
  };
}

export default defineConfig({
  base,
  plugins: [cspPlugin()],
  esbuild: { jsx: 'automatic', jsxImportSource: 'preact' },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    assetsDir: 'app',
    modulePreload: { polyfill: false },
    target: 'es2019',
    cssTarget: 'chrome80',
    reportCompressedSize: false,
    rollupOptions: { input: 'frame.html' },
  },
  server: {
    // `npm run dev` with a Parley server on :8000: the frame at http://localhost:5173/widget/frame.html?key=...
    proxy: { '/api': { target: 'http://127.0.0.1:8000', ws: true, changeOrigin: false } },
  },
});
