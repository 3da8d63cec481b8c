/**
 * The timeline's decode keeps what the wire said: each AMF value with its
 * real type (Intake's own `_result(2, null, undefined)` to releaseStream,
 * ffmpeg's onMetaData ECMA array), and each message's chunk formats and
 * chunk count, checked on a real ffmpeg publish session.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { beforeAll, describe, expect, it } from 'vitest';
import { amfJson, amfTypeName } from '../../app/amf/amf-json.js';
import { ecmaArray, typedObject } from '../../app/amf/types.js';
import { amfText, formatMessage } from '../../app/cli/format.js';
import type { TimelineEntry } from '../../app/contract/engine.js';
import type { AmfJson } from '../../app/contract/values.js';
import { Engine } from '../../app/engine.js';
import { ChunkDecoder } from '../../app/rtmp/chunk-decoder.js';
import { decodeSetChunkSize } from '../../app/rtmp/control.js';
import type { RtmpMessage } from '../../app/rtmp/message-types.js';

const bytes = readFileSync(new URL('../fixtures/sessions/ffmpeg-h264-aac.bin', import.meta.url));
const chunkBytes = bytes.subarray(1537 + 1536);

/** Every timeline entry of the fixture session replayed into a real engine over TCP. */
async function replayTimeline(): Promise<TimelineEntry[]> {
  const engine = new Engine({ port: 0 });
  const { port } = await engine.start();
  const entries: TimelineEntry[] = [];
  engine.on('message', (m) => entries.push(m));
  const ended = new Promise<void>((resolve) => engine.on('stream-end', () => resolve()));
  const socket = net.connect(port, '127.0.0.1');
  socket.on('data', () => {});
  await new Promise((resolve) => socket.once('connect', resolve));
  socket.write(bytes);
  await ended;
  socket.destroy();
  await engine.stop();
  return entries;
}

describe('AMF values keep their type', () => {
  let entries: TimelineEntry[];
  beforeAll(async () => {
    entries = await replayTimeline();
  }, 30_000);

  it("Intake's _result to releaseStream carries undefined, not null, in the entry, its JSON and the text line", () => {
    const release = entries.find((e) => e.direction === 'in' && e.command?.name === 'releaseStream')!;
    const reply = entries.find((e) => e.direction === 'out' && e.command?.name === '_result' && e.command.transactionId === release.command!.transactionId)!;
    expect(reply.command!.args).toEqual([null, { $amf: 'undefined' }]);
    // What `inspect --json`, the WebSocket and the export carry: JSON.stringify of the entry.
    expect(JSON.parse(JSON.stringify(reply)).command.args).toEqual([null, { $amf: 'undefined' }]);
    expect(formatMessage(reply)).toMatch(/_result .*\[null,undefined\]/);
  });

  it("ffmpeg's onMetaData is an ECMA array, said so in JSON and in text", () => {
    const meta = entries.find((e) => e.command?.name === '@setDataFrame')!;
    const arr = meta.command!.args[1] as { $amf: string; value: { [k: string]: AmfJson } };
    expect(arr.$amf).toBe('ecma-array');
    expect(arr.value).toMatchObject({ width: 320, height: 240, framerate: 25 });
    expect(amfTypeName(arr)).toBe('ECMA array');
    expect(amfTypeName(amfJson(typedObject({}, 'Foo')))).toBe('Typed object Foo');
    expect(formatMessage(meta)).toContain('ECMA array {');
  });

  it('tags only what JSON would lose, and an object cannot forge a tag', () => {
    const tagged = amfJson([1, 'a', true, null, undefined, new Date(0), new Uint8Array([1, 2]), ecmaArray({ a: 1 }), typedObject({ b: 2 }, 'Foo'), { $amf: 'undefined' }, [NaN]]);
    expect(tagged).toEqual([
      1,
      'a',
      true,
      null,
      { $amf: 'undefined' },
      { $amf: 'date', value: '1970-01-01T00:00:00.000Z' },
      { $amf: 'byte-array', bytes: 2, hex: '0102' },
      { $amf: 'ecma-array', value: { a: 1 } },
      { $amf: 'typed-object', className: 'Foo', value: { b: 2 } },
      { $amf: 'object', value: { $amf: 'undefined' } },
      [{ $amf: 'number', value: 'NaN' }],
    ]);
    expect(amfText(tagged)).toBe('[1,"a",true,null,undefined,Date(1970-01-01T00:00:00.000Z),ByteArray(2 bytes),ECMA array {"a":1},Foo {"b":2},{"$amf":"undefined"},[NaN]]');
    expect(amfTypeName({ $amf: 'object', value: {} })).toBe('Object');
  });
});

