import { EventEmitter } from 'node:events';

/**
 * An EventEmitter whose event names and payloads are checked against a map,
 * in the manner of hls.js's `on<E extends keyof Listeners>`.
 */
export class TypedEmitter<Events extends object> {
  private readonly ee = new EventEmitter();

  constructor() {
    // Many UIs, a CLI and tests may all listen; the default limit of 10 only produces noise here.
    this.ee.setMaxListeners(0);
  }

  on<E extends keyof Events & string>(event: E, listener: (payload: Events[E]) => void): () => void {
    this.ee.on(event, listener);
    return () => this.ee.off(event, listener);
  }

  once<E extends keyof Events & string>(event: E, listener: (payload: Events[E]) => void): () => void {
    this.ee.once(event, listener);
    return () => this.ee.off(event, listener);
  }

  emit<E extends keyof Events & string>(event: E, payload: Events[E]): void {
    this.ee.emit(event, payload);
  }

  /** Whether anyone listens: lets hot paths skip building events nobody reads. */
  listened<E extends keyof Events & string>(event: E): boolean {
    return this.ee.listenerCount(event) > 0;
  }
}
