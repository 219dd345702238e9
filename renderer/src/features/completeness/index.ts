// The completeness feature's door.
export { CompletenessView } from './CompletenessView';
