/**
 * The core promise (DESIGN.md, "Quality bar"): any TCP segmentation of the
 * same bytes, down to one byte per read, gives the same messages and the same
 * frames. The bytes are a real ffmpeg publish session captured once by
 * capture-fixture.ts; ffmpeg's own frame count is saved beside them.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { ProtocolStep, StreamStats, TimelineEntry } from '../../app/contract/engine.js';
import { Engine } from '../../app/engine.js';
import { MessageType, type RtmpMessage } from '../../app/rtmp/message-types.js';
import { type ByteStream, RtmpTransport } from '../../app/rtmp/transport.js';
import { DEFAULT_LIMITS } from '../../app/server/limits.js';
import type { SessionFixture } from './capture-fixture.js';
import { prng } from '../support/prng.js';

const NAME = 'ffmpeg-h264-aac';
const bytes = readFileSync(new URL(`../fixtures/sessions/${NAME}.bin`, import.meta.url));
const fixture = JSON.parse(readFileSync(new URL(`../fixtures/sessions/${NAME}.json`, import.meta.url), 'utf8')) as SessionFixture;
/** The client's chunk stream: everything after C0+C1 (1537 bytes) and C2 (1536 bytes). */
const chunks = bytes.subarray(fixture.c0c1 + fixture.c2);

// ---------------------------------------------------------------------------
// Segmentations: where the byte stream is cut into reads.


/** `count` distinct cut points in 1..length-1, sorted, from `seed`. */
function randomCuts(length: number, count: number, seed: number): number[] {
  const rand = prng(seed);
  const cuts = new Set<number>();
  while (cuts.size < Math.min(count, length - 1)) cuts.add(1 + Math.floor(rand() * (length - 1)));
  return [...cuts].sort((a, b) => a - b);
}

/** Cut points of reads of random sizes 1..64 KiB, most of them small, as a socket gives them, from `seed`. */
function socketSizedCuts(length: number, seed: number): number[] {
  const rand = prng(seed);
  const cuts: number[] = [];
  for (let at = 0; ; ) {
    at += 1 + Math.floor(rand() ** 3 * 65536);
    if (at >= length) return cuts;
    cuts.push(at);
  }
}

/** The pieces of `buf` cut at these sorted offsets. */
function pieces(buf: Buffer, cuts: number[]): Buffer[] {
  const out: Buffer[] = [];
  let prev = 0;
  for (const c of [...cuts, buf.length]) {
    if (c > prev) out.push(buf.subarray(prev, c));
    prev = c;
  }
  return out;
}

const everyByte = (length: number): number[] => Array.from({ length: length - 1 }, (_, i) => i + 1);

const SEEDS = [1, 2, 3, 4, 5];

// ---------------------------------------------------------------------------
// Transport level: the server's own RtmpTransport (handshake, chunk reader,
// control absorbed), fed from buffers.

/** A message reduced to what must not depend on segmentation. */
interface Seen {
  typeId: number;
  csid: number;
  streamId: number;
  timestamp: number;
  length: number;
  sha1: string;
}

/**
 * The client's handshake, read whole before the chunk reads under test, as a
 * plain one (C1 version zeroed): what is tested here is the chunks, and the
 * digest check would double the time of 70 000 fresh transports.
 */
const handshakeBytes = Buffer.from(bytes.subarray(0, fixture.c0c1 + fixture.c2)).fill(0, 5, 9);

/** Feed the handshake, then the reads in order, to a server transport; every message it reports, control included. */
function decodeReads(reads: Buffer[]): { messages: RtmpMessage[]; buffered: number } {
  const messages: RtmpMessage[] = [];
  let onData: (b: Buffer) => void = () => {};
  const stream: ByteStream = {
    write: () => true,
    on: (_event, listener) => (onData = listener),
    pause: () => {},
    resume: () => {},
  };
  const failures: unknown[] = [];
  const t = new RtmpTransport(
    stream,
    { ready: () => {}, control: (m) => messages.push(m), message: (m) => messages.push(m), failed: (err) => failures.push(err) },
    { role: 'server', limits: DEFAULT_LIMITS },
  );
  onData(handshakeBytes);
  for (const r of reads) onData(r);
  if (failures.length > 0) throw failures[0];
  return { messages, buffered: t.unparsed.bytes };
}

/**
 * The handshake and the chunks as an accepted socket gives them with shared
 * reads (app/server/shared-reads.ts): each read lands in one buffer that the
 * next read overwrites, here scribbled over after every read, so a byte the
 * transport kept a view of instead of copying shows up as a changed message.
 * Messages are summed up as they arrive, since a payload is only valid then.
 */