describe('chunk formats and counts, as Wireshark lists them', () => {
  /** The fixture's chunk stream decoded (whole or in pieces), with the chunk size in force when each message began. */
  function decode(piece: number): { msg: RtmpMessage; chunkSize: number }[] {
    const out: { msg: RtmpMessage; chunkSize: number }[] = [];
    let size = 128;
    const d = new ChunkDecoder((m) => {
      out.push({ msg: { ...m, payload: Buffer.alloc(0) }, chunkSize: size });
      if (m.typeId === 1) d.setChunkSize((size = decodeSetChunkSize(m.payload)));
      out[out.length - 1].msg.payload = Buffer.from(m.payload);
    });
    for (let i = 0; i < chunkBytes.length; i += piece) d.push(Buffer.from(chunkBytes.subarray(i, i + piece)));
    return out;
  }

  it('account for every byte ffmpeg sent: headers by format, one per chunk, plus payloads', () => {
    const msgs = decode(chunkBytes.length);
    expect(msgs.length).toBeGreaterThan(250);
    const MH = [11, 7, 3, 0];
    let total = 0;
    const seenCsid = new Set<number>();
    for (const { msg, chunkSize } of msgs) {
      const formats = [0, 1, 2, 3].filter((f) => msg.chunkFormats! & (1 << f));
      const first = formats[0];
      // The first message on a chunk stream is format 0; continuation chunks are format 3.
      if (!seenCsid.has(msg.csid)) expect(first).toBe(0);
      seenCsid.add(msg.csid);
      expect(msg.chunks).toBe(Math.max(1, Math.ceil(msg.payload.length / chunkSize)));
      if (msg.chunks! > 1) expect(formats).toContain(3);
      const basic = msg.csid < 64 ? 1 : msg.csid < 320 ? 2 : 3;
      total += basic + MH[first] + (msg.chunks! - 1) * basic + msg.payload.length;
    }
    expect(total).toBe(chunkBytes.length);
    // Some messages span chunks (connect, before ffmpeg's Set Chunk Size), and later ones use the short formats.
    expect(msgs.some(({ msg }) => msg.chunks! > 1)).toBe(true);
    expect(msgs.some(({ msg }) => msg.chunkFormats === 1 << 1)).toBe(true);
  });

  it('are the same whatever the reads: one byte at a time', () => {
    const whole = decode(chunkBytes.length).map(({ msg }) => [msg.chunkFormats, msg.chunks]);
    expect(decode(1).map(({ msg }) => [msg.chunkFormats, msg.chunks])).toEqual(whole);
  });

  it('reach the timeline entry both ways: what we sent says its format and count too', async () => {
    const entries = await replayTimeline();
    const connect = entries.find((e) => e.command?.name === 'connect')!;
    // ffmpeg sends connect before its Set Chunk Size: at 128 bytes a chunk, in a format 0 chunk and format 3 continuations.
    expect(connect.length).toBeGreaterThan(128);
    expect(connect.chunks).toBe(Math.ceil(connect.length / 128));
    expect(connect.chunkFormats).toEqual([0, 3]);
    const out = entries.filter((e) => e.direction === 'out');
    expect(out.length).toBeGreaterThan(3);
    for (const e of out) expect(e.chunks).toBeGreaterThanOrEqual(1);
    expect(out[0].chunkFormats).toEqual([0]);
    expect(formatMessage(connect)).toContain(` fmt=0,3 chunks=${connect.chunks} `);
    const media = entries.filter((e) => e.direction === 'in' && e.kind === 'video');
    // ffmpeg's 100 frames, its sequence header and its end-of-sequence.
    expect(media.length).toBe(102);
    for (const e of media) expect(e.chunks).toBe(Math.max(1, Math.ceil(e.length / 4096)));
  }, 30_000);
});
