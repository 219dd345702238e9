// The retention (Penyusutan) feature's door.
export { RetentionView } from './RetentionView';
