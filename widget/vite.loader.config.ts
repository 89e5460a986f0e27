/** The loader: one self-contained IIFE, dist/widget.js (stable name: serve it with a short cache). */
import { defineConfig, type Plugin } from 'vite';

/** Squeeze the whitespace out of the loader's CSS template (every byte counts against the 5 KB budget). */
function minifyCss(): Plugin {
  return {
    name: 'parley-loader-css',
    transform(code, id) {
      if (!id.endsWith('/loader/styles.ts')) return null;
      return code.replace(/`([^`]*)`/g, (_m, css: string) => '`' + css.replace(/\s*\n\s*/g, '').replace(/\s*([{};:,>])\s*/g, '$1') + '`');
    },
  };
}

export default defineConfig({
  publicDir: false,
  plugins: [minifyCss()],
  build: {
    outDir: 'dist',
    emptyOutDir: false,
    target: 'es2019',
    reportCompressedSize: false,
    lib: {
      entry: 'src/loader/index.ts',
      formats: ['iife'],
      name: 'ParleyLoader',
      fileName: () => 'widget.js',
    },
  },
});