function decodeReusedReads(reads: Buffer[], reference: RtmpMessage[]): { differs: number; count: number; buffered: number; reused: boolean } {
  let count = 0;
  let differs = -1;
  const check = (m: RtmpMessage): void => {
    const r = reference[count];
    if (differs < 0 && (!r || !sameMessage(m, r))) differs = count;
    count++;
  };
  const shared = Buffer.alloc(64 * 1024);
  let onRead: (b: Buffer) => void = () => {};
  const stream: ByteStream = {
    write: () => true,
    on: () => {
      throw new Error("'data' listened to although reads are reused");
    },
    pause: () => {},
    resume: () => {},
  };
  const failures: unknown[] = [];
  const t = new RtmpTransport(
    stream,
    { ready: () => {}, control: check, message: check, failed: (err) => failures.push(err) },
    {
      role: 'server',
      limits: DEFAULT_LIMITS,
      reuseBuffers: true,
      reusedReads: (cb) => {
        onRead = cb;
        return true;
      },
    },
  );
  for (const r of reads) {
    for (let off = 0; off < r.length; off += shared.length) {
      const n = Math.min(shared.length, r.length - off);
      r.copy(shared, 0, off, off + n);
      onRead(shared.subarray(0, n));
      shared.fill(0xee, 0, n);
    }
  }
  if (failures.length > 0) throw failures[0];
  if (count !== reference.length && differs < 0) differs = count;
  return { differs, count, buffered: t.unparsed.bytes, reused: t.readsReused };
}

/** The whole client side, handshake included, as one buffer to cut into reads. */
const session = Buffer.concat([handshakeBytes, chunks]);

function seen(m: RtmpMessage): Seen {
  return {
    typeId: m.typeId,
    csid: m.csid,
    streamId: m.streamId,
    timestamp: m.timestamp,
    length: m.payload.length,
    sha1: createHash('sha1').update(m.payload).digest('hex'),
  };
}

/**
 * Coded frames among the messages, from the FLV tag headers (an independent
 * re-statement, not the engine's parser): H.264 (codec 7) with AVC packet
 * type 1, AAC (sound format 10) with AAC packet type 1. Sequence headers
 * (type 0) and end-of-sequence markers (type 2) are not frames.
 */
function frames(messages: RtmpMessage[]): { video: number; audio: number } {
  let video = 0;
  let audio = 0;
  for (const m of messages) {
    const p = m.payload;
    if (m.typeId === MessageType.Video && p.length >= 2 && (p[0] & 0x0f) === 7 && p[1] === 1) video++;
    if (m.typeId === MessageType.Audio && p.length >= 2 && p[0] >> 4 === 10 && p[1] === 1) audio++;
  }
  return { video, audio };
}

/** Same header fields and payload bytes. */
function sameMessage(a: RtmpMessage, b: RtmpMessage): boolean {
  return a.typeId === b.typeId && a.csid === b.csid && a.streamId === b.streamId && a.timestamp === b.timestamp && a.payload.equals(b.payload);
}

/** Index of the first message that differs from the reference (payload bytes compared), or -1. */
function firstDifference(got: RtmpMessage[], want: RtmpMessage[]): number {
  const n = Math.max(got.length, want.length);
  for (let i = 0; i < n; i++) {
    const a = got[i];
    const b = want[i];
    if (!a || !b) return i;
    if (!sameMessage(a, b)) return i;
  }
  return -1;
}

describe(`${NAME}: the fixture`, () => {
  it('is the capture its JSON describes', () => {
    expect(bytes.length).toBe(fixture.bytes);
    expect(createHash('sha256').update(bytes).digest('hex')).toBe(fixture.sha256);
    expect(bytes[0]).toBe(3); // C0: RTMP version 3
  });

  it('ffmpeg and ffprobe agree on what was sent', () => {
    expect(fixture.ffprobe.videoPackets).toBe(fixture.ffmpegFrames);
    expect(fixture.ffmpegFrames).toBeGreaterThan(0);
    expect(fixture.ffprobe.audioPackets).toBeGreaterThan(0);
  });
});

