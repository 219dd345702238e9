// The search feature's door.
export { SearchView } from './SearchView';
