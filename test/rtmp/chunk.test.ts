import { describe, expect, it } from 'vitest';
import { ErrorCode, RtmpError } from '../../app/errors.js';
import { type ChunkLimits, ChunkDecoder, DEFAULT_CHUNK_LIMITS } from '../../app/rtmp/chunk-decoder.js';
import { ChunkEncoder } from '../../app/rtmp/chunk-encoder.js';
import { decodeSetChunkSize } from '../../app/rtmp/control.js';
import { MessageType, type RtmpMessage } from '../../app/rtmp/message-types.js';
import { prng } from '../support/prng.js';

// ---------------------------------------------------------------------------
// Helpers. A message is written with its payload in hex so that a case reads
// like the wire dump it was taken from.

/** A message as the tables write it: payload in hex. */
interface Msg {
  csid: number;
  typeId: number;
  streamId: number;
  timestamp: number;
  payload: string;
}

const hex = (s: string): Buffer => Buffer.from(s.replace(/\s+/g, ''), 'hex');

/** `n` bytes of a recognisable pattern, as hex (no byte repeats within 256). */
function pat(n: number, seed = 1): string {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (seed * 37 + i * 7 + 1) & 0xff;
  return b.toString('hex');
}

/** Bytes `from`..`to` of a hex string. */
const cut = (h: string, from: number, to: number): string => h.slice(from * 2, to * 2);

const msg = (csid: number, typeId: number, streamId: number, timestamp: number, payload: string): Msg => ({
  csid,
  typeId,
  streamId,
  timestamp,
  payload: payload.replace(/\s+/g, ''),
});

const toMsg = (m: RtmpMessage): Msg => ({ csid: m.csid, typeId: m.typeId, streamId: m.streamId, timestamp: m.timestamp, payload: m.payload.toString('hex') });
const toRtmp = (m: Msg): RtmpMessage => ({ csid: m.csid, typeId: m.typeId, streamId: m.streamId, timestamp: m.timestamp, payload: hex(m.payload) });

/**
 * Decode `bytes` pushed in the given pieces, wiring Set Chunk Size and Abort
 * back into the decoder from onMessage, as RtmpTransport (rtmp/transport.ts) does.
 */
function decode(bytes: Buffer, chunkSize: number, pieces: number[] = [], limits?: ChunkLimits): { messages: Msg[]; buffered: number } {
  const messages: Msg[] = [];
  const d = new ChunkDecoder((m) => {
    if (m.typeId === MessageType.SetChunkSize) d.setChunkSize(decodeSetChunkSize(m.payload));
    if (m.typeId === MessageType.Abort) d.abort(m.payload.readUInt32BE(0));
    messages.push(toMsg(m));
  }, limits);
  d.setChunkSize(chunkSize);
  let off = 0;
  for (const n of pieces) {
    d.push(bytes.subarray(off, off + n));
    off += n;
  }
  d.push(bytes.subarray(off));
  return { messages, buffered: d.buffered };
}

/** Encode messages, applying our own Set Chunk Size after sending it, as RtmpTransport.send does. */
function encode(messages: Msg[], chunkSize: number): Buffer {
  const e = new ChunkEncoder();
  e.setChunkSize(chunkSize);
  return Buffer.concat(
    messages.map((m) => {
      const out = e.encode(toRtmp(m));
      if (m.typeId === MessageType.SetChunkSize) e.setChunkSize(decodeSetChunkSize(hex(m.payload)));
      return out;
    }),
  );
}

const ones = (n: number): number[] => Array.from({ length: n }, () => 1);

// ---------------------------------------------------------------------------
// The table: each case is one wire dump and the messages it carries.

interface Case {
  name: string;
  /** The peer's chunk size when the bytes start. */
  chunkSize: number;
  bytes: string;
  messages: Msg[];
  /**
   * Whether ChunkEncoder writes exactly `bytes` for `messages`. False for
   * forms a client may send but our encoder never chooses (interleaving,
   * omitted extended timestamps, wrapping deltas, an aborted message).
   */
  encodes: boolean;
}

