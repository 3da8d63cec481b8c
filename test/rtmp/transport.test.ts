import { describe, expect, it } from 'vitest';
import { ErrorCode, RtmpError } from '../../app/errors.js';
import { ChunkEncoder } from '../../app/rtmp/chunk-encoder.js';
import { commandMessage, decodeCommand } from '../../app/rtmp/command.js';
import { UserControlEvent, encodeSetChunkSize, encodeUserControl, encodeWindowAckSize } from '../../app/rtmp/control.js';
import { type ServerHandshakeResult, serverHandshake } from '../../app/rtmp/handshake.js';
import { MessageType, type RtmpMessage } from '../../app/rtmp/message-types.js';
import { RtmpTransport, type TransportHandler, type TransportLimits } from '../../app/rtmp/transport.js';
import { DEFAULT_LIMITS } from '../../app/server/limits.js';
import { type MemoryStream, memoryPair, settle } from './memory-stream.js';

/** Records what a transport tells its owner, in order. */
class Recorder implements TransportHandler {
  hellos: ServerHandshakeResult[] = [];
  isReady = false;
  controls: RtmpMessage[] = [];
  chunkSizes: number[] = [];
  messages: RtmpMessage[] = [];
  sentMessages: RtmpMessage[] = [];
  failures: unknown[] = [];
  reads = 0;
  /** Order of every call: 'control 1', 'message 20', 'sent 4'... */
  log: string[] = [];

  hello(hs: ServerHandshakeResult): void {
    this.hellos.push(hs);
  }
  ready(): void {
    this.isReady = true;
  }
  control(msg: RtmpMessage): void {
    this.controls.push(msg);
    this.log.push(`control ${msg.typeId}`);
  }
  peerChunkSize(size: number): void {
    this.chunkSizes.push(size);
    this.log.push(`chunk size ${size}`);
  }
  message(msg: RtmpMessage): void {
    this.messages.push(msg);
    this.log.push(`message ${msg.typeId}`);
  }
  sent(msg: RtmpMessage): void {
    this.sentMessages.push(msg);
    this.log.push(`sent ${msg.typeId}`);
  }
  afterRead(): void {
    this.reads++;
  }
  failed(err: unknown): void {
    this.failures.push(err);
  }
}

interface Ends {
  server: RtmpTransport;
  client: RtmpTransport;
  s: Recorder;
  c: Recorder;
  serverStream: MemoryStream;
  clientStream: MemoryStream;
}

/** A server transport and a client transport over an in-memory pair, handshake done. */
async function connected(opts: { readSize?: number; digest?: boolean; limits?: TransportLimits } = {}): Promise<Ends> {
  const [serverStream, clientStream] = memoryPair(opts.readSize);
  const s = new Recorder();
  const c = new Recorder();
  const server = new RtmpTransport(serverStream, s, { role: 'server', limits: opts.limits ?? DEFAULT_LIMITS });
  const client = new RtmpTransport(clientStream, c, { role: 'client', digest: opts.digest });
  await settle();
  expect(s.failures).toEqual([]);
  expect(c.failures).toEqual([]);
  expect(s.isReady && c.isReady).toBe(true);
  return { server, client, s, c, serverStream, clientStream };
}

const cmd = (name: string, txn: number): RtmpMessage => commandMessage(name, txn, null, ['x']);
const video = (n: number, ts = 0): RtmpMessage => ({ csid: 6, typeId: MessageType.Video, streamId: 1, timestamp: ts, payload: Buffer.alloc(n, ts & 0xff) });
const seen = (m: RtmpMessage): string => `${m.typeId} ${m.csid} ${m.streamId} ${m.timestamp} ${m.payload.toString('hex')}`;

