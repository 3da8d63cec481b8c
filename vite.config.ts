import react from '@vitejs/plugin-react';
import crypto from 'node:crypto';
import fs from 'node:fs';
import { type Plugin, defineConfig } from 'vite';

/**
 * renderer/early-link.js (browser mode: the link to Intake opened before the
 * bundle loads; the file says why) goes into the page's head as a classic
 * script, ahead of the bundle, named after its content like the bundle's
 * files: `intake serve` lets the browser keep those (static-files.ts
 * cacheFor), so a reload does not wait for the host to serve it (20–30 ms
 * while a page previews). Not inlined: the CSP allows no inline script.
 */
function earlyLink(): Plugin {
  const source = fs.readFileSync(new URL('./renderer/early-link.js', import.meta.url));
  const fileName = `assets/early-link-${crypto.createHash('sha256').update(source).digest('base64url').slice(0, 8)}.js`;
  return {
    name: 'intake-early-link',
    apply: 'build',
    generateBundle() {
      this.emitFile({ type: 'asset', fileName, source });
    },
    transformIndexHtml: () => [{ tag: 'script', attrs: { src: `./${fileName}` }, injectTo: 'head' }],
  };
}

/**
 * The renderer (React) is built from renderer/ into dist/renderer and loaded
 * by Electron from disk or served by `intake serve`. `base: './'` keeps every
 * asset URL relative, so both hosts find them.
 */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), earlyLink()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Electron 45 is Chromium 142; Debian's Chromium is newer.
    target: 'chrome120',
    chunkSizeWarningLimit: 1500,
  },
});
