// UI tests: Chromium (Debian's, never a downloaded one) against the browser host. Each test
// starts its own host on a fresh data directory (tests/e2e/fixtures.ts); `npm run test:e2e`
// expects a build in out/ (`npx electron-vite build`).
import { defineConfig } from '@playwright/test';

export default defineConfig({
  testDir: 'tests/e2e',
  testMatch: '**/*.spec.ts',
  workers: 1,
  retries: 0,
  reporter: 'list',
  timeout: 60_000,
  expect: { timeout: 10_000 },
  outputDir: 'test-results',
  use: {
    browserName: 'chromium',
    viewport: { width: 1280, height: 800 },
    locale: 'id-ID',
    trace: 'retain-on-failure',
    launchOptions: {
      executablePath: process.env.LEMARI_CHROMIUM ?? '/usr/bin/chromium',
      args: [
        '--no-sandbox',
        '--headless',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
