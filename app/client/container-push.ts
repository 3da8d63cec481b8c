import { ALL_FORMATS, EncodedPacketSink, FilePathSource, Input, type InputTrack, type InputVideoTrack } from 'mediabunny';
import { encodeColorInfo } from '../media/color-info.js';
import { encodeAmf0 } from '../amf/amf0.js';
import { ecmaArray } from '../amf/types.js';
import { ErrorCode, RtmpError } from '../errors.js';
import { PUSH_CODECS, audioFrame, audioSequenceStart, av1ConfigFromCodec, videoFrame, videoMetadata, videoSequenceStart, vpConfigFromCodec } from './container-tags.js';
import type { RtmpPublisher } from './publisher.js';

/** Packets read ahead per track to turn presentation order into decode times (deeper than any B-pyramid). */
const LOOKAHEAD = 16;

interface TrackReader {
  kind: 'video' | 'audio';
  codec: string;
  packets: AsyncIterator<{ data: Uint8Array; timestamp: number; type: string }>;
  /** Read ahead, in decode order. */
  ahead: { data: Uint8Array; pts: number; key: boolean }[];
  /** Presentation times read ahead not yet handed out as decode times, ascending. */
  times: number[];
  done: boolean;
}

/** The track's colour as an E-RTMP colorInfo payload (as OBS sends it), or null when the file does not say. */
async function colorInfoOf(track: InputVideoTrack, codec: string): Promise<Buffer | null> {
  const c = await track.getColorSpace();
  // The bit depth is in the codec string of AV1 (`av01.P.LLT.DD`) and VP9 (`vp09.PP.LL.DD`); 8 otherwise.
  const depth = /^(av01|vp09)\./.test(codec) ? Number(codec.split('.')[3]) || 8 : 8;
  return encodeColorInfo(c, depth);
}

async function fillAhead(t: TrackReader): Promise<void> {
  while (!t.done && t.ahead.length < LOOKAHEAD) {
    const r = await t.packets.next();
    if (r.done) {
      t.done = true;
      break;
    }
    const pts = Math.round(r.value.timestamp * 1000);
    t.ahead.push({ data: r.value.data, pts, key: r.value.type === 'key' });
    const i = t.times.findIndex((x) => x > pts);
    t.times.splice(i < 0 ? t.times.length : i, 0, pts);
  }
}

/**
 * Publishes an MP4, MKV or WebM file (read with mediabunny's demuxer): its
 * first video and first audio track, as legacy FLV tags for H.264/AAC/MP3 and
 * Enhanced RTMP for HEVC, AV1, VP9 and Opus. Files give presentation times;
 * decode times are the sorted presentation times (a lookahead of 16 packets),
 * moved later by the stream's reorder delay so none is negative, as FFmpeg's
 * FLV muxer does. Tracks are interleaved by decode time. Returns the tags sent.
 */
export async function pushContainer(file: string, pub: RtmpPublisher, pace: (ts: number) => Promise<void>): Promise<{ video: number; audio: number; bytes: number }> {
  const input = new Input({ source: new FilePathSource(file), formats: ALL_FORMATS });
  const readers: TrackReader[] = [];
  const meta: Record<string, number | string> = { encoder: 'intake push' };
  const heads: { ts: 'config'; body: Buffer; type: 8 | 9 }[] = [];
  for (const track of [await input.getPrimaryVideoTrack(), await input.getPrimaryAudioTrack()] as (InputTrack | null)[]) {
    if (!track) continue;
    const kind = track.isVideoTrack() ? 'video' : 'audio';
    const codec = track.codec ?? 'unknown';
    if (!(PUSH_CODECS[kind] as readonly string[]).includes(codec)) throw new RtmpError(ErrorCode.Config, `cannot publish ${codec} ${kind} (${PUSH_CODECS[kind].join(', ')} can be)`);
    const config = (await (track as unknown as { getDecoderConfig(): Promise<unknown> }).getDecoderConfig()) as { codec: string; description?: ArrayBuffer | ArrayBufferView } | null;
    const d = config?.description;
    const description = d === undefined ? undefined : d instanceof ArrayBuffer ? new Uint8Array(d) : new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
    if (track.isVideoTrack()) {
      meta.width = track.codedWidth;
      meta.height = track.codedHeight;
      const record = codec === 'av1' ? av1ConfigFromCodec(config!.codec) : codec === 'vp9' ? vpConfigFromCodec(config!.codec) : description;
      if (!record) throw new RtmpError(ErrorCode.Config, `${file}: the ${codec} track has no configuration record`);
      heads.push({ ts: 'config', body: videoSequenceStart(codec, record), type: 9 });
      const colour = codec === 'avc' ? null : await colorInfoOf(track as InputVideoTrack, config!.codec);
      if (colour) heads.push({ ts: 'config', body: videoMetadata(codec, colour), type: 9 });
    } else {
      const head = audioSequenceStart(codec, description);
      if (head) heads.push({ ts: 'config', body: head, type: 8 });
    }
    readers.push({ kind, codec, packets: new EncodedPacketSink(track).packets()[Symbol.asyncIterator](), ahead: [], times: [], done: false });
  }
  if (readers.length === 0) throw new RtmpError(ErrorCode.Config, `${file}: no audio or video track`);

  // The reorder delay: how far the first packets' sorted presentation times run ahead of their own.
  for (const t of readers) await fillAhead(t);
  let delay = 0;
  for (const t of readers) t.ahead.forEach((p, i) => (delay = Math.max(delay, t.times[i] - p.pts)));
  const start = Math.min(...readers.map((t) => t.times[0] ?? Infinity));
  const shift = delay - (Number.isFinite(start) ? start : 0);

  await pub.media(18, 0, Buffer.concat([encodeAmf0(['@setDataFrame']), encodeAmf0(['onMetaData', ecmaArray(meta)])]));
  for (const h of heads) await pub.media(h.type, 0, h.body);
  const sent = { video: 0, audio: 0, bytes: 0 };
  for (;;) {
    for (const t of readers) await fillAhead(t);
    let next: TrackReader | null = null;
    for (const t of readers) if (t.ahead.length && (!next || t.times[0] < next.times[0])) next = t;
    if (!next) break;
    const p = next.ahead.shift()!;
    const dts = next.times.shift()! - delay;
    const ts = Math.max(0, dts + shift);
    await pace(ts);
    const body = next.kind === 'video' ? videoFrame(next.codec, p.key, p.pts - dts, p.data) : audioFrame(next.codec, p.data);
    await pub.media(next.kind === 'video' ? 9 : 8, ts, body);
    sent[next.kind]++;
    sent.bytes += body.length;
  }
  input.dispose();
  return sent;
}