const V200 = pat(200, 6);
const V300 = pat(300, 9);
const V130 = pat(130, 3);
const V100 = pat(100, 4);

const cases: Case[] = [
  // 5.3.1.1 Chunk Basic Header: 1 byte for csid 2-63, 2 bytes for 64-319, 3 bytes for 64-65599.
  {
    name: 'basic header 1 byte: csid 2 (lowest)',
    chunkSize: 128,
    bytes: '02 000000 000004 03 00000000 00001000',
    messages: [msg(2, 3, 0, 0, '00001000')],
    encodes: true,
  },
  {
    name: 'basic header 1 byte: csid 63 (highest)',
    chunkSize: 128,
    bytes: '3f 000010 000003 08 01000000 aabbcc',
    messages: [msg(63, 8, 1, 16, 'aabbcc')],
    encodes: true,
  },
  {
    name: 'basic header 2 bytes: csid 64 (lowest)',
    chunkSize: 128,
    bytes: '00 00 000010 000003 08 01000000 aabbcc',
    messages: [msg(64, 8, 1, 16, 'aabbcc')],
    encodes: true,
  },
  {
    name: 'basic header 2 bytes: csid 319 (highest)',
    chunkSize: 128,
    bytes: '00 ff 000010 000003 08 01000000 aabbcc',
    messages: [msg(319, 8, 1, 16, 'aabbcc')],
    encodes: true,
  },
  {
    name: 'basic header 3 bytes: csid 320 (64 + 0x00 + 0x01 * 256)',
    chunkSize: 128,
    bytes: '01 00 01 000010 000003 08 01000000 aabbcc',
    messages: [msg(320, 8, 1, 16, 'aabbcc')],
    encodes: true,
  },
  {
    name: 'basic header 3 bytes: csid 65599 (highest)',
    chunkSize: 128,
    bytes: '01 ff ff 000010 000003 08 01000000 aabbcc',
    messages: [msg(65599, 8, 1, 16, 'aabbcc')],
    encodes: true,
  },
  {
    name: 'continuation chunks repeat the 2-byte basic header (csid 300)',
    chunkSize: 128,
    bytes: `00 ec 000000 000082 09 01000000 ${cut(V130, 0, 128)} c0 ec ${cut(V130, 128, 130)}`,
    messages: [msg(300, 9, 1, 0, V130)],
    encodes: true,
  },
  {
    name: 'continuation chunks repeat the 3-byte basic header (csid 65599)',
    chunkSize: 128,
    bytes: `01 ffff 000000 000082 09 01000000 ${cut(V130, 0, 128)} c1 ffff ${cut(V130, 128, 130)}`,
    messages: [msg(65599, 9, 1, 0, V130)],
    encodes: true,
  },
  {
    name: 'message stream id is little-endian',
    chunkSize: 128,
    bytes: '08 000000 000001 14 04030201 05',
    messages: [msg(8, 20, 0x01020304, 0, '05')],
    encodes: true,
  },

  // 5.3.1.2 Chunk Message Header, formats 0 to 3.
  {
    name: 'formats 0, 1, 2, 3 on one chunk stream',
    chunkSize: 128,
    bytes: `
      04 0003e8 000002 08 01000000 aaaa
      44 000014 000003 08 bbbbbb
      84 00001e cccccc
      c4 dddddd`,
    messages: [msg(4, 8, 1, 1000, 'aaaa'), msg(4, 8, 1, 1020, 'bbbbbb'), msg(4, 8, 1, 1050, 'cccccc'), msg(4, 8, 1, 1080, 'dddddd')],
    encodes: true,
  },
  {
    name: 'fmt 1 changes the type; fmt 2 keeps length and type',
    chunkSize: 128,
    bytes: `
      05 000000 000001 12 01000000 01
      45 00000a 000002 09 0202
      85 00000a 0303`,
    messages: [msg(5, 18, 1, 0, '01'), msg(5, 9, 1, 10, '0202'), msg(5, 9, 1, 20, '0303')],
    encodes: false, // the third message repeats the delta: our encoder picks fmt 3
  },
  {
    name: 'message over three chunks: fmt 0 then fmt 3 continuations',
    chunkSize: 128,
    bytes: `06 000000 00012c 09 01000000 ${cut(V300, 0, 128)} c6 ${cut(V300, 128, 256)} c6 ${cut(V300, 256, 300)}`,
    messages: [msg(6, 9, 1, 0, V300)],
    encodes: true,
  },
  {
    name: 'message of exactly one chunk size needs no continuation',
    chunkSize: 128,
    bytes: `06 000000 000080 09 01000000 ${cut(V200, 0, 128)}`,
    messages: [msg(6, 9, 1, 0, cut(V200, 0, 128))],
    encodes: true,
  },

  // 5.3.1.3 Extended Timestamp.
  {
    name: 'extended timestamp on fmt 0',
    chunkSize: 128,
    bytes: '04 ffffff 000002 08 01000000 01000000 aaaa',
    messages: [msg(4, 8, 1, 0x01000000, 'aaaa')],
    encodes: true,
  },
  {
    name: 'timestamp 0xffffff itself goes in the extended field',
    chunkSize: 128,
    bytes: '04 ffffff 000002 08 01000000 00ffffff aaaa',
    messages: [msg(4, 8, 1, 0xffffff, 'aaaa')],
    encodes: true,
  },
  {
    name: 'timestamp 0xfffffe still fits the 24-bit field',
    chunkSize: 128,
    bytes: '04 fffffe 000002 08 01000000 aaaa',
    messages: [msg(4, 8, 1, 0xfffffe, 'aaaa')],
    encodes: true,
  },
  {
    name: 'extended timestamp on fmt 0, repeated on the fmt 3 continuation (ffmpeg, FMS, nginx-rtmp)',
    chunkSize: 128,
    bytes: `06 ffffff 0000c8 09 01000000 01020304 ${cut(V200, 0, 128)} c6 01020304 ${cut(V200, 128, 200)}`,
    messages: [msg(6, 9, 1, 0x01020304, V200)],
    encodes: true,
  },
  {
    name: 'extended timestamp on fmt 0, absent on the fmt 3 continuation (spec-literal clients)',
    chunkSize: 128,
    bytes: `06 ffffff 0000c8 09 01000000 01020304 ${cut(V200, 0, 128)} c6 ${cut(V200, 128, 200)}`,
    messages: [msg(6, 9, 1, 0x01020304, V200)],
    encodes: false,
  },
  {
    name: 'extended deltas on fmt 1, fmt 2 and a fmt 3 new message',
    chunkSize: 128,
    bytes: `
      04 0003e8 000002 08 01000000 aaaa
      44 ffffff 000003 08 01000000 bbbbbb
      84 ffffff 01000001 cccccc
      c4 01000001 dddddd`,
    messages: [
      msg(4, 8, 1, 1000, 'aaaa'),
      msg(4, 8, 1, 1000 + 0x01000000, 'bbbbbb'),
      msg(4, 8, 1, 1000 + 0x01000000 + 0x01000001, 'cccccc'),
      msg(4, 8, 1, 1000 + 0x01000000 + 2 * 0x01000001, 'dddddd'),
    ],
    encodes: true,
  },
  {
    name: 'extended delta on fmt 1 over two chunks, repeated on the continuation',
    chunkSize: 128,
    bytes: `
      06 000000 000002 09 01000000 aaaa
      46 ffffff 0000c8 09 01000000 ${cut(V200, 0, 128)} c6 01000000 ${cut(V200, 128, 200)}`,
    messages: [msg(6, 9, 1, 0, 'aaaa'), msg(6, 9, 1, 0x01000000, V200)],
    encodes: true,
  },
  {
    name: 'extended delta on fmt 1 over two chunks, absent on the continuation',
    chunkSize: 128,
    bytes: `
      06 000000 000002 09 01000000 aaaa
      46 ffffff 0000c8 09 01000000 ${cut(V200, 0, 128)} c6 ${cut(V200, 128, 200)}`,
    messages: [msg(6, 9, 1, 0, 'aaaa'), msg(6, 9, 1, 0x01000000, V200)],
    encodes: false,
  },
  {
    name: 'extended delta on fmt 2, absent on a fmt 3 new message',
    chunkSize: 128,
    bytes: `
      04 000000 000004 08 01000000 aaaaaaaa
      84 ffffff 01000000 bbbbbbbb
      c4 cccccccc`,
    messages: [msg(4, 8, 1, 0, 'aaaaaaaa'), msg(4, 8, 1, 0x01000000, 'bbbbbbbb'), msg(4, 8, 1, 0x02000000, 'cccccccc')],
    encodes: false,
  },

  // 5.3.1.2.4: "If a Type 3 chunk follows a Type 0 chunk, then the timestamp delta for this Type 3 chunk is the same as the timestamp of the Type 0 chunk."
  {
    name: 'fmt 3 new message after fmt 0: the delta is the fmt 0 timestamp',
    chunkSize: 128,
    bytes: '04 000028 000002 08 01000000 aaaa c4 bbbb c4 cccc',
    messages: [msg(4, 8, 1, 40, 'aaaa'), msg(4, 8, 1, 80, 'bbbb'), msg(4, 8, 1, 120, 'cccc')],
    encodes: true,
  },
  {
    name: 'fmt 3 new message after fmt 2 repeats the fmt 2 delta',
    chunkSize: 128,
    bytes: '04 000064 000002 08 01000000 aaaa 84 00000a bbbb c4 cccc c4 dddd',
    messages: [msg(4, 8, 1, 100, 'aaaa'), msg(4, 8, 1, 110, 'bbbb'), msg(4, 8, 1, 120, 'cccc'), msg(4, 8, 1, 130, 'dddd')],
    encodes: true,
  },
  {
    name: 'fmt 3 new message spanning chunks',
    chunkSize: 128,
    bytes: `06 000000 0000c8 09 01000000 ${cut(V200, 0, 128)} c6 ${cut(V200, 128, 200)} c6 ${cut(V200, 0, 128)} c6 ${cut(V200, 128, 200)}`,
    messages: [msg(6, 9, 1, 0, V200), msg(6, 9, 1, 0, V200)],
    encodes: true,
  },

  // 5.3.2.2 / 5.3.2.3: chunk streams interleave.
  {
    name: 'interleaved: an audio message between two chunks of a video message',
    chunkSize: 128,
    bytes: `
      06 000000 0000c8 09 01000000 ${cut(V200, 0, 128)}
      04 000000 000003 08 01000000 a1a2a3
      c6 ${cut(V200, 128, 200)}`,
    messages: [msg(4, 8, 1, 0, 'a1a2a3'), msg(6, 9, 1, 0, V200)],
    encodes: false,
  },
  {
    name: 'interleaved: audio fmt 0 and fmt 3 messages between three chunks of a video message',
    chunkSize: 128,
    bytes: `
      06 000000 00012c 09 01000000 ${cut(V300, 0, 128)}
      04 000014 000003 08 01000000 a1a2a3
      c6 ${cut(V300, 128, 256)}
      c4 b1b2b3
      c6 ${cut(V300, 256, 300)}`,
    messages: [msg(4, 8, 1, 20, 'a1a2a3'), msg(4, 8, 1, 40, 'b1b2b3'), msg(6, 9, 1, 0, V300)],
    encodes: false,
  },

  {
    name: 'message length 0, then a fmt 3 empty message, then fmt 1',
    chunkSize: 128,
    bytes: '04 000000 000000 12 01000000 c4 44 000014 000002 08 aaaa',
    messages: [msg(4, 18, 1, 0, ''), msg(4, 18, 1, 0, ''), msg(4, 8, 1, 20, 'aaaa')],
    encodes: true,
  },
  {
    name: '32-bit timestamp wrap: a delta past 2^32 wraps to a small timestamp',
    chunkSize: 128,
    bytes: '04 ffffff 000002 08 01000000 fffffff0 aaaa 84 000020 bbbb c4 cccc',
    messages: [msg(4, 8, 1, 0xfffffff0, 'aaaa'), msg(4, 8, 1, 0x10, 'bbbb'), msg(4, 8, 1, 0x30, 'cccc')],
    encodes: false, // our encoder sends a wrapped (smaller) timestamp as fmt 0
  },

  // 5.4.1 Set Chunk Size: applied by the caller from onMessage, before the next chunk is read.
  {
    name: 'Set Chunk Size up then down between messages',
    chunkSize: 128,
    bytes: `
      02 000000 000004 01 00000000 00000100
      06 000000 0000c8 09 01000000 ${V200}
      c2 00000040
      46 000000 000064 09 ${cut(V100, 0, 64)} c6 ${cut(V100, 64, 100)}`,
    messages: [msg(2, 1, 0, 0, '00000100'), msg(6, 9, 1, 0, V200), msg(2, 1, 0, 0, '00000040'), msg(6, 9, 1, 0, V100)],
    encodes: true,
  },
  {
    name: 'Set Chunk Size while a message is in progress on another chunk stream',
    chunkSize: 128,
    bytes: `
      06 000000 00012c 09 01000000 ${cut(V300, 0, 128)}
      02 000000 000004 01 00000000 00001000
      c6 ${cut(V300, 128, 300)}`,
    messages: [msg(2, 1, 0, 0, '00001000'), msg(6, 9, 1, 0, V300)],
    encodes: false,
  },
  {
    name: 'chunk size 1: every payload byte in its own chunk',
    chunkSize: 1,
    bytes: '04 000000 000003 08 01000000 aa c4 bb c4 cc',
    messages: [msg(4, 8, 1, 0, 'aabbcc')],
    encodes: true,
  },

  // 5.4.2 Abort Message.
  {
    name: 'Abort discards the partial message; its chunk stream then starts afresh',
    chunkSize: 128,
    bytes: `
      06 000000 0000c8 09 01000000 ${cut(V200, 0, 128)}
      02 000000 000004 02 00000000 00000006
      06 000064 000002 09 01000000 aaaa`,
    messages: [msg(2, 2, 0, 0, '00000006'), msg(6, 9, 1, 100, 'aaaa')],
    encodes: false,
  },
  {
    name: 'Abort of a chunk stream with nothing in progress changes nothing',
    chunkSize: 128,
    bytes: `
      06 000064 000002 09 01000000 aaaa
      02 000000 000004 02 00000000 00000006
      c6 bbbb`,
    messages: [msg(6, 9, 1, 100, 'aaaa'), msg(2, 2, 0, 0, '00000006'), msg(6, 9, 1, 200, 'bbbb')],
    encodes: false,
  },
];

