import { defineConfig } from 'vite';

/** The renderer (React) is built from renderer/ into dist/renderer, served by Electron or `intake serve`. */
export default defineConfig({
  root: 'renderer',
  base: './',
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
  },
});
