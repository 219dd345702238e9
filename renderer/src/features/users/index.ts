// The users feature's door: account management for admins.
export { UsersView } from './UsersView';