describe('chunk cases', () => {
  describe.each(cases)('$name', ({ chunkSize, bytes, messages }) => {
    const wire = hex(bytes);

    it('decodes whole', () => {
      expect(decode(wire, chunkSize)).toEqual({ messages, buffered: 0 });
    });

    it('decodes one byte per push', () => {
      expect(decode(wire, chunkSize, ones(wire.length - 1))).toEqual({ messages, buffered: 0 });
    });

    it('decodes split at every offset', () => {
      for (let at = 0; at <= wire.length; at++) {
        expect(decode(wire, chunkSize, [at]), `split at ${at}`).toEqual({ messages, buffered: 0 });
      }
    });

    it('round trips through the encoder', () => {
      expect(decode(encode(messages, chunkSize), chunkSize)).toEqual({ messages, buffered: 0 });
    });
  });
});

describe('chunk cases our encoder writes', () => {
  it.each(cases.filter((c) => c.encodes))('$name: encodes to the same bytes', ({ chunkSize, bytes, messages }) => {
    expect(encode(messages, chunkSize).toString('hex')).toBe(hex(bytes).toString('hex'));
  });
});

describe('incomplete input', () => {
  it('emits nothing until a header and its payload are complete, and says what it holds', () => {
    const wire = hex(`06 000000 0000c8 09 01000000 ${cut(V200, 0, 128)} c6 ${cut(V200, 128, 200)}`);
    const got: RtmpMessage[] = [];
    const d = new ChunkDecoder((m) => got.push(m));
    d.push(wire.subarray(0, 5));
    expect(d.buffered).toBe(5);
    d.push(wire.subarray(5, 12 + 100));
    expect(got).toHaveLength(0);
    d.push(wire.subarray(112, wire.length - 1));
    expect(got).toHaveLength(0);
    d.push(wire.subarray(wire.length - 1));
    expect(got.map(toMsg)).toEqual([msg(6, 9, 1, 0, V200)]);
    expect(d.buffered).toBe(0);
  });

  // The decoder tells "extended timestamp repeated" from "omitted" by peeking
  // 4 bytes; a last continuation shorter than that therefore waits for the
  // next bytes before its message is emitted. Nothing is lost: it completes
  // as soon as anything follows.
  it('an omitted extended timestamp before a short last chunk: the message completes once the next chunk arrives', () => {
    const P = pat(130, 2);
    const wire = hex(`06 ffffff 000082 09 01000000 01020304 ${cut(P, 0, 128)} c6 ${cut(P, 128, 130)}`);
    const next = hex('04 000000 000001 08 01000000 aa');
    const got: Msg[] = [];
    const d = new ChunkDecoder((m) => got.push(toMsg(m)));
    d.push(wire);
    d.push(next);
    expect(got).toEqual([msg(6, 9, 1, 0x01020304, P), msg(4, 8, 1, 0, 'aa')]);
  });

  // BUG (app/rtmp/chunk-decoder.ts abort(), lines 89-92): when abort() is
  // called between pushes while a chunk's header is consumed and its payload
  // is still incomplete (`pending === cs`), it sets `pending = null`, so the
  // rest of that chunk's payload is parsed as chunk headers instead of being
  // skipped as the comment says ("chunk stream 21 starts with a format 1
  // header"). Not reachable through rtmp/transport.ts, which only calls
  // abort() from onMessage, where `pending` is always null: a latent bug of
  // the public method. Dropping `this.pending = null` and letting readPayload
  // skip the bytes (with a flag for the single-chunk case) would fix it.
  it('abort() while a chunk payload is pending skips the rest of that payload', () => {
    const got: Msg[] = [];
    const d = new ChunkDecoder((m) => got.push(toMsg(m)));
    const wire = hex(`06 000000 0000c8 09 01000000 ${cut(V200, 0, 128)} 04 000000 000001 08 01000000 aa`);
    d.push(wire.subarray(0, 12 + 50)); // header + 50 of the chunk's 128 payload bytes
    d.abort(6);
    d.push(wire.subarray(12 + 50));
    expect(got).toEqual([msg(4, 8, 1, 0, 'aa')]);
  });

  it('the chunk size in force is reported', () => {
    const d = new ChunkDecoder(() => {});
    expect(d.incomingChunkSize).toBe(128);
    d.setChunkSize(4096);
    expect(d.incomingChunkSize).toBe(4096);
  });
});

