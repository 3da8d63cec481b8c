import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

/**
 * The renderer (React) is built from renderer/ into dist/renderer and loaded
 * by Electron from disk or served by `intake serve`. `base: './'` keeps every
 * asset URL relative, so both hosts find them.
 */
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    // Electron 45 is Chromium 142; Debian's Chromium is newer.
    target: 'chrome120',
    chunkSizeWarningLimit: 1500,
  },
});
