// The settings feature's door.
export { SettingsView } from './SettingsView';
