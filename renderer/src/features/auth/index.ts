// The auth feature's door: the gate that signs a user in before the app shows.
export { AuthGate, type SignedInUser } from './AuthGate';
