// How Lemari's UI tests and browser benchmarks launch Chromium: Debian's build (Playwright
// cannot download its own here) with the flags this machine's closed network needs.
export const CHROMIUM_PATH = process.env.LEMARI_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--headless',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
