// The sync feature's door: the Sinkronisasi view and the pending-work indicator of the shell.
export { SyncIndicator } from './SyncIndicator';
export { SyncView } from './SyncView';
