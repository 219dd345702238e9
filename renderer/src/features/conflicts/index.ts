// The conflicts feature's door: the side-by-side panel the Sinkronisasi view shows.
export { ConflictsPanel } from './ConflictsPanel';