describe('RtmpTransport: the handshake, both roles against each other', () => {
  it.each([
    { digest: true, readSize: Infinity },
    { digest: false, readSize: Infinity },
    { digest: true, readSize: 1 },
    { digest: false, readSize: 1 },
  ])('digest $digest, reads of $readSize byte(s): both ends ready, every byte counted', async ({ digest, readSize }) => {
    const { server, client, s } = await connected({ digest, readSize });
    expect(s.hellos.map((h) => h.kind)).toEqual([digest ? 'digest' : 'plain']);
    expect(server.bytesIn).toBe(1537 + 1536);
    expect(server.bytesOut).toBe(1 + 2 * 1536);
    expect(client.handshakeBytesOut).toBe(client.bytesOut);
    expect(client.bytesOut).toBe(server.bytesIn);
    expect(server.unparsed).toEqual({ bytes: 0, unit: 'chunk' });
  });

  it('a wrong version byte fails at once, with its one byte unparsed', async () => {
    const [serverStream, clientStream] = memoryPair();
    const s = new Recorder();
    const server = new RtmpTransport(serverStream, s, { role: 'server' });
    clientStream.write(Buffer.from([0x16]));
    await settle(3);
    expect(s.failures).toHaveLength(1);
    expect(s.failures[0]).toMatchObject({ code: ErrorCode.Handshake, message: expect.stringMatching(/TLS/) });
    expect(server.unparsed).toEqual({ bytes: 1, unit: 'handshake' });
  });

  it('a client given a bad S2 signature fails', async () => {
    const [serverStream, clientStream] = memoryPair();
    const c = new Recorder();
    new RtmpTransport(clientStream, c, { role: 'client', digest: true });
    // A real digest answer to its C0+C1, with S2 zeroed.
    const answer = serverHandshake(Buffer.concat(clientStream.written)).response;
    answer.fill(0, 1 + 1536);
    serverStream.write(answer);
    await settle(3);
    expect(c.failures[0]).toMatchObject({ code: ErrorCode.Handshake, message: expect.stringMatching(/S2 signature/) });
    expect(c.isReady).toBe(false);
  });
});

describe('RtmpTransport: messages and absorbed control', () => {
  it.each([Infinity, 1, 7])('reads of %s byte(s): the peer chunk size is applied, control is shown, the rest goes up in order', async (readSize) => {
    const { client, s } = await connected({ readSize });
    client.send(encodeSetChunkSize(1000));
    client.send(cmd('connect', 1));
    client.send(video(5000, 40));
    client.send(video(300, 80));
    await settle();
    expect(s.failures).toEqual([]);
    expect(s.log).toEqual(['control 1', 'chunk size 1000', 'message 20', 'message 9', 'message 9']);
    expect(s.messages.map(seen)).toEqual([cmd('connect', 1), video(5000, 40), video(300, 80)].map(seen));
    expect(decodeCommand(20, s.messages[0].payload).name).toBe('connect');
  });

  it('our own Set Chunk Size applies to what we send after it', async () => {
    const { server, c } = await connected();
    server.send(encodeSetChunkSize(4096));
    const before = server.bytesOut;
    server.send(video(3000));
    // One chunk: a 12-byte format 0 header and the payload, no continuation headers.
    expect(server.bytesOut - before).toBe(12 + 3000);
    await settle();
    expect(c.chunkSizes).toEqual([4096]);
    expect(c.messages.map(seen)).toEqual([seen(video(3000))]);
  });

  it('Ping Request → Ping Response with the same timestamp', async () => {
    const { client, s } = await connected();
    client.send({ csid: 2, typeId: MessageType.UserControl, streamId: 0, timestamp: 0, payload: Buffer.from('0006fedcba98', 'hex') });
    await settle();
    expect(s.sentMessages).toEqual([{ csid: 2, typeId: 4, streamId: 0, timestamp: 0, payload: Buffer.from('0007fedcba98', 'hex') }]);
    // Shown first, then answered: the timeline reads request, response.
    expect(s.log).toEqual(['control 4', 'sent 4']);
    expect(s.messages).toEqual([]);
  });

  it('other User Control events are not answered', async () => {
    const { client, s } = await connected();
    client.send({ csid: 2, typeId: MessageType.UserControl, streamId: 0, timestamp: 0, payload: Buffer.from('0003000000010000bb80', 'hex') });
    client.send({ csid: 2, typeId: MessageType.UserControl, streamId: 0, timestamp: 0, payload: Buffer.from('0007fedcba98', 'hex') });
    await settle();
    expect(s.controls).toHaveLength(2);
    expect(s.sentMessages).toEqual([]);
  });

  it('the client answers the server’s ping too: one transport, both ends', async () => {
    const { server, c } = await connected();
    server.send(encodeUserControl(UserControlEvent.PingRequest, 77));
    await settle();
    expect(c.sentMessages.map((m) => m.payload.toString('hex'))).toEqual(['00070000004d']);
  });

  it('Abort drops the partly received message of its chunk stream', async () => {
    const { client, clientStream, s, server } = await connected();
    // The first 128-byte chunk of a 1000-byte message on chunk stream 7, then Abort 7.
    const partial = new ChunkEncoder().encode({ csid: 7, typeId: MessageType.Video, streamId: 1, timestamp: 0, payload: Buffer.alloc(1000, 1) });
    clientStream.write(partial.subarray(0, 12 + 128));
    client.send({ csid: 2, typeId: MessageType.Abort, streamId: 0, timestamp: 0, payload: Buffer.from('00000007', 'hex') });
    client.send({ ...video(200), csid: 7 });
    await settle();
    expect(s.failures).toEqual([]);
    expect(s.log).toEqual(['control 2', 'message 9']);
    expect(s.messages[0].payload).toEqual(Buffer.alloc(200, 0));
    expect(server.unparsed.bytes).toBe(0);
  });

  it('Acknowledgements at the window the peer asks for, with every byte received as the sequence number', async () => {
    const { client, server, c } = await connected();
    // Each send is one write, read as one read: where a window is crossed is known in advance.
    const reads: number[] = [];
    const sendCounted = (m: RtmpMessage): void => {
      const before = client.bytesOut;
      client.send(m);
      reads.push(client.bytesOut - before);
    };
    sendCounted(encodeWindowAckSize(10_000));
    for (let i = 0; i < 12; i++) {
      sendCounted({ csid: 4, typeId: MessageType.Audio, streamId: 1, timestamp: i * 23, payload: Buffer.alloc(3000, 0xaf) });
      await settle(3);
    }
    await settle();
    const expected: number[] = [];
    let total = server.bytesIn - reads.reduce((a, b) => a + b, 0);
    let last = 0;
    for (const r of reads) {
      total += r;
      if (total - last >= 10_000) expected.push((last = total));
    }
    const acks = c.controls.filter((m) => m.typeId === MessageType.Acknowledgement).map((m) => m.payload.readUInt32BE(0));
    expect(expected.length).toBe(3);
    expect(acks).toEqual(expected);
    expect(server.bytesIn).toBe(client.bytesOut);
  });

  it('no Window Ack Size, no acknowledgements', async () => {
    const { client, c } = await connected();
    for (let i = 0; i < 5; i++) client.send(video(5000, i));
    await settle();
    expect(c.controls).toEqual([]);
  });
});

