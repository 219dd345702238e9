// The verification feature's door: the verifier's Verifikasi view.
export { ReviewView } from './ReviewView';
