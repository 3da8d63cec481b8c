import type { RtmpMessage } from './message-types.js';

interface LastHeader {
  timestamp: number;
  length: number;
  typeId: number;
  streamId: number;
}

/** Basic header size for a chunk stream id (RTMP spec 5.3.1.1). */
function basicHeaderSize(csid: number): number {
  return csid < 64 ? 1 : csid < 320 ? 2 : 3;
}

function writeBasicHeader(buf: Buffer, off: number, fmt: number, csid: number): number {
  if (csid < 64) {
    buf[off] = (fmt << 6) | csid;
    return off + 1;
  }
  if (csid < 320) {
    buf[off] = fmt << 6;
    buf[off + 1] = csid - 64;
    return off + 2;
  }
  buf[off] = (fmt << 6) | 1;
  buf[off + 1] = (csid - 64) & 0xff;
  buf[off + 2] = (csid - 64) >> 8;
  return off + 3;
}

/**
 * Messages in, chunk bytes out (RTMP spec 5.3). Chooses the smallest message
 * header the previous one on the same chunk stream allows: format 0 for a new
 * stream id or a backwards timestamp, 1 for a new length or type, 2 for a new
 * delta only, 3 when even the delta repeats; continuation chunks are format 3.
 * Extended timestamps are repeated on format 3 chunks, as FMS, ffmpeg and
 * nginx-rtmp do.
 */
export class ChunkEncoder {
  private chunkSize = 128;
  private readonly last = new Map<number, LastHeader & { delta: number }>();

  /** Our outgoing chunk size; the caller must also send Set Chunk Size to the peer. */
  setChunkSize(size: number): void {
    this.chunkSize = size;
  }

  get outgoingChunkSize(): number {
    return this.chunkSize;
  }

  /** Encode one message into chunks. */
  encode(msg: RtmpMessage): Buffer {
    const { csid, typeId, streamId, payload } = msg;
    const timestamp = msg.timestamp >>> 0;
    const length = payload.length;
    const prev = this.last.get(csid);

    let fmt: 0 | 1 | 2 | 3 = 0;
    let tsField = timestamp;
    if (prev && prev.streamId === streamId && timestamp >= prev.timestamp) {
      const delta = timestamp - prev.timestamp;
      tsField = delta;
      if (prev.length !== length || prev.typeId !== typeId) fmt = 1;
      else if (prev.delta !== delta) fmt = 2;
      else fmt = 3;
    }
    const extended = tsField >= 0xffffff;
    this.last.set(csid, { timestamp, length, typeId, streamId, delta: fmt === 0 ? timestamp : tsField });

    const chunks = Math.max(1, Math.ceil(length / this.chunkSize));
    const basic = basicHeaderSize(csid);
    const ext = extended ? 4 : 0;
    const first = basic + [11, 7, 3, 0][fmt] + ext;
    const cont = basic + ext;
    const out = Buffer.allocUnsafe(first + (chunks - 1) * cont + length);

    let off = writeBasicHeader(out, 0, fmt, csid);
    if (fmt <= 2) {
      out.writeUIntBE(extended ? 0xffffff : tsField, off, 3);
      off += 3;
    }
    if (fmt <= 1) {
      out.writeUIntBE(length, off, 3);
      out[off + 3] = typeId;
      off += 4;
    }
    if (fmt === 0) {
      out.writeUInt32LE(streamId, off);
      off += 4;
    }
    if (extended) off = out.writeUInt32BE(tsField, off);

    let sent = 0;
    for (;;) {
      const n = Math.min(this.chunkSize, length - sent);
      payload.copy(out, off, sent, sent + n);
      off += n;
      sent += n;
      if (sent >= length) break;
      off = writeBasicHeader(out, off, 3, csid);
      if (extended) off = out.writeUInt32BE(tsField, off);
    }
    return out;
  }
}
