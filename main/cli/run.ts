// The `lemari` command: batch work for administrators and OS schedulers, through the
// same contract as the UI (main/api.ts). Every command takes --data-dir and --json; with
// --json it prints one JSON document on stdout; errors go to stderr with a non-zero exit.

import { mkdirSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { EventPayload, HotFolderStatus, ImportReport, MethodName, MethodOutput } from '../../common/contract';
import { actorOf } from '../api';
import type { Result } from '../../common/errors';
import { LOCALES, t, type Locale } from '../../common/i18n';
import { openProfile, type Profile } from '../profile';
import { findResourcesDir } from '../infra/reference';
import { ConfSettingsStore, defaultDataDir, resolveDataDir } from '../infra/settings';
import { KeyFileSecretStore, SecretStoreError, secretStoreMessage } from '../infra/secrets';
import type { Clock } from '../core/ports';
import packageJson from '../../package.json';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: Record<string, string | undefined>;
  isTty: boolean;
  /** Asks on the terminal (hidden for passwords); absent when there is no terminal. */
  prompt?: (question: string, hidden: boolean) => Promise<string>;
  clock?: Clock;
  /** Resolves when `lemari watch` should stop; Ctrl+C (SIGINT) or SIGTERM when not given. */
  interrupted?: Promise<void>;
}

