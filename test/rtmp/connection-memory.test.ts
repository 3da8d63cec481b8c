import { afterEach, describe, expect, it } from 'vitest';
import type { ConnectionClosed, ProtocolStep, TimelineEntry } from '../../app/contract/engine.js';
import { Engine } from '../../app/engine.js';
import { ChunkEncoder } from '../../app/rtmp/chunk-encoder.js';
import { commandMessage } from '../../app/rtmp/command.js';
import { UserControlEvent, encodeSetChunkSize, encodeUserControl } from '../../app/rtmp/control.js';
import { MessageType, type RtmpMessage } from '../../app/rtmp/message-types.js';
import { RtmpTransport, type TransportHandler } from '../../app/rtmp/transport.js';
import { type MemoryStream, memoryPair, settle } from './memory-stream.js';

/**
 * The engine's server connection and the publisher's client transport, the
 * two ends of one transport, speaking through an in-memory pair: no socket.
 */
let engine: Engine | null = null;
afterEach(async () => {
  await engine?.stop();
  engine = null;
});

function start(limits: { idleTimeoutMs?: number; handshakeTimeoutMs?: number } = {}): {
  client: RtmpTransport;
  clientStream: MemoryStream;
  received: RtmpMessage[];
  timeline: TimelineEntry[];
  steps: ProtocolStep[];
  closes: ConnectionClosed[];
} {
  engine = new Engine({ port: 0, limits });
  const timeline: TimelineEntry[] = [];
  const steps: ProtocolStep[] = [];
  const closes: ConnectionClosed[] = [];
  engine.on('message', (m) => timeline.push(m));
  engine.on('step', (s) => steps.push(s));
  engine.on('connection-close', (c) => closes.push(c));
  const [serverStream, clientStream] = memoryPair();
  engine.accept(serverStream);
  const received: RtmpMessage[] = [];
  const handler: TransportHandler = { ready: () => {}, control: (m) => received.push(m), message: (m) => received.push(m), failed: (err) => received.push(err as never) };
  const client = new RtmpTransport(clientStream, handler, { role: 'client' });
  return { client, clientStream, received, timeline, steps, closes };
}

describe('Connection over an in-memory stream, against the client transport', () => {
  it('the timeline has every message both ways, control included, in order, with consecutive seq numbers', async () => {
    const { client, received, timeline, steps } = start();
    await settle();
    client.send(encodeSetChunkSize(4096));
    client.send(commandMessage('connect', 1, { app: 'live', tcUrl: 'rtmp://127.0.0.1/live' }, []));
    await settle();
    client.send(encodeUserControl(UserControlEvent.PingRequest, 99));
    client.send(commandMessage('createStream', 2, null, []));
    await settle();
    const flow = timeline.map((e) => `${e.direction} ${e.typeName}${e.command ? ` ${e.command.name}` : ''}`);
    expect(flow).toEqual([
      'in Set Chunk Size',
      'in Command (AMF0) connect',
      'out Window Ack Size',
      'out Set Peer Bandwidth',
      'out Set Chunk Size',
      'out Command (AMF0) _result',
      'in User Control',
      'out User Control',
      'in Command (AMF0) createStream',
      'out Command (AMF0) _result',
    ]);
    expect(timeline.map((e) => e.seq)).toEqual(timeline.map((_, i) => i));
    expect(timeline[7].control).toMatchObject({ name: 'Ping Response', timestamp: 99 });
    expect(steps.filter((s) => s.id === 'set-chunk-size' && s.state === 'received').map((s) => s.detail)).toEqual([{ chunkSize: 4096 }]);
    // What the server sent is what the client read, in the same order.
    expect(received.map((m) => m.typeId)).toEqual([5, 6, 1, 20, 4, 20]);
  });

  it('closing says how many bytes of an incomplete chunk were discarded, and counts every byte', async () => {
    const { client, clientStream, closes } = start();
    await settle();
    client.send(encodeSetChunkSize(4096));
    // A 1000-byte message cut after 100 of its bytes (its 12-byte header is parsed).
    const enc = new ChunkEncoder();
    enc.setChunkSize(4096);
    const bytes = enc.encode({ csid: 6, typeId: MessageType.Video, streamId: 1, timestamp: 0, payload: Buffer.alloc(1000) }).subarray(0, 112);
    clientStream.write(bytes);
    await settle();
    void engine!.stop('test over');
    await settle();
    expect(closes).toHaveLength(1);
    expect(closes[0]).toMatchObject({ by: 'server', reason: 'test over (100 bytes of an incomplete chunk discarded)' });
    expect(closes[0].bytesIn).toBe(client.bytesOut + 112);
  });

  it('idle time-out: silence closes the connection; reads keep it open', async () => {
    const { client, closes } = start({ idleTimeoutMs: 300 });
    await settle();
    for (let i = 0; i < 6; i++) {
      client.send({ csid: 2, typeId: MessageType.UserControl, streamId: 0, timestamp: 0, payload: Buffer.from('0003000000010000bb80', 'hex') });
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(closes).toEqual([]);
    await new Promise((r) => setTimeout(r, 500));
    expect(closes).toHaveLength(1);
    expect(closes[0].error).toEqual({ code: 'idle-timeout', message: 'no data from the client for 0.3 s' });
  });

  it('a client that stalls in the handshake gets handshake-timeout even when the idle limit is the same (no race between the timers)', async () => {
    for (let i = 0; i < 5; i++) {
      engine = new Engine({ port: 0, limits: { handshakeTimeoutMs: 60, idleTimeoutMs: 60 } });
      const closes: ConnectionClosed[] = [];
      engine.on('connection-close', (c) => closes.push(c));
      const [serverStream, clientStream] = memoryPair();
      engine.accept(serverStream);
      // C0 and part of C1 in the same turn as the accept, then nothing.
      clientStream.write(Buffer.concat([Buffer.from([3]), Buffer.alloc(700)]));
      await new Promise((r) => setTimeout(r, 200));
      expect(closes).toHaveLength(1);
      expect(closes[0].error?.code).toBe('handshake-timeout');
      expect(closes[0].reason).toMatch(/701 bytes/);
      await engine.stop();
      engine = null;
    }
  });
});
