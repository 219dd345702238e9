// A profile for the benchmarks, opened the way the CLI and the browser host open one
// (openProfile over a key-file secret store), with the bench's admin signed in, so calls go
// through profile.api.call exactly as the UI's do.

import { ROOT } from './common';
import { bootstrapAdmin, signIn, type CodeSource } from './auth';
import { openProfile, type Profile } from '../../main/profile';
import { DEFAULT_SETTINGS } from '../../main/infra/settings';
import { findResourcesDir } from '../../main/infra/reference';
import { KeyFileSecretStore } from '../../main/infra/secrets';

export interface BenchProfile {
  profile: Profile;
  call: (method: string, input: unknown) => Promise<{ ok: boolean; value?: unknown; error?: { code: string; message: string } }>;
  codes: CodeSource;
}

export async function openBenchProfile(dataDir: string, errors: string[] = [], options: { plain?: boolean } = {}): Promise<BenchProfile> {
  let settings = { ...DEFAULT_SETTINGS };
  const profile = await openProfile({
    dataDir,
    host: 'cli',
    resourcesDir: findResourcesDir(ROOT),
    settings: { get: () => settings, set: (patch) => (settings = { ...settings, ...patch }) },
    secrets: new KeyFileSecretStore(dataDir),
    logger: { error: (message) => errors.push(message), info: () => {} },
    ...(options.plain ? { unsafePlainAtRestForBenchmark: true as const } : {}),
  });
  const session = profile.newSession();
  const call: BenchProfile['call'] = (method, input) => profile.api.call(method, input, { session }) as ReturnType<BenchProfile['call']>;
  const codes = await bootstrapAdmin(call);
  const status = await call('auth.status', {});
  // Enrolment may or may not leave the session signed in; sign in when it did not.
  if (!status.ok || !(status.value as { session: unknown }).session) await signIn(call, codes);
  return { profile, call, codes };
}