function untilSignal(): Promise<void> {
  return new Promise((done) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      done();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

export const EXIT = { ok: 0, failed: 1, usage: 2 } as const;

const USAGE = `Penggunaan / usage: lemari <perintah> [opsi]

  users bootstrap --nip NIP --nama NAMA  admin pertama profil baru (kata sandi: LEMARI_PASSWORD)
  users enrol                           selesaikan pendaftaran autentikator (kode: LEMARI_OTP)
  users add --nip NIP --nama NAMA --role clerk|verifier|admin
                                        akun lokal baru (kata sandi awal: LEMARI_NEW_PASSWORD)
  users list
  employees import FILE                 impor daftar pegawai (CSV/XLSX)
  employees import-history FILE [--kind golongan|jabatan|pendidikan|pindah_instansi|cltn]
                                        impor riwayat SIASN (jenis dikenali dari kolom bila --kind tidak diberi)
  import PATH... [--nip NIP] [--type KODE]
                                        impor berkas atau folder pindaian
  documents list [--nip NIP] [--state draft|ready] [--limit N]
  search QUERY [--type KODE] [--limit N]
  verify                                periksa basis data dan setiap berkas isi
  watch FOLDER                          pantau folder pemindai dan impor setiap berkas yang selesai
                                        ditulis, sampai Ctrl+C
  sync [--report] [--resume]            antrekan dokumen siap lalu kirim ke server pusat
                                        (untuk penjadwal OS; keluar 1 bila ada yang tak terkirim);
                                        --report menulis laporan CSV ke DIR/laporan/; selama
                                        petugas menjeda sinkronisasi, hanya --resume yang mengirim
  retention status                      tahap arsip (penyusutan) dan usulan yang ada
  retention propose musnah|statis       susun Daftar Arsip Usul Musnah / daftar arsip statis
                                        dan cetak isinya (admin)

Opsi umum / common options:
  --data-dir DIR   profil (juga LEMARI_DATA_DIR; bawaan: folder data pengguna OS)
  --json           cetak satu dokumen JSON di stdout
  --lang id|en     bahasa keluaran
  --user NIP       masuk sebagai (juga LEMARI_USER); kata sandi LEMARI_PASSWORD,
                   kode autentikator LEMARI_OTP, atau ditanyakan di terminal
`;

class UsageError extends Error {}

function unwrap<M extends MethodName>(result: Result<unknown>): MethodOutput<M> {
  if (!result.ok) throw Object.assign(new Error(result.error.message), { code: result.error.code });
  return result.value as MethodOutput<M>;
}

export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        'data-dir': { type: 'string' },
        json: { type: 'boolean', default: false },
        lang: { type: 'string' },
        nip: { type: 'string' },
        type: { type: 'string' },
        state: { type: 'string' },
        limit: { type: 'string' },
        user: { type: 'string' },
        nama: { type: 'string' },
        role: { type: 'string' },
        email: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
        report: { type: 'boolean', default: false },
        resume: { type: 'boolean', default: false },
        // Employee history import (issue 7).
        kind: { type: 'string' },
      },
    });
  } catch (error) {
    io.stderr(`${(error as Error).message}\n\n${USAGE}`);
    return EXIT.usage;
  }
  const { values, positionals } = parsed;
  if (values.help || positionals.length === 0) {
    (values.help ? io.stdout : io.stderr)(USAGE);
    return values.help ? EXIT.ok : EXIT.usage;
  }
  if (values.lang !== undefined && !LOCALES.includes(values.lang as Locale)) {
    io.stderr(`--lang: id | en\n`);
    return EXIT.usage;
  }

  const dataDir = resolve(resolveDataDir(values['data-dir'], io.env, () => defaultDataDir(process.platform, io.env, homedir())));
  const store = new ConfSettingsStore(dataDir);
  // --lang changes this run's language only, not the profile's setting.
  const settings = values.lang ? { get: () => ({ ...store.get(), locale: values.lang as Locale }), set: store.set.bind(store) } : store;
  const locale = settings.get().locale;
  let profile: Profile | undefined;
  try {
    profile = await openProfile({
      dataDir,
      host: 'cli',
      resourcesDir: findResourcesDir(import.meta.dirname),
      settings,
      clock: io.clock,
      secrets: new KeyFileSecretStore(dataDir),
      version: packageJson.version,
      logger: { error: (message, detail) => io.stderr(`${message}${detail ? `: ${String(detail)}` : ''}\n`), info: () => {} },
      // LEMARI_SYNC_CHUNK_BYTES (issue 5 chaos test): bytes per upload PATCH, small in tests so that
      // small files take many chunks, and for links too slow for the default 4 MiB.
      ...(Number(io.env.LEMARI_SYNC_CHUNK_BYTES) > 0 ? { sync: { chunkBytes: Number(io.env.LEMARI_SYNC_CHUNK_BYTES) } } : {}),
    });
    const context = { session: profile.newSession() };
    const call = async <M extends MethodName>(method: M, input: unknown) => unwrap<M>(await profile!.api.call(method, input, context));
    const print = (json: unknown, human: () => string) => io.stdout(values.json ? `${JSON.stringify(json, null, 2)}\n` : human());
    const limit = values.limit ? Number(values.limit) : undefined;
    const [group, verb, ...rest] = positionals;
    const ask = async (envName: string, question: string, hidden: boolean): Promise<string> => {
      const value = io.env[envName];
      if (value !== undefined) return value;
      if (!io.prompt) throw new UsageError(`${envName}: ${t(locale, 'cli.needs_env', { name: envName })}`);
      return io.prompt(question, hidden);
    };

    if (group === 'users' && verb === 'bootstrap' && rest.length === 0) {
      if (!values.nip || !values.nama) throw new UsageError('users bootstrap --nip NIP --nama NAMA');
      const password = await ask('LEMARI_PASSWORD', t(locale, 'cli.ask_new_password'), true);
      const result = await call('auth.bootstrap', { nip: values.nip, nama: values.nama, password, email: values.email ?? null });
      print({ user: result.user, enrolment: { uri: result.enrolment.uri, secret: result.enrolment.secret } }, () =>
        `${t(locale, 'cli.enrol_instructions', { uri: result.enrolment.uri, secret: result.enrolment.secret, nip: result.user.nip })}\n`,
      );
      return EXIT.ok;
    }

    const known =
      (group === 'users' && ['enrol', 'add', 'list'].includes(verb) && rest.length === 0) ||
      (group === 'employees' && verb === 'import' && rest.length === 1) ||
      // Employee history import (issue 7).
      (group === 'employees' && verb === 'import-history' && rest.length === 1) ||
      (group === 'import' && positionals.length >= 2) ||
      (group === 'documents' && verb === 'list' && rest.length === 0) ||
      (group === 'search' && positionals.length >= 2) ||
      (group === 'verify' && verb === undefined) ||
      (group === 'watch' && positionals.length === 2) ||
      (group === 'sync' && verb === undefined) ||
      // Retention (issue 7): status and the proposed list, for an admin's terminal.
      (group === 'retention' && ((verb === 'status' && rest.length === 0) || (verb === 'propose' && rest.length === 1 && ['musnah', 'statis'].includes(rest[0]))));
    if (!known) throw new UsageError(positionals.join(' '));

    // Everything else runs as a named user, with the same checks as the UI.
    await login(values.user, verb === 'enrol' && group === 'users');

    if (group === 'users' && verb === 'enrol' && rest.length === 0) {
      const code = await ask('LEMARI_OTP', t(locale, 'cli.ask_code'), false);
      const result = await call('auth.confirmEnrolment', { code });
      print(result, () => `${t(locale, 'cli.recovery_codes')}\n${result.recoveryCodes.map((c) => `  ${c}`).join('\n')}\n`);
      return EXIT.ok;
    }

    if (group === 'users' && verb === 'add' && rest.length === 0) {
      if (!values.nip || !values.nama || !values.role) throw new UsageError('users add --nip NIP --nama NAMA --role clerk|verifier|admin');
      const password = await ask('LEMARI_NEW_PASSWORD', t(locale, 'cli.ask_initial_password'), true);
      const user = await call('users.create', { nip: values.nip, nama: values.nama, role: values.role, password, email: values.email ?? null });
      print(user, () => `#${user.id} ${user.nip} ${user.nama} (${user.role})\n`);
      return EXIT.ok;
    }

    if (group === 'users' && verb === 'list' && rest.length === 0) {
      const users = await call('users.list', {});
      print(users, () => `${users.map((u) => [`#${u.id}`, u.nip, u.nama, u.role, u.disabled ? 'nonaktif' : '', u.mfaEnrolled ? 'MFA' : 'tanpa MFA'].join('\t')).join('\n')}\n`);
      return EXIT.ok;
    }

    if (group === 'employees' && verb === 'import' && rest.length === 1) {
      const report = await call('employees.import', { file: { path: resolve(rest[0]) } });
      print(report, () =>
        [
          `${report.inserted} baru, ${report.updated} diperbarui, ${report.unchanged} tetap, ${report.rejected.length} ditolak`,
          ...report.rejected.map((r) => `  ${r.message}`),
          '',
        ].join('\n'),
      );
      return report.rejected.length > 0 ? EXIT.failed : EXIT.ok;
    }

    // Employee history import (issue 7): the same call as "Impor riwayat" in Pegawai.
    if (group === 'employees' && verb === 'import-history' && rest.length === 1) {
      const report = await call('employees.importHistory', { file: { path: resolve(rest[0]) }, kind: values.kind });
      print(report, () =>
        [
          `${report.kind}: ${report.inserted} baru, ${report.updated} diperbarui, ${report.unchanged} tetap, ${report.rejected.length} ditolak`,
          ...report.rejected.map((r) => `  ${r.message}`),
          '',
        ].join('\n'),
      );
      return report.rejected.length > 0 ? EXIT.failed : EXIT.ok;
    }

    if (group === 'import' && positionals.length >= 2) {
      const files = positionals.slice(1).map((path) => ({ path: resolve(path) }));
      const unsubscribe = io.isTty && !values.json ? profile.events.subscribe((name, payload) => {
        if (name !== 'capture.onDidProgress') return;
        const p = payload as { done: number; total: number; current: string | null };
        io.stderr(`\r${p.done}/${p.total} ${p.current ?? ''}`.slice(0, 100).padEnd(100));
      }) : () => {};
      const report = await call('capture.import', { files, nip: values.nip, typeCode: values.type });
      unsubscribe();
      if (io.isTty && !values.json) io.stderr('\n');
      print(report, () => humanImport(report));
      return report.failed.length > 0 ? EXIT.failed : EXIT.ok;
    }

    if (group === 'watch' && positionals.length === 2) {
      const folder = resolve(verb);
      const session = context.session;
      // The same check as capture.import: only a role that may import may watch.
      await call('hotfolder.status', {});
      const seen = new Set<string>();
      const unsubscribe = profile.events.subscribe((name, payload) => {
        if (name !== 'hotfolder.onDidChange') return;
        const status = payload as HotFolderStatus;
        for (const item of status.recent) {
          const key = `${item.at} ${item.name}`;
          if (seen.has(key)) continue;
          seen.add(key);
          print({ event: 'taken', ...item }, () => `${item.outcome === 'imported' ? '+' : '='} #${item.documentId} ${item.name}${item.message ? `: ${item.message}` : ''}\n`);
        }
        for (const item of status.failures) {
          const key = `${item.at} ${item.path}`;
          if (seen.has(key)) continue;
          seen.add(key);
          print({ event: 'failed', ...item }, () => `! ${item.name}: ${item.message}\n`);
        }
        for (const item of status.folders) {
          const key = `${item.state} ${item.error ?? ''}`;
          if (seen.has(key)) continue;
          seen.add(key);
          if (item.state === 'offline') print({ event: 'offline', ...item }, () => `${item.error}\n`);
        }
      });
      io.stderr(`${t(locale, 'cli.watching', { path: folder })}\n`);
      profile.hotFolders.setFolders([folder]);
      profile.hotFolders.start(actorOf(session));
      await (io.interrupted ?? untilSignal());
      await profile.hotFolders.stop();
      unsubscribe();
      return EXIT.ok;
    }

    if (group === 'documents' && verb === 'list' && rest.length === 0) {
      const result = await call('documents.list', { nip: values.nip, state: values.state, typeCode: values.type, limit: limit ?? 500 });
      print(result, () =>
        [
          ...result.items.map((d) => [`#${d.id}`, d.state, d.nip ?? '-', d.typeCode ?? '-', d.nomor ?? '', d.originalName].join('\t')),
          `${result.items.length}/${result.total}`,
          '',
        ].join('\n'),
      );
      return EXIT.ok;
    }

    if (group === 'search' && positionals.length >= 2) {
      const result = await call('search.query', { text: positionals.slice(1).join(' '), typeCode: values.type, limit: limit ?? 50 });
      print(result, () =>
        [
          ...result.items.map((d) => [`#${d.id}`, d.nip ?? '-', d.nama ?? '', d.typeCode ?? '-', d.nomor ?? '', d.originalName].join('\t')),
          `${result.items.length}/${result.totalCapped ? `${result.total}+` : result.total}`,
          '',
        ].join('\n'),
      );
      return EXIT.ok;
    }

    if (group === 'sync' && verb === undefined) {
      // The same calls as "Sinkronkan sekarang": queue what is ready, then send the outbox.
      await call('sync.queue', {});
      // Progress with speed and ETA: one updating line on a terminal, a line per file for a scheduler's log.
      let lastDone = -1;
      const unsubscribe = values.json ? () => {} : profile.events.subscribe((name, payload) => {
        if (name !== 'sync.onDidProgress') return;
        const p = payload as EventPayload<'sync.onDidProgress'>;
        if (!io.isTty && (p.done === lastDone || p.phase !== 'running')) return;
        lastDone = p.done;
        const line = `${t(locale, 'sync.progress', {
          done: p.done,
          total: p.total,
          bytesDone: Math.round(p.bytesDone / 1024),
          bytesTotal: Math.round(p.bytesTotal / 1024),
          speed: Math.round(p.speedBps / 1024),
          eta: p.etaSeconds === null ? t(locale, 'sync.eta_unknown') : formatSeconds(p.etaSeconds),
        })} ${p.current ?? ''}`;
        io.stderr(io.isTty ? `\r${line.slice(0, 120).padEnd(120)}` : `${line.trimEnd()}\n`);
      });
      // A clerk's pause holds against an OS scheduler's run; --resume lifts it, as Lanjutkan does.
      const report = await call(values.resume ? 'sync.resume' : 'sync.run', {});
      unsubscribe();
      if (io.isTty && !values.json) io.stderr('\n');
      let reportPath: string | null = null;
      if (values.report) {
        const file = await call('sync.exportReport', { runId: report.runId, format: 'csv' });
        const folder = join(dataDir, 'laporan');
        mkdirSync(folder, { recursive: true, mode: 0o700 });
        reportPath = join(folder, file.fileName);
        writeFileSync(reportPath, Buffer.from(file.base64, 'base64'), { mode: 0o600 });
      }
      print(values.report ? { ...report, reportPath } : report, () =>
        [
          report.total === 0 && report.problems.length === 0 ? t(locale, 'sync.nothing') : t(locale, 'sync.report', { verified: report.verified, problems: report.problems.length, remaining: report.remaining }),
          ...(report.stopped ? [t(locale, 'sync.session_revoked')] : []),
          ...report.problems.map((p) => `  ! #${p.documentId} ${p.name} [${p.state}/${p.code}]: ${p.message}`),
          ...(reportPath ? [t(locale, 'sync.report_written', { path: reportPath })] : []),
          '',
        ].join('\n'),
      );
      return report.problems.length > 0 || report.remaining > 0 || report.stopped ? EXIT.failed : EXIT.ok;
    }

    // Retention (issue 7): the same calls as the Penyusutan view.
    if (group === 'retention' && verb === 'status') {
      const overview = await call('retention.overview', {});
      const { today, phases, proposals } = overview;
      print({ today, confirmed: overview.confirmed, phases, proposals }, () =>
        [
          ...Object.entries(phases).map(([phase, count]) => `${phase}\t${count}`),
          ...proposals.map((p) => [p.number, p.state, p.kind, p.itemCount].join('\t')),
          '',
        ].join('\n'),
      );
      return EXIT.ok;
    }

    if (group === 'retention' && verb === 'propose') {
      const proposal = await call('retention.propose', { kind: rest[0] === 'musnah' ? 'musnah' : 'permanen' });
      print(proposal, () =>
        [
          `${proposal.number}\t${proposal.state}\t${proposal.items.length}`,
          ...proposal.items.map((item) => [`  #${item.documentId}`, item.nip, item.nama, item.typeCode, item.nomor ?? '', item.dueOn].join('\t')),
          '',
        ].join('\n'),
      );
      return EXIT.ok;
    }

    if (group === 'verify' && verb === undefined) {
      const report = await call('maintenance.verify', {});
      print(report, () =>
        report.ok
          ? `${t(locale, 'verify.ok', { documents: report.documents, blobs: report.blobs })}\n`
          : `${report.problems.map((p) => p.message).join('\n')}\n`,
      );
      return report.ok ? EXIT.ok : EXIT.failed;
    }

    throw new UsageError(positionals.join(' '));

    async function login(flag: string | undefined, enrolling: boolean): Promise<void> {
      const nip = flag ?? io.env.LEMARI_USER ?? (io.prompt ? await io.prompt('NIP: ', false) : undefined);
      if (!nip) throw new UsageError(`--user / LEMARI_USER: ${t(locale, 'cli.needs_env', { name: 'LEMARI_USER' })}`);
      const password = await ask('LEMARI_PASSWORD', t(locale, 'cli.ask_password'), true);
      const begun = await call('auth.beginLogin', { nip, password });
      if (begun.next === 'done') {
        if (!enrolling) throw Object.assign(new Error(t(locale, 'cli.enrol_first')), { code: 'unauthenticated' });
        return;
      }
      const code = await ask('LEMARI_OTP', t(locale, 'cli.ask_code'), false);
      await call('auth.completeLogin', { ticket: begun.ticket, code });
    }
  } catch (error) {
    if (error instanceof UsageError) {
      io.stderr(`Perintah tidak dikenal / unknown command: ${error.message}\n\n${USAGE}`);
      return EXIT.usage;
    }
    const message = error instanceof SecretStoreError ? secretStoreMessage(error, (key, params) => t(locale, key, params)) : (error as Error).message;
    io.stderr(values.json ? `${JSON.stringify({ ok: false, error: { code: (error as { code?: string }).code ?? 'internal', message } })}\n` : `${message}\n`);
    return EXIT.failed;
  } finally {
    await profile?.close();
  }
}

/** 75 -> 1m15s; 3700 -> 1h01m. */
function formatSeconds(seconds: number): string {
  const h = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const sec = Math.floor(seconds % 60);
  return h > 0 ? `${h}h${String(m).padStart(2, '0')}m` : m > 0 ? `${m}m${String(sec).padStart(2, '0')}s` : `${sec}s`;
}

function humanImport(report: ImportReport): string {
  const lines = [`${report.imported.length} diimpor, ${report.duplicates.length} duplikat, ${report.failed.length} gagal`];
  for (const item of report.imported) lines.push(`  + #${item.documentId} ${item.name} (${item.pageCount} hlm)${item.guess.nip ? ` NIP ${item.guess.nip}` : ''}${item.guess.typeCode ? ` ${item.guess.typeCode}` : ''}`);
  for (const item of report.duplicates) lines.push(`  = ${item.name}: ${item.message}`);
  for (const item of report.failed) lines.push(`  ! ${item.name}: ${item.message}`);
  return `${lines.join('\n')}\n`;
}
