// The in-process event bus that shells subscribe to and forward (IPC, SSE, CLI progress).
import type { EventName, EventPayload } from '../../common/contract';
import type { EventSink } from './ports';

type Listener = (name: EventName, payload: unknown) => void;

export class EventBus implements EventSink {
  private readonly listeners = new Set<Listener>();

  emit<E extends EventName>(name: E, payload: EventPayload<E>): void {
    for (const listener of this.listeners) listener(name, payload);
  }

  /** Subscribes to every event; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
