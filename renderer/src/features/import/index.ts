// The import feature's door.
export { ImportView } from './ImportView';
