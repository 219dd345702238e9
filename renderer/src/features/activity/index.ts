// The activity feature's door: the audit log screen for verifiers and admins.
export { ActivityView } from './ActivityView';
