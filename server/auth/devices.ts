// Devices: the workstations registered to an instansi. A device is registered at the end
// of a login; an admin (over the API, or the operator with `lemari-server devices`) lists
// and revokes them. Revoking ends the device's access tokens at once (authenticate()
// re-reads revoked_at on every request) and its refresh tokens.
import { randomUUID } from 'node:crypto';
import type { Device } from '../../common/dms/auth';
import type { Db, Sql } from '../db';
import { DmsError } from '../http/errors';
import { revokeFamilies } from './sessions';
import type { DeviceChoice } from './steps';

interface DeviceRow {
  id: string;
  name: string;
  instansi_id: string;
  registered_nip: string | null;
  registered_name: string | null;
  created_at: string;
  last_seen_at: string | null;
  revoked_at: string | null;
}

const DEVICE_SELECT = `select d.id, d.name, d.instansi_id, u.nip as registered_nip, u.name as registered_name, d.created_at, d.last_seen_at, d.revoked_at
  from devices d left join users u on u.id = d.registered_by`;

export function deviceOf(row: DeviceRow): Device & { instansiId: string } {
  return {
    id: row.id,
    name: row.name,
    instansiId: row.instansi_id,
    registeredBy: row.registered_nip === null ? null : { nip: row.registered_nip, name: row.registered_name ?? '' },
    createdAt: row.created_at,
    lastSeenAt: row.last_seen_at,
    revokedAt: row.revoked_at,
  };
}

export async function listDevices(sql: Sql, instansiId: string): Promise<ReturnType<typeof deviceOf>[]> {
  const { rows } = await sql.query<DeviceRow>(`${DEVICE_SELECT} where d.instansi_id = $1 order by d.created_at, d.name`, [instansiId]);
  return rows.map(deviceOf);
}

/**
 * Revokes a device (again: no change). With `instansiId`, only a device of that instansi:
 * another's answers not_found, so device ids cannot be probed across instansi.
 */
export async function revokeDevice(db: Db, deviceId: string, nowIso: string, instansiId?: string): Promise<ReturnType<typeof deviceOf>> {
  return db.transaction(async (tx) => {
    const { rowCount } = await tx.query('update devices set revoked_at = coalesce(revoked_at, $2) where id = $1 and ($3::text is null or instansi_id = $3)', [
      deviceId,
      nowIso,
      instansiId ?? null,
    ]);
    if (rowCount === 0) throw new DmsError('not_found', 'No such device in this instansi.');
    await revokeFamilies(tx, { deviceId }, 'device_revoked', nowIso);
    const { rows } = await tx.query<DeviceRow>(`${DEVICE_SELECT} where d.id = $1`, [deviceId]);
    return deviceOf(rows[0]);
  });
}

/**
 * The device a login is for: a registered, unrevoked device of the user's instansi, or a
 * new one when the login named one (registered only once the login succeeds).
 */
export async function checkDevice(sql: Sql, choice: DeviceChoice, instansiId: string): Promise<void> {
  if (!('id' in choice)) return;
  const { rows } = await sql.query<{ revoked_at: string | null }>('select revoked_at from devices where id = $1 and instansi_id = $2', [choice.id, instansiId]);
  if (!rows[0]) throw new DmsError('not_found', 'No such device in your instansi: register this workstation with deviceName.');
  if (rows[0].revoked_at) throw new DmsError('session_revoked', 'An administrator of your instansi has revoked this device.');
}

export async function deviceForLogin(sql: Sql, choice: DeviceChoice, user: { id: number; instansiId: string }, nowIso: string): Promise<string> {
  await checkDevice(sql, choice, user.instansiId);
  if ('id' in choice) return choice.id;
  const id = randomUUID();
  await sql.query('insert into devices (id, instansi_id, name, registered_by, created_at) values ($1, $2, $3, $4, $5)', [id, user.instansiId, choice.name, user.id, nowIso]);
  return id;
}
