import net from 'node:net';
import type { AmfObject, AmfValue } from '../amf/types.js';
import { encodeAmf0 } from '../amf/amf0.js';
import { ErrorCode, RtmpError } from '../errors.js';
import { type Command, commandMessage, decodeCommand } from '../rtmp/command.js';
import { encodeSetChunkSize } from '../rtmp/control.js';
import { MessageType, type RtmpMessage } from '../rtmp/message-types.js';
import { RtmpTransport } from '../rtmp/transport.js';

export interface PublisherOptions {
  /** Our outgoing chunk size (sent as Set Chunk Size before connect). */
  chunkSize?: number;
  /** Use the FP9 digest handshake (default) or the plain one. */
  digest?: boolean;
  /** flashVer of the connect command. */
  flashVer?: string;
  timeoutMs?: number;
}

/** rtmp://host[:port]/app[/more]/key -> parts. */
export function parseRtmpUrl(url: string): { host: string; port: number; app: string; key: string; tcUrl: string } {
  const m = /^rtmp:\/\/(\[[^\]]+\]|[^/:]+)(?::(\d+))?\/(.+)\/([^/]+)$/.exec(url);
  if (!m) throw new RtmpError(ErrorCode.Config, `not an rtmp://host[:port]/app/key URL: ${url}`);
  const host = m[1].replace(/^\[|\]$/g, '');
  const port = m[2] ? Number(m[2]) : 1935;
  return { host, port, app: m[3], key: m[4], tcUrl: `rtmp://${m[1]}:${port}/${m[3]}` };
}

/**
 * A minimal RTMP publisher: handshake, connect, releaseStream, FCPublish,
 * createStream, publish, then media. Used by `intake push`, the benchmark
 * (which needs chunk sizes ffmpeg cannot be told to use) and the Enhanced
 * RTMP tests (no publisher on this machine speaks it). The client end of the
 * same transport the server runs.
 */
export class RtmpPublisher {
  private readonly transport: RtmpTransport;
  private closed = false;
  private txn = 1;
  private readonly waiting = new Map<number | string, (cmd: Command) => void>();
  private failure: ((err: Error) => void) | null = null;
  private handshakeDone: (() => void) | null = null;
  streamId = 0;
  /** Every command the server sent, in order (for tests). */
  readonly serverCommands: Command[] = [];
  /** Every message the server sent, in order, control included (for tests). */
  readonly serverMessages: RtmpMessage[] = [];

  /** Sends C0+C1 at once: construct on a connected socket. */
  private constructor(private readonly socket: net.Socket, opts: PublisherOptions) {
    socket.setNoDelay(true);
    this.transport = new RtmpTransport(
      socket,
      {
        ready: () => this.handshakeDone?.(),
        control: (m) => this.received(m),
        message: (m) => this.received(m),
        failed: (err) => {
          this.fail(err as Error);
          socket.destroy();
        },
      },
      { role: 'client', digest: opts.digest ?? true },
    );
    socket.on('error', (err) => this.fail(err));
    socket.on('close', () => this.fail(new Error('server closed the connection')));
  }

  /** Bytes sent as chunks (after the handshake). */
  get bytesSent(): number {
    return this.transport.bytesOut - this.transport.handshakeBytesOut;
  }

  /** C0+C1 and C2. */
  get handshakeBytes(): number {
    return this.transport.handshakeBytesOut;
  }

