// The action codes main writes to the audit log, and their catalog labels. A code not
// listed here (a newer version's, a sync peer's) is shown as it is.
import type { MessageKey } from '../../../../common/i18n';

/** The codes the catalogs label: a code listed below without a label does not compile. */
type LabelledCode<K> = K extends `activity.action.${infer Code}` ? Code : never;

export const KNOWN_ACTIONS = [
  'auth.login',
  'auth.login_failed',
  'auth.locked',
  'auth.logout',
  'auth.resumed',
  'auth.activation_requested',
  'auth.activation_password_set',
  'auth.activation_mfa_enrolled',
  'auth.activation_failed',
  'user.activated_online',
  'document.imported',
  'document.viewed',
  'document.labelled',
  'employees.imported',
  // Employee history import (issue 7).
  'employees.history_imported',
  'user.created',
  'user.mfa_enrolled',
  'user.password_changed',
  'user.recovery_code_used',
  'user.recovery_codes_regenerated',
  'user.role_changed',
  'user.disabled',
  'user.enabled',
  'user.unlocked',
  'user.password_reset',
  'user.mfa_reset',
  'audit.exported',
  'settings.changed',
  // The admin keeps the central server's accounts (main/core/accounts).
  'server_accounts.listed',
  'server_accounts.created',
  'server_accounts.updated',
  'server_accounts.refused',
] as const satisfies readonly LabelledCode<MessageKey>[];

export type KnownAction = (typeof KNOWN_ACTIONS)[number];

export function actionLabelKey(code: string): MessageKey | null {
  return (KNOWN_ACTIONS as readonly string[]).includes(code) ? (`activity.action.${code as KnownAction}` as const) : null;
}
