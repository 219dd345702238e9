// The labelling feature's door.
export { LabelView } from './LabelView';