// ---------------------------------------------------------------------------
// Errors: each is an RtmpError with the code the UI shows.

interface ErrorCase {
  name: string;
  bytes: string;
  limits?: Partial<ChunkLimits>;
  code: ErrorCode;
}

const P128 = pat(128, 5);

const errorCases: ErrorCase[] = [
  { name: 'fmt 1 on a fresh chunk stream', bytes: '44 000014 000003 08 bbbbbb', code: ErrorCode.ChunkHeader },
  { name: 'fmt 2 on a fresh chunk stream', bytes: '84 000014 bbbbbb', code: ErrorCode.ChunkHeader },
  { name: 'fmt 3 on a fresh chunk stream', bytes: 'c4 bbbbbb', code: ErrorCode.ChunkHeader },
  { name: 'fmt 1 on a fresh chunk stream after another stream was set up', bytes: '04 000000 000001 08 01000000 aa 45 000000 000001 08 bb', code: ErrorCode.ChunkHeader },
  {
    name: 'fmt 0 on a chunk stream whose message is still incomplete (no Abort)',
    bytes: `06 000000 0000c8 09 01000000 ${P128} 06 000000 000002 09 01000000 aaaa`,
    code: ErrorCode.ChunkHeader,
  },
  {
    name: 'fmt 1 on a chunk stream whose message is still incomplete',
    bytes: `06 000000 0000c8 09 01000000 ${P128} 46 000000 000002 09 aaaa`,
    code: ErrorCode.ChunkHeader,
  },
  {
    name: 'message length above limits.maxMessageLength (fmt 0), raised on the header alone',
    bytes: '06 000000 0003e9 09 01000000',
    limits: { maxMessageLength: 1000 },
    code: ErrorCode.MessageTooLarge,
  },
  {
    name: 'message length above limits.maxMessageLength (fmt 1)',
    bytes: '06 000000 000001 09 01000000 aa 46 000000 0003e9 09',
    limits: { maxMessageLength: 1000 },
    code: ErrorCode.MessageTooLarge,
  },
  {
    name: 'message length above the default limit (8 MiB + 1)',
    bytes: '06 000000 800001 09 01000000',
    code: ErrorCode.MessageTooLarge,
  },
  {
    name: 'too many chunk streams with a partial message',
    bytes: `
      04 000000 0000c8 09 01000000 ${P128}
      05 000000 0000c8 09 01000000 ${P128}
      06 000000 0000c8 09 01000000 ${P128}`,
    limits: { maxPartialStreams: 2 },
    code: ErrorCode.TooManyChunkStreams,
  },
  {
    name: 'partial messages above limits.maxPartialBytes',
    bytes: `
      04 000000 00012c 09 01000000 ${P128}
      05 000000 00012c 09 01000000`,
    limits: { maxPartialBytes: 500 },
    code: ErrorCode.BufferOverflow,
  },
];

