// The sandboxed preload: the only code that touches both worlds. It hands the renderer
// `window.lemari`, built from the contract's single call channel, and nothing else; raw
// ipcRenderer and Node never cross. Sandboxed preloads may only require 'electron', so
// this file imports nothing else at run time (common/bridge is inlined by the bundler).

import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import { BRIDGE_CHANNELS, type BridgeEventArgs, type LemariBridge } from '../common/bridge';

const bridge = {
  host: 'electron',
  call: (method, input) => ipcRenderer.invoke(BRIDGE_CHANNELS.call, method, input),
  on(listener) {
    // The event object is dropped: it carries the sender, which the page must not get.
    const forward = (_event: IpcRendererEvent, ...args: BridgeEventArgs) => listener(...args);
    ipcRenderer.on(BRIDGE_CHANNELS.event, forward);
    return () => {
      ipcRenderer.removeListener(BRIDGE_CHANNELS.event, forward);
    };
  },
  // FileLike is how common/ spells File; what arrives here is the page's real File object.
  pathForFile: (file) => webUtils.getPathForFile(file as File),
} satisfies LemariBridge;

contextBridge.exposeInMainWorld('lemari', bridge);
