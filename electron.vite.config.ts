// Builds the three parts: main (the Electron shell, the browser host and the CLI, one
// entry each, sharing chunks), the sandboxed preload (one CommonJS bundle) and the renderer.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';

const root = import.meta.dirname;

/**
 * pdf.js's helper files (WebAssembly decoders, standard fonts, CMaps, ICC profiles) are
 * fetched at run time, not imported, so the bundler does not see them. This copies them to
 * out/renderer/pdfjs/<folder>/ (and serves them there in dev): the viewer never reaches for
 * a CDN, which the CSP and an offline office would both refuse.
 */
function pdfjsAssets(): Plugin {
  const source = resolve(root, 'node_modules/pdfjs-dist');
  const folders = ['wasm', 'standard_fonts', 'cmaps', 'iccs'];
  const types: Record<string, string> = { '.wasm': 'application/wasm', '.js': 'text/javascript' };
  return {
    name: 'lemari:pdfjs-assets',
    configureServer(server) {
      server.middlewares.use('/pdfjs', (req, res, next) => {
        const file = resolve(source, `.${decodeURIComponent((req.url ?? '/').split('?')[0])}`);
        const inside = relative(source, file).split(/[\\/]/);
        if (inside[0] === '..' || !folders.includes(inside[0]) || !existsSync(file) || !statSync(file).isFile()) return next();
        res.setHeader('Content-Type', types[file.slice(file.lastIndexOf('.'))] ?? 'application/octet-stream');
        res.end(readFileSync(file));
      });
    },
    generateBundle() {
      for (const folder of folders) {
        for (const name of readdirSync(resolve(source, folder))) {
          this.emitFile({ type: 'asset', fileName: `pdfjs/${folder}/${name}`, source: readFileSync(resolve(source, folder, name)) });
        }
      }
    },
  };
}

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
          // The central DMS server (`lemari-server`), built beside main; it shares only common/.
          server: resolve(root, 'server/main.ts'),
          // Separator detection's worker thread (main/core/separators/pool.ts looks for it beside the bundle).
          'separators-worker': resolve(root, 'main/core/separators/worker.ts'),
          // The optimizer's worker thread (main/core/optimize/pool.ts looks for it beside the bundle).
          'optimize-worker': resolve(root, 'main/core/optimize/worker.ts'),
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
    plugins: [pdfjsAssets()],
    build: {
      outDir: resolve(root, 'out/renderer'),
      rollupOptions: { input: { index: resolve(root, 'renderer/index.html') } },
    },
  },
});
