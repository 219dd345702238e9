// Builds the three parts: main (the Electron shell, the browser host and the CLI, one
// entry each, sharing chunks), the sandboxed preload (one CommonJS bundle) and the renderer.
import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';

const root = import.meta.dirname;

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      // electron-store and conf are ESM-only: bundle them into main; native and large
      // runtime packages (better-sqlite3, pdfjs-dist, @napi-rs/canvas) stay external.
      externalizeDeps: { exclude: ['electron-store', 'conf'] },
      rollupOptions: {
        input: {
          electron: resolve(root, 'main/electron/index.ts'),
          web: resolve(root, 'main/web/index.ts'),
          cli: resolve(root, 'main/cli/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(root, 'preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(root, 'renderer'),
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
});