/** The error `push` raised for these bytes, pushed in these pieces. */
function decodeError(bytes: Buffer, limits: ChunkLimits, pieces: number[]): unknown {
  try {
    decode(bytes, 128, pieces, limits);
  } catch (err) {
    return err;
  }
  return null;
}

describe('chunk errors', () => {
  describe.each(errorCases)('$name', ({ bytes, limits, code }) => {
    const wire = hex(bytes);
    const l = { ...DEFAULT_CHUNK_LIMITS, ...limits };

    it(`throws RtmpError '${code}', whole and split at every offset`, () => {
      for (let at = 0; at <= wire.length; at++) {
        const err = decodeError(wire, l, [at]);
        expect(err, `split at ${at}`).toBeInstanceOf(RtmpError);
        expect((err as RtmpError).code, `split at ${at}: ${(err as Error).message}`).toBe(code);
      }
    });

    it('throws also one byte per push', () => {
      expect((decodeError(wire, l, ones(wire.length - 1)) as RtmpError).code).toBe(code);
    });
  });

  it('a message of exactly maxMessageLength is accepted', () => {
    const P = pat(1000, 8);
    const wire = encode([msg(6, 9, 1, 0, P)], 128);
    expect(decode(wire, 128, [], { ...DEFAULT_CHUNK_LIMITS, maxMessageLength: 1000 }).messages).toEqual([msg(6, 9, 1, 0, P)]);
  });

  it('completed and single-chunk messages do not count against the partial limits', () => {
    const limits = { ...DEFAULT_CHUNK_LIMITS, maxPartialStreams: 1, maxPartialBytes: 300 };
    const V = pat(300, 1);
    // One multi-chunk message after another on different chunk streams, single-chunk ones interleaved.
    const wire = hex(`
      04 000000 00012c 09 01000000 ${cut(V, 0, 128)}
      08 000000 000002 08 01000000 aaaa
      c4 ${cut(V, 128, 256)} c4 ${cut(V, 256, 300)}
      05 000000 00012c 09 01000000 ${cut(V, 0, 128)} c5 ${cut(V, 128, 256)} c5 ${cut(V, 256, 300)}`);
    expect(decode(wire, 128, [], limits).messages).toEqual([msg(8, 8, 1, 0, 'aaaa'), msg(4, 9, 1, 0, V), msg(5, 9, 1, 0, V)]);
  });

  it('an aborted message gives its partial allowance back', () => {
    const limits = { ...DEFAULT_CHUNK_LIMITS, maxPartialStreams: 1 };
    const wire = hex(`
      06 000000 0000c8 09 01000000 ${cut(V200, 0, 128)}
      02 000000 000004 02 00000000 00000006
      04 000000 0000c8 09 01000000 ${cut(V200, 0, 128)} c4 ${cut(V200, 128, 200)}`);
    expect(decode(wire, 128, [], limits).messages).toEqual([msg(2, 2, 0, 0, '00000006'), msg(4, 9, 1, 0, V200)]);
  });
});

