// The shape of `window.lemari`, the one object the Electron preload hands the renderer, and
// the two IPC channel names it uses. Kept here, environment-free, so the preload can
// `satisfies` it, main can name the same channels, and the renderer can declare its global
// without importing either side.

import type { EventName, EventPayload, MethodInput, MethodName, MethodOutput } from './contract';
import type { Result } from './errors';

/** IPC channels between preload and main; no other channel is ever opened. */
export const BRIDGE_CHANNELS = {
  /** ipcRenderer.invoke(call, method, input) -> Result */
  call: 'lemari:call',
  /** webContents.send(event, name, payload) */
  event: 'lemari:event',
} as const;

/** Every event as its (name, payload) pair. */
export type BridgeEventArgs = { [E in EventName]: [name: E, payload: EventPayload<E>] }[EventName];

/**
 * A listener for every event; checking `name` narrows `payload`. TypeScript does not accept
 * a one-parameter function against this rest-tuple union, so a listener that only needs
 * the name still declares both: `(name, _payload) => ...`.
 */
export type BridgeEventListener = (...args: BridgeEventArgs) => void;

/**
 * Structural stand-in for the DOM's File: common/ compiles without the DOM, and the bridge
 * only passes the object through to Electron's webUtils.
 */
export interface FileLike {
  readonly name: string;
}

export interface LemariBridge {
  readonly host: 'electron';
  /** Calls one contract method; failures come back as values, never as throws. */
  call<M extends MethodName>(method: M, input: MethodInput<M>): Promise<Result<MethodOutput<M>>>;
  /** Subscribes to every event main pushes; returns the unsubscribe function. */
  on(listener: BridgeEventListener): () => void;
  /** The path on disk of a file the user dropped or picked (empty for files not on disk). */
  pathForFile(file: FileLike): string;
}