  /** Connect and go through publish; resolves once NetStream.Publish.Start arrives. */
  static async publish(url: string, opts: PublisherOptions = {}): Promise<RtmpPublisher> {
    const u = parseRtmpUrl(url);
    const socket = net.connect({ host: u.host, port: u.port });
    let p: RtmpPublisher | null = null;
    const timer = setTimeout(() => p?.fail(new Error(`no answer within ${(opts.timeoutMs ?? 10000) / 1000} s`)), opts.timeoutMs ?? 10_000);
    try {
      await new Promise<void>((resolve, reject) => {
        socket.once('connect', resolve);
        socket.once('error', reject);
      });
      p = new RtmpPublisher(socket, opts);
      await p.handshake();
      // Our Set Chunk Size applies to what we send after it (the transport sees to that).
      p.send(encodeSetChunkSize(opts.chunkSize ?? 4096));
      const connect: AmfObject = { app: u.app, type: 'nonprivate', flashVer: opts.flashVer ?? 'FMLE/3.0 (compatible; intake-push)', tcUrl: u.tcUrl };
      await p.call('connect', connect, []);
      p.send(commandMessage('releaseStream', p.txn++, null, [u.key]));
      p.send(commandMessage('FCPublish', p.txn++, null, [u.key]));
      const cs = await p.call('createStream', null, []);
      p.streamId = typeof cs.args[0] === 'number' ? cs.args[0] : 1;
      const started = p.waitFor('onStatus');
      p.send(commandMessage('publish', p.txn++, null, [u.key, 'live'], p.streamId, 8));
      const st = await started;
      const info = st.args[0] as AmfObject | undefined;
      if (info?.code !== 'NetStream.Publish.Start') throw new Error(`publish refused: ${String(info?.code)} ${String(info?.description ?? '')}`);
      return p;
    } catch (err) {
      socket.destroy();
      throw err;
    } finally {
      clearTimeout(timer);
    }
  }

  /** Send `@setDataFrame onMetaData {...}`. */
  metadata(values: AmfObject): Promise<void> {
    return this.media(MessageType.DataAmf0, 0, encodeAmf0(['@setDataFrame', 'onMetaData', values]));
  }

  /** Send one audio (8), video (9) or data (18) message; resolves when the socket can take more. */
  media(typeId: number, timestamp: number, payload: Buffer): Promise<void> {
    const csid = typeId === MessageType.Audio ? 4 : typeId === MessageType.Video ? 6 : 5;
    const ok = this.send({ csid, typeId, streamId: this.streamId, timestamp, payload });
    if (ok || this.closed) return Promise.resolve();
    return new Promise((resolve) => this.socket.once('drain', resolve));
  }

  /** Any message (for tests that need raw control over what is sent). */
  send(msg: RtmpMessage): boolean {
    return this.transport.send(msg);
  }

  /** Raw bytes (for hostile-input tests). */
  writeRaw(b: Buffer): boolean {
    return this.socket.write(b);
  }

  /** FCUnpublish, deleteStream and close, waiting for the bytes to leave. */
  async unpublish(key: string): Promise<void> {
    this.send(commandMessage('FCUnpublish', this.txn++, null, [key]));
    this.send(commandMessage('deleteStream', this.txn++, null, [this.streamId]));
    await this.close();
  }

  close(): Promise<void> {
    this.closed = true;
    this.transport.close();
    return new Promise((resolve) => {
      this.socket.end(() => resolve());
      setTimeout(() => {
        this.socket.destroy();
        resolve();
      }, 5000).unref();
    });
  }

  private handshake(): Promise<void> {
    return new Promise((resolve, reject) => {
      this.handshakeDone = resolve;
      this.failure = reject;
    });
  }

  private call(name: string, obj: AmfValue, args: AmfValue[]): Promise<Command> {
    const txn = this.txn++;
    const p = new Promise<Command>((resolve, reject) => {
      this.waiting.set(txn, resolve);
      this.failure = reject;
    });
    this.send(commandMessage(name, txn, obj, args));
    return p.then((c) => {
      if (c.name === '_error') throw new Error(`${name} failed: ${JSON.stringify(c.args)}`);
      return c;
    });
  }

  private waitFor(name: string): Promise<Command> {
    return new Promise<Command>((resolve, reject) => {
      this.waiting.set(name, resolve);
      this.failure = reject;
    });
  }

  private received(m: RtmpMessage): void {
    this.serverMessages.push({ ...m, payload: Buffer.from(m.payload) });
    if (m.typeId !== MessageType.CommandAmf0 && m.typeId !== MessageType.CommandAmf3) return;
    const c = decodeCommand(m.typeId, m.payload);
    this.serverCommands.push(c);
    const byTxn = c.name === '_result' || c.name === '_error' ? this.waiting.get(c.transactionId) : undefined;
    const w = byTxn ?? this.waiting.get(c.name);
    if (w) {
      this.waiting.delete(byTxn ? c.transactionId : c.name);
      w(c);
    }
  }

  private fail(err: Error): void {
    const f = this.failure;
    this.failure = null;
    this.closed = true;
    this.transport.close();
    f?.(err);
  }
}