// ---------------------------------------------------------------------------
// Encoder: random messages round trip at every chunk size.


const CSIDS = [2, 3, 4, 5, 6, 8, 63, 64, 100, 319, 320, 1000, 65599];
const TYPES = [3, 4, 5, 6, 8, 9, 15, 17, 18, 20, 22];

/** Messages as a publisher sends them: per chunk stream mostly steady deltas, with repeats, jumps, extended values, wraps. */
function randomMessages(rand: () => number, count: number): RtmpMessage[] {
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
  const last = new Map<number, { ts: number; len: number; type: number; stream: number }>();
  const out: RtmpMessage[] = [];
  for (let i = 0; i < count; i++) {
    const csid = pick(CSIDS);
    const prev = last.get(csid);
    const r = rand();
    let ts: number;
    if (!prev) ts = Math.floor(rand() * 100_000);
    else if (r < 0.3) ts = prev.ts + 33;
    else if (r < 0.5) ts = prev.ts + Math.floor(rand() * 100);
    else if (r < 0.6) ts = prev.ts + 0xffffff + Math.floor(rand() * 3) - 1; // extended delta
    else if (r < 0.65) ts = prev.ts - Math.floor(rand() * 1000); // backwards
    else if (r < 0.7) ts = 0xffffffff - Math.floor(rand() * 50); // near the wrap
    else if (r < 0.75) ts = prev.ts + 100; // may wrap past 2^32
    else ts = prev.ts;
    ts = ts >>> 0;
    const s = rand();
    const len = prev && s < 0.4 ? prev.len : s < 0.6 ? Math.floor(rand() * 4) : s < 0.9 ? Math.floor(rand() * 600) : Math.floor(rand() * 12_000);
    const type = prev && rand() < 0.7 ? prev.type : pick(TYPES);
    const stream = prev && rand() < 0.9 ? prev.stream : pick([0, 1, 2, 0x01020304]);
    const payload = Buffer.allocUnsafe(len);
    for (let j = 0; j < len; j++) payload[j] = Math.floor(rand() * 256);
    out.push({ csid, typeId: type, streamId: stream, timestamp: ts, payload });
    last.set(csid, { ts, len, type, stream });
  }
  return out;
}

