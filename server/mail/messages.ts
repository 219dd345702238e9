// The mails the server sends, in Bahasa Indonesia with the English below (the clerks
// read the first part; an operator abroad or a vendor reads the second).
import type { MailMessage } from './index';

export function resetCodeMail(p: { to: string; name: string; nip: string; code: string; minutes: number }): MailMessage {
  return {
    to: p.to,
    subject: 'Kode aktivasi Lemari / Lemari activation code',
    text: `Yth. ${p.name} (NIP ${p.nip}),

Kode untuk mengaktifkan akun Lemari Anda atau mengganti kata sandinya:

    ${p.code}

Kode ini berlaku ${p.minutes} menit dan hanya dapat dipakai sekali. Masukkan kode ini
bersama kata sandi baru di layar aktivasi Lemari. Jika Anda tidak memintanya, abaikan
e-mail ini: kata sandi Anda tidak berubah. Jangan berikan kode ini kepada siapa pun,
termasuk petugas yang mengaku dari BKN atau BKD.

---

Dear ${p.name} (NIP ${p.nip}),

The code to activate your Lemari account or set a new password:

    ${p.code}

It is valid for ${p.minutes} minutes and can be used once. Enter it with a new password on
Lemari's activation screen. If you did not ask for it, ignore this mail: your password has
not changed. Never give this code to anyone.
`,
  };
}

/** To the holder of an account an admin just made: the code that starts its activation. */
export function newAccountMail(p: { to: string; name: string; nip: string; code: string; hours: number; instansiName: string }): MailMessage {
  return {
    to: p.to,
    subject: 'Akun Lemari Anda / Your Lemari account',
    text: `Yth. ${p.name} (NIP ${p.nip}),

Admin ${p.instansiName} telah membuatkan akun Lemari untuk Anda. Kode aktivasinya:

    ${p.code}

Kode ini berlaku ${p.hours} jam dan hanya dapat dipakai sekali. Di workstation Lemari pilih
"Aktivasi akun (online)", masukkan NIP, e-mail ini, kode di atas dan kata sandi baru, lalu
daftarkan aplikasi autentikator. Jika kode kedaluwarsa, minta kode baru dari layar yang sama.
Jangan berikan kode ini kepada siapa pun.

---

Dear ${p.name} (NIP ${p.nip}),

An admin of ${p.instansiName} made a Lemari account for you. Its activation code:

    ${p.code}

It is valid for ${p.hours} hours and can be used once. At a Lemari workstation choose
"Aktivasi akun (online)", enter your NIP, this e-mail address, the code and a new password,
then enrol an authenticator app. If the code expired, ask for a new one on the same screen.
Never give this code to anyone.
`,
  };
}
