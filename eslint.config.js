// Lint rules for the whole tree, and the walls between runtimes as errors: main/core never
// imports electron or a shell, the renderer never reaches Node, Electron, main/ or preload/,
// the sandboxed preload never reaches Node, and common/ imports nothing outside itself.
// The compiler enforces the same walls through each folder's tsconfig libs; this catches
// what types alone cannot (a stray import of a module whose types happen to resolve).
// Kept non-type-checked so `npm run lint` stays fast.

import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = builtinModules.filter((name) => !name.startsWith('_'));

// Node's own globals, read from the Node running ESLint (the project's runtime) rather than
// kept as a list that drifts; plus CommonJS's module-scope names.
const nodeGlobals = Object.fromEntries(
  [...Object.getOwnPropertyNames(globalThis), 'require', 'module', 'exports', '__dirname', '__filename']
    .filter((name) => /^[A-Za-z_$][\w$]*$/.test(name))
    .map((name) => [name, 'readonly']),
);

// Only plain .js files in renderer/ or preload/ would use these: TypeScript files get their
// globals from each folder's tsconfig libs (typescript-eslint turns no-undef off for them).
const browserGlobals = Object.fromEntries(
  [
    'window', 'document', 'navigator', 'location', 'history', 'console', 'fetch', 'URL', 'URLSearchParams', 'Request',
    'Response', 'Headers', 'Blob', 'File', 'FileReader', 'FormData', 'setTimeout', 'clearTimeout', 'setInterval',
    'clearInterval', 'queueMicrotask', 'requestAnimationFrame', 'cancelAnimationFrame', 'structuredClone', 'performance',
    'crypto', 'AbortController', 'AbortSignal', 'TextEncoder', 'TextDecoder', 'Event', 'CustomEvent', 'EventTarget',
    'KeyboardEvent', 'MouseEvent', 'DragEvent', 'HTMLElement', 'Element', 'Node', 'Worker', 'WebSocket', 'EventSource',
    'ResizeObserver', 'IntersectionObserver', 'MutationObserver', 'matchMedia', 'getComputedStyle', 'localStorage',
    'sessionStorage', 'Image', 'ImageData', 'OffscreenCanvas', 'createImageBitmap', 'DOMParser', 'globalThis',
  ].map((name) => [name, 'readonly']),
);

const SOURCE = '{ts,tsx,mts,cts,js,mjs,cjs}';

/**
 * One config block per folder depth, because a relative import's meaning depends on where
 * the file sits (`../main` leaves common/ from common/x.ts but not from common/i18n/x.ts),
 * and flat config does not merge the options of a rule set in two blocks.
 * `restrictions(up)` gets `up(dir)`: the escaped `../` prefix that climbs from a file at that
 * depth to `dir`, an ancestor folder of `folder` ('' for the repo root).
 * Tests beside the code are outside the walls, as they are outside each folder's tsconfig.
 */
function walled(folder, restrictions, maxDepth = 8) {
  const depthOf = (dir) => (dir === '' ? 0 : dir.split('/').length);
  return Array.from({ length: maxDepth }, (_, extra) => {
    const up = (dir) => escape('../'.repeat(depthOf(folder) + extra - depthOf(dir)));
    const { paths = [], patterns = [], message } = restrictions(up);
    return {
      name: `lemari/walls/${folder}/depth-${extra}`,
      files: [`${folder}/${'*/'.repeat(extra)}*.${SOURCE}`],
      ignores: ['**/*.test.{ts,tsx}', '**/*.spec.{ts,tsx}'],
      rules: {
        'no-restricted-imports': ['error', { paths, patterns: patterns.map((regex) => ({ regex, message })) }],
        // import() and require() are not ImportDeclarations; close those doors too.
        'no-restricted-syntax': [
          'error',
          { selector: 'ImportExpression[source.value=/^(node:|electron$)/]', message },
          { selector: "CallExpression[callee.name='require']", message: 'Use import; require() slips past the walls.' },
        ],
      },
    };
  });
}

function escape(text) {
  return text.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

const nodeBuiltinPaths = (message) => NODE_BUILTINS.map((name) => ({ name, message }));

export default defineConfig([
  globalIgnores(['out/', 'dist/', 'node_modules/', 'coverage/', 'test-results/', 'playwright-report/', '.lemari-dev/', '.bench-data/', '**/*.d.ts']),

  js.configs.recommended,
  tseslint.configs.recommended,

  {
    name: 'lemari/defaults',
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
  },

  // Globals per runtime.
  {
    name: 'lemari/globals/node',
    files: [`{main,server,scripts,bin,bench,tests,resources}/**/*.${SOURCE}`, `*.${SOURCE}`],
    languageOptions: { globals: nodeGlobals },
  },
  {
    name: 'lemari/globals/browser',
    files: [`{renderer,preload}/**/*.${SOURCE}`],
    languageOptions: { globals: browserGlobals },
  },

  // The walls.
  ...walled('main/core', (up) => {
    const message = 'main/core is plain Node: it never imports electron or a shell; ports come in through constructors.';
    return {
      message,
      paths: [{ name: 'electron', message }],
      patterns: ['^electron/', `^${up('main')}(electron|web|cli)(/|$)`, `^${up('')}(preload|renderer)(/|$)`],
    };
  }),
  ...walled('renderer', (up) => {
    const message = 'renderer/ runs in the sandboxed page: no Node, no Electron, nothing of main/ or preload/. Use window.lemari and common/.';
    return {
      message,
      paths: [{ name: 'electron', message }, ...nodeBuiltinPaths(message)],
      patterns: ['^node:', '^electron/', `^${up('')}(main|preload|server)(/|$)`],
    };
  }),
  ...walled('preload', (up) => {
    const message = 'The sandboxed preload may load only electron; common/ is bundled in. No Node, nothing of main/ or renderer/.';
    return {
      message,
      paths: nodeBuiltinPaths(message),
      patterns: ['^node:', `^${up('')}(main|renderer|server)(/|$)`],
    };
  }),
  ...walled('server', (up) => {
    const message = 'server/ is the central DMS server: it shares only common/ with the workstation (no main/, renderer/, preload/, electron).';
    return {
      message,
      paths: [{ name: 'electron', message }],
      patterns: ['^electron/', `^${up('')}(main|renderer|preload)(/|$)`],
    };
  }),
  ...walled('common', (up) => {
    const message = 'common/ is environment-free: it imports only from common/ and pure libraries (no node:*, electron, react).';
    return {
      message,
      paths: [{ name: 'electron', message }, { name: 'react', message }, { name: 'react-dom', message }, ...nodeBuiltinPaths(message)],
      // Any relative path that climbs to the repo root (or beyond) has left common/.
      patterns: ['^node:', '^electron/', '^react/', '^react-dom/', `^${up('')}`],
    };
  }),
]);
