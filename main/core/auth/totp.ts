// TOTP on the workstation: the shared RFC 6238 rules of common/auth, and the enrolment
// QR code the setup screen shows.

import QRCode from 'qrcode';

export * from '../../../common/auth/totp';

/** The URI as an SVG QR code (no script, no external reference) for the enrolment screen. */
export function qrSvg(uri: string): Promise<string> {
  return QRCode.toString(uri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}