describe(`${NAME}: the server transport under every segmentation`, () => {
  let reference: RtmpMessage[];
  let referenceSeen: Seen[];

  beforeAll(() => {
    const whole = decodeReads([chunks]);
    reference = whole.messages;
    referenceSeen = reference.map(seen);
    expect(whole.buffered).toBe(0);
  });

  it('whole: every byte parses into the session ffmpeg sent', () => {
    const commands = reference.filter((m) => m.typeId === MessageType.CommandAmf0).map((m) => m.payload.subarray(3, 3 + m.payload.readUInt16BE(1)).toString());
    expect(commands).toEqual(['connect', 'releaseStream', 'FCPublish', 'createStream', 'publish', 'FCUnpublish', 'deleteStream']);
    expect(reference.filter((m) => m.typeId === MessageType.SetChunkSize)).toHaveLength(1);
  });

  it("whole: the frames are ffmpeg's frame= and ffprobe's packet counts", () => {
    expect(frames(reference)).toEqual({ video: fixture.ffmpegFrames, audio: fixture.ffprobe.audioPackets });
  });

  it('one byte per push: identical messages and frames', () => {
    const { messages, buffered } = decodeReads(pieces(chunks, everyByte(chunks.length)));
    expect(buffered).toBe(0);
    expect(messages.map(seen)).toEqual(referenceSeen);
    expect(frames(messages)).toEqual({ video: fixture.ffmpegFrames, audio: fixture.ffprobe.audioPackets });
  });

  it.each(SEEDS)('200 random cuts, seed %i: identical messages and frames', (seed) => {
    const { messages, buffered } = decodeReads(pieces(chunks, randomCuts(chunks.length, 200, seed)));
    expect(buffered).toBe(0);
    expect(messages.map(seen)).toEqual(referenceSeen);
    expect(frames(messages)).toEqual({ video: fixture.ffmpegFrames, audio: fixture.ffprobe.audioPackets });
  });

  it.each(SEEDS)('reads of random sizes 1..64 KiB as a socket gives them, seed %i', (seed) => {
    const { messages, buffered } = decodeReads(pieces(chunks, socketSizedCuts(chunks.length, 100 + seed)));
    expect(buffered).toBe(0);
    expect(messages.map(seen)).toEqual(referenceSeen);
  });

  // Two pushes, cut at each offset in turn. Over the whole capture (every
  // header and payload boundary of the connect, the Set Chunk Size switch and
  // the media): payloads are compared byte for byte, headers field by field.
  it('split at every single offset (two pushes): identical messages', () => {
    const failures: string[] = [];
    for (let at = 1; at < chunks.length; at++) {
      const { messages, buffered } = decodeReads([chunks.subarray(0, at), chunks.subarray(at)]);
      const i = firstDifference(messages, reference);
      if (i >= 0 || buffered !== 0) failures.push(`split at ${at}: message ${i} differs, ${buffered} bytes left`);
      if (failures.length >= 10) break;
    }
    expect(failures).toEqual([]);
  });
});

describe(`${NAME}: the server transport with reads into one reused buffer`, () => {
  let reference: RtmpMessage[];
  const same = { differs: -1, buffered: 0 };

  beforeAll(() => {
    reference = decodeReads([chunks]).messages;
  });

  it('whole, in 64 KiB reads: the same messages, nothing left over, no data events', () => {
    const got = decodeReusedReads([session], reference);
    expect(got.reused).toBe(true);
    expect(got.count).toBe(reference.length);
    expect(got).toMatchObject(same);
  });

  it('one byte per read, handshake included: identical messages', () => {
    expect(decodeReusedReads(pieces(session, everyByte(session.length)), reference)).toMatchObject(same);
  });

  it.each(SEEDS)('200 random cuts through handshake and chunks, seed %i: identical messages', (seed) => {
    expect(decodeReusedReads(pieces(session, randomCuts(session.length, 200, seed)), reference)).toMatchObject(same);
  });

  it.each(SEEDS)('reads of random sizes 1..64 KiB, seed %i: identical messages', (seed) => {
    expect(decodeReusedReads(pieces(session, socketSizedCuts(session.length, 200 + seed)), reference)).toMatchObject(same);
  });

  it('split at every single offset (two reads): identical messages', () => {
    const failures: string[] = [];
    for (let at = 1; at < session.length; at++) {
      const got = decodeReusedReads([session.subarray(0, at), session.subarray(at)], reference);
      if (got.differs >= 0 || got.buffered !== 0) failures.push(`split at ${at}: message ${got.differs} differs, ${got.buffered} bytes left`);
      if (failures.length >= 10) break;
    }
    expect(failures).toEqual([]);
  });
});

// ---------------------------------------------------------------------------
// The full engine over a real TCP socket: handshake, connection, session,
// live stream, frame capture.

interface Run {
  stats: StreamStats;
  steps: string[];
  incoming: string[];
  closes: { by: string; reason: string; error?: { code: string } }[];
}

let engine: Engine | null = null;

afterEach(async () => {
  await engine?.stop();
  engine = null;
});

/**
 * Write each read and let the event loop pass its poll phase before the next
 * one, so that the receiving socket (in this same process) reads it on its
 * own. Awaiting the write callback alone is not enough: it fires before the
 * loop polls, and 70 000 one-byte writes then arrive as two reads.
 */
