// Locks down every web page this shell shows and the session they share: no navigation to
// another origin, no popups, no <webview>, no permission prompts, and no request from the
// renderer to the network or the file system. Main's own sync traffic goes through Node,
// not this session, so it is untouched.

import type { Session, WebContents } from 'electron';
import type { Logger } from '../api';
import { isAppUrl } from './app-url';

/** Schemes the renderer may never reach, whatever the CSP says; app://, data: and blob: stay usable. */
const BLOCKED_REQUESTS = ['http://*/*', 'https://*/*', 'ws://*/*', 'wss://*/*', 'ftp://*/*', 'file:///*'];

export function hardenSession(session: Session, logger: Logger): void {
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    logger.info(`denied permission request: ${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
  session.webRequest.onBeforeRequest({ urls: BLOCKED_REQUESTS }, (details, callback) => {
    logger.info(`blocked renderer request to ${details.url}`);
    callback({ cancel: true });
  });
}

export function hardenContents(contents: WebContents, logger: Logger): void {
  // Covers links, location changes and form posts; loadURL from main does not pass here.
  contents.on('will-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    logger.info(`blocked navigation to ${event.url}`);
    event.preventDefault();
  });
  contents.on('will-frame-navigate', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
  });
  contents.on('will-redirect', (event) => {
    if (isAppUrl(event.url)) return;
    event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    logger.info(`blocked window.open of ${url}`);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}
