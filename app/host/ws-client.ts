import type { WebSocket } from 'ws';
import type { UiEventName, UiEvents } from '../contract/ui.js';
import type { ClientFrame } from '../contract/wire.js';
import { MEDIA_ARRIVAL_OFFSET, MEDIA_FORWARDED_OFFSET, MEDIA_HEADER_BYTES, MEDIA_OFFERED_OFFSET } from '../contract/wire.js';
import type { UiClient, UiSink } from './session-host.js';
import { toWireError } from './ui-error.js';

/** What one page's WebSocket may hold, and how to say it was dropped. */
export interface WsClientOptions {
  /** Bytes queued for the page (not yet taken by its socket) past which it is dropped. */
  maxQueuedBytes: number;
  /** Requests answered but not yet sent, past which the page is dropped. */
  maxInFlight: number;
  /** Who the page is, for the log line ("127.0.0.1:53122"). */
  peer: string;
  log(level: 'warn', message: string): void;
}

/**
 * One page on the WebSocket: its events and its requests' replies go out
 * through one bounded queue, and each request is answered alone.
 *
 * Why one bound for everything: a page that stops reading (a hung tab, or a
 * hostile client that sends `timeline` requests and never reads) once drove
 * `intake serve` from 154 MB to 2.5 GB. What counts is `ws.bufferedAmount`
 * (what `ws` and the socket hold) plus the replies being prepared; past the
 * limit nothing more is serialised, the page is dropped with a log line, and
 * a page that wakes up reconnects and reads a fresh snapshot.
 */
export class WsClient {
  private inFlight = 0;
  private dropped = false;
  private client: UiClient | null = null;

  constructor(
    private readonly ws: WebSocket,
    private readonly opts: WsClientOptions,
  ) {}

  /** The sink the service sends this page's events to. */
  readonly sink: UiSink = {
    event: <K extends UiEventName>(name: K, payload: UiEvents[K]): void => {
      if (!this.room()) return;
      if (name === 'media') {
        const m = payload as UiEvents['media'];
        this.ws.send(frameMedia(m.previewId, m.data, m), { binary: true });
      } else {
        this.ws.send(JSON.stringify({ event: name, payload }));
      }
    },
    backlog: () => this.queued(),
  };

  /** Bytes queued for this page now. */
  queued(): number {
    return this.ws.bufferedAmount;
  }

  /** Start answering the page's requests through `client` (the service's session for it). */
  serve(client: UiClient): void {
    this.client = client;
    this.ws.on('message', (data, isBinary) => {
      try {
        this.request(data, isBinary);
      } catch (err) {
        // Nothing a frame holds may reach the process: the page learns what went wrong, the server carries on.
        this.ws.close(1011, `internal error: ${toWireError(err).message}`.slice(0, 120));
      }
    });
    this.ws.on('close', () => client.detach());
    this.ws.on('error', () => client.detach());
  }

  private request(data: unknown, isBinary: boolean): void {
    if (isBinary) {
      this.ws.close(1003, 'requests are JSON text frames {id, name, arg}');
      return;
    }
    let frame: ClientFrame;
    try {
      frame = JSON.parse(String(data)) as ClientFrame;
      if (typeof frame !== 'object' || frame === null || typeof frame.id !== 'number' || typeof frame.name !== 'string') throw new Error('not a request');
    } catch {
      this.ws.close(1003, 'requests are JSON {id, name, arg}');
      return;
    }
    if (++this.inFlight > this.opts.maxInFlight) {
      this.drop(`${this.inFlight} requests awaiting their answers (limit ${this.opts.maxInFlight})`);
      return;
    }
    const id = frame.id;
    this.client!.handle(frame.name, frame.arg)
      .then(
        (res) => this.reply(() => JSON.stringify({ id, ok: true, res: res ?? null })),
        (err: unknown) => this.reply(() => JSON.stringify({ id, ok: false, error: toWireError(err) })),
      )
      .catch((err: unknown) => this.reply(() => JSON.stringify({ id, ok: false, error: toWireError(err) })))
      .catch(() => this.ws.terminate())
      .finally(() => this.inFlight--);
  }

  /** Serialise a reply only if the page has room for it (a reply is queued bytes like any event). */
  private reply(serialise: () => string): void {
    if (this.room()) this.ws.send(serialise());
  }

  /** Whether the page can take more; drops it (once, with a log line) when it cannot. */
  private room(): boolean {
    if (this.dropped || this.ws.readyState !== this.ws.OPEN) return false;
    const queued = this.queued();
    if (queued <= this.opts.maxQueuedBytes) return true;
    this.drop(`${queued} bytes queued for it, more than the ${this.opts.maxQueuedBytes}-byte limit (it stopped reading)`);
    return false;
  }

  private drop(why: string): void {
    if (this.dropped) return;
    this.dropped = true;
    this.opts.log('warn', `dropped UI client ${this.opts.peer}: ${why}`);
    this.ws.terminate();
  }
}

/**
 * The binary WebSocket frame for a media chunk (wire.ts: the 4-byte preview
 * id, the arrival time, the offered and forwarded counts, then the FLV
 * bytes). A PreviewFeed batch already sits behind its header in one buffer,
 * so the frame is that buffer, sent as it is: no copy. Any other chunk is
 * copied behind a new header. (The bytes before a foreign view are only sent
 * when they equal that header, i.e. when the frame would be the same bytes
 * anyway.)
 */
export function frameMedia(previewId: number, data: Uint8Array, meta: { arrivedAt?: number; offered?: number; forwarded?: number } = {}): Buffer {
  if (data.byteOffset >= MEDIA_HEADER_BYTES) {
    const framed = Buffer.from(data.buffer, data.byteOffset - MEDIA_HEADER_BYTES, MEDIA_HEADER_BYTES + data.byteLength);
    if (framed.readUInt32BE(0) === previewId) return framed;
  }
  const frame = Buffer.allocUnsafe(MEDIA_HEADER_BYTES + data.byteLength);
  frame.writeUInt32BE(previewId, 0);
  frame.writeDoubleBE(meta.arrivedAt ?? NaN, MEDIA_ARRIVAL_OFFSET);
  frame.writeUInt32BE((meta.offered ?? 0) >>> 0, MEDIA_OFFERED_OFFSET);
  frame.writeUInt32BE((meta.forwarded ?? 0) >>> 0, MEDIA_FORWARDED_OFFSET);
  frame.set(data, MEDIA_HEADER_BYTES);
  return frame;
}
