// Who may call the contract over IPC. Only the main frame of a window this shell opened,
// showing our own app://lemari page, is trusted; a subframe, a page that somehow navigated
// elsewhere, or a frame that is already gone is refused before anything reaches the api.

import { fail, type Result } from '../../common/errors';
import type { Api } from '../api';
import type { Session } from '../access';
import { isAppUrl } from './app-url';

export interface SenderInfo {
  /** URL of the sending frame; null or undefined when the frame was destroyed or navigated away. */
  senderUrl: string | null | undefined;
  /** Whether the sending frame is its page's top frame. */
  isMainFrame: boolean;
  /** Whether the sending webContents belongs to a window this shell created. */
  isOwnWindow: boolean;
}

export function isTrustedSender(sender: SenderInfo): boolean {
  return sender.isOwnWindow && sender.isMainFrame && isAppUrl(sender.senderUrl);
}

export interface CallLogger {
  error(message: string, detail?: unknown): void;
}

/** The body of the one IPC call channel: check the sender, then hand the call to the api (which validates the input). */
export function createCallHandler(api: Api, session: () => Session, logger: CallLogger) {
  return async (sender: SenderInfo, method: unknown, input: unknown): Promise<Result<unknown>> => {
    if (!isTrustedSender(sender)) {
      logger.error('refused an IPC call from an untrusted sender', { url: sender.senderUrl, mainFrame: sender.isMainFrame, ownWindow: sender.isOwnWindow });
      // Not translated: our own UI never sees it, only a frame that should not be calling.
      return fail('forbidden', 'untrusted sender');
    }
    // A non-string name becomes an unknown method, reported by the api in the user's language.
    return api.call(typeof method === 'string' ? method : '', input, { session: session() });
  };
}