describe('encoder round trip of random messages', () => {
  describe.each([1, 128, 4096])('chunk size %i', (chunkSize) => {
    it.each([1, 2, 3, 4, 5])('seed %i: encode then decode gives the same messages, whole and split at random', (seed) => {
      const rand = prng(seed * 1000 + chunkSize);
      const messages = randomMessages(rand, chunkSize === 1 ? 150 : 400);
      const enc = new ChunkEncoder();
      enc.setChunkSize(chunkSize);
      expect(enc.outgoingChunkSize).toBe(chunkSize);
      const wire = Buffer.concat(messages.map((m) => enc.encode(m)));
      const want = messages.map(toMsg);

      const dec = (pieces: number[]): Msg[] => {
        const got: Msg[] = [];
        const d = new ChunkDecoder((m) => got.push(toMsg(m)));
        d.setChunkSize(chunkSize);
        let off = 0;
        for (const n of [...pieces, wire.length]) {
          d.push(wire.subarray(off, Math.min(wire.length, off + n)));
          off += n;
          if (off >= wire.length) break;
        }
        expect(d.buffered).toBe(0);
        return got;
      };
      expect(dec([])).toEqual(want);
      const cuts = Array.from({ length: 200 }, () => Math.floor(rand() * wire.length)).sort((a, b) => a - b);
      expect(dec(cuts.map((c, i) => c - (i === 0 ? 0 : cuts[i - 1])))).toEqual(want);
    });
  });
});
