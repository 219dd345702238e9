// Ports every core feature may receive: time, language and the event sink. Real
// implementations are built in the composition roots; tests pass fakes.

import type { EventName, EventPayload } from '../../common/contract';
import type { MessageKey, MessageParams } from '../../common/i18n';

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Turns a catalog key into text in the user's current language. */
export type Translate = (key: MessageKey, params?: MessageParams) => string;

export interface EventSink {
  emit<E extends EventName>(name: E, payload: EventPayload<E>): void;
}

/** Who is calling, as the audit log names them: the user's NIP (and their account id). */
export interface Actor {
  id: string;
  userId?: number;
}