async function writePaced(socket: net.Socket, reads: Buffer[]): Promise<void> {
  for (const r of reads) {
    await new Promise<void>((resolve, reject) => socket.write(r, (err) => (err ? reject(err) : resolve())));
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Write the reads to a fresh engine, each one flushed before the next; resolve with the stream's final stats. */
async function replay(reads: Buffer[]): Promise<Run> {
  engine = new Engine({ port: 0 });
  const e = engine;
  const { port } = await e.start();
  const steps: string[] = [];
  const incoming: string[] = [];
  const closes: Run['closes'] = [];
  e.on('step', (s: ProtocolStep) => steps.push(`${s.id} ${s.state}${s.reply ? ` → ${s.reply}` : ''}`));
  e.on('message', (m: TimelineEntry) => {
    if (m.direction === 'in') incoming.push(`${m.typeId} ${m.csid} ${m.streamId} ${m.timestamp} ${m.length}`);
  });
  e.on('connection-close', (c) => closes.push({ by: c.by, reason: c.reason, error: c.error }));
  let last: StreamStats | null = null;
  e.on('stream-stats', (s) => {
    if (s.path === 'live/fixture') last = s;
  });
  const ended = new Promise<void>((resolve) => e.on('stream-end', (s) => s.path === 'live/fixture' && resolve()));
  const closed = new Promise<void>((resolve) => e.on('connection-close', () => resolve()));

  const socket = net.connect(port, '127.0.0.1');
  socket.setNoDelay(true);
  socket.on('data', () => {}); // S0S1S2 and the replies: read and dropped
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', resolve);
    socket.once('error', reject);
  });
  await writePaced(socket, reads);
  await ended;
  socket.end();
  await closed;
  socket.destroy();
  expect(last).not.toBeNull();
  return { stats: last!, steps, incoming, closes };
}

/** What ffmpeg sent, at 100 % capture. */
function expectAllFrames(s: StreamStats): void {
  expect(s.video).toMatchObject({ received: fixture.ffmpegFrames, expected: fixture.ffmpegFrames, capturePercent: 100 });
  expect(s.audio).toMatchObject({ received: fixture.ffprobe.audioPackets, expected: fixture.ffprobe.audioPackets, capturePercent: 100 });
}

describe(`${NAME}: the full engine over TCP`, () => {
  it('(the harness) paced writes reach a server as one read each', async () => {
    let reads = 0;
    const server = net.createServer((s) => s.on('data', () => reads++));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const socket = net.connect((server.address() as net.AddressInfo).port, '127.0.0.1');
    socket.setNoDelay(true);
    await new Promise((resolve) => socket.once('connect', resolve));
    await writePaced(socket, pieces(bytes.subarray(0, 4000), everyByte(4000)));
    await new Promise((resolve) => setTimeout(resolve, 50));
    socket.destroy();
    await new Promise((resolve) => server.close(resolve));
    // Allow the odd coalesced pair on a loaded machine.
    expect(reads).toBeGreaterThan(3900);
  });

  let whole: Run;

  beforeAll(async () => {
    whole = await replay([bytes]);
    await engine?.stop();
    engine = null;
  });

  it("one write: every frame ffmpeg sent, 100 % capture, the publisher's own steps", () => {
    expectAllFrames(whole.stats);
    expect(whole.steps).toEqual(
      expect.arrayContaining([
        'handshake answered → S0/S1/S2 sent, C2 received',
        'set-chunk-size received',
        'publish answered → Stream Begin, onStatus NetStream.Publish.Start',
        'first-keyframe received',
        'unpublish received',
      ]),
    );
    expect(whole.steps.filter((s) => s.includes('failed'))).toEqual([]);
    expect(whole.closes).toEqual([{ by: 'client', reason: 'client closed the connection', error: undefined }]);
  });

  it('one byte per write (TCP_NODELAY, each byte read on its own): the same messages, steps and frames', async () => {
    const run = await replay(pieces(bytes, everyByte(bytes.length)));
    expectAllFrames(run.stats);
    expect(run.incoming).toEqual(whole.incoming);
    expect(run.steps).toEqual(whole.steps);
    expect(run.closes).toEqual(whole.closes);
  });

  it.each([1, 2])('200 random cuts, seed %i: the same messages, steps and frames', async (seed) => {
    const run = await replay(pieces(bytes, randomCuts(bytes.length, 200, seed)));
    expectAllFrames(run.stats);
    expect(run.incoming).toEqual(whole.incoming);
    expect(run.steps).toEqual(whole.steps);
  });

  it('cut inside C0C1, at C0C1|C2, inside C2 and at C2|chunks', async () => {
    const run = await replay(pieces(bytes, [1, 700, 1537, 2000, 3073, 3074]));
    expectAllFrames(run.stats);
    expect(run.incoming).toEqual(whole.incoming);
  });
});