describe('RtmpTransport: limits and failures', () => {
  it('more than maxBufferedBytes without a complete chunk: buffer-overflow', async () => {
    const { client, clientStream, s } = await connected({ limits: { ...DEFAULT_LIMITS, maxBufferedBytes: 1000 } });
    client.send(encodeSetChunkSize(1_000_000));
    // Header of a 100 000-byte message, then 2000 of its bytes: the chunk is not complete.
    const enc = new ChunkEncoder();
    enc.setChunkSize(1_000_000);
    clientStream.write(enc.encode(video(100_000)).subarray(0, 12 + 2000));
    await settle();
    expect(s.failures).toHaveLength(1);
    expect(s.failures[0]).toMatchObject({ code: ErrorCode.BufferOverflow });
  });

  it('an invalid peer chunk size fails before it is shown', async () => {
    const { clientStream, s } = await connected();
    clientStream.write(Buffer.from([0x02, 0, 0, 0, 0, 0, 4, 1, 0, 0, 0, 0, 0, 0, 0, 0]));
    await settle();
    expect(s.failures[0]).toMatchObject({ code: ErrorCode.ChunkSize });
    expect(s.controls).toEqual([]);
  });

  it('what the owner throws while handling a message comes back as failed', async () => {
    const { client, s } = await connected();
    const boom = new RtmpError(ErrorCode.Message, 'no thanks');
    s.message = () => {
      throw boom;
    };
    client.send(cmd('connect', 1));
    await settle();
    expect(s.failures).toEqual([boom]);
  });

  it('unparsed bytes: an incomplete chunk header is reported as such', async () => {
    const { clientStream, server } = await connected();
    clientStream.write(Buffer.from([0x03, 0, 0, 0]));
    await settle();
    expect(server.unparsed).toEqual({ bytes: 4, unit: 'chunk' });
  });

  it('after close nothing is read or sent', async () => {
    const { client, server, s, serverStream } = await connected();
    server.close();
    client.send(cmd('connect', 1));
    const written = serverStream.written.length;
    expect(server.send(cmd('_result', 1))).toBe(false);
    await settle();
    expect(s.messages).toEqual([]);
    expect(serverStream.written.length).toBe(written);
  });

  it('pause holds reading (and is not silence); resume reads what waited', async () => {
    const { client, server, s } = await connected();
    server.pause();
    expect(server.paused).toBe(true);
    client.send(video(500, 1));
    await settle();
    expect(s.messages).toEqual([]);
    expect(server.silentForMs()).toBe(0);
    server.resume();
    await settle();
    expect(s.messages.map(seen)).toEqual([seen(video(500, 1))]);
    expect(s.reads).toBeGreaterThan(0);
  });
});
