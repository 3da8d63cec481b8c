import fs from 'node:fs';
import { pushContainer } from '../client/container-push.js';
import { RtmpPublisher, parseRtmpUrl } from '../client/publisher.js';
import { encodeAmf0 } from '../amf/amf0.js';
import { RtmpError } from '../errors.js';
import { FlvReader } from '../flv/flv-reader.js';
import type { ParsedArgs } from './args.js';

const SET_DATA_FRAME = encodeAmf0(['@setDataFrame']);

export interface PushResult {
  tags: number;
  videoTags: number;
  audioTags: number;
  bytes: number;
  seconds: number;
}

/** Whether a file is FLV (its signature), not a container for mediabunny. */
function isFlv(file: string): boolean {
  const fd = fs.openSync(file, 'r');
  try {
    const b = Buffer.alloc(3);
    return fs.readSync(fd, b, 0, 3, 0) === 3 && b.toString('latin1') === 'FLV';
  } finally {
    fs.closeSync(fd);
  }
}

/**
 * Publish an FLV, MP4, MKV or WebM file to an RTMP URL, as fast as the socket takes it or in
 * real time (paced by the tags' timestamps).
 */
export async function pushFile(file: string, url: string, opts: { chunkSize?: number; realtime?: boolean; digest?: boolean }): Promise<PushResult> {
  const { key } = parseRtmpUrl(url);
  const pub = await RtmpPublisher.publish(url, { chunkSize: opts.chunkSize, digest: opts.digest });
  const started = performance.now();
  if (!isFlv(file)) {
    const pace = async (ts: number): Promise<void> => {
      const wait = started + ts - performance.now();
      if (opts.realtime && wait > 1) await new Promise((res) => setTimeout(res, wait));
    };
    const sent = await pushContainer(file, pub, pace);
    await pub.unpublish(key);
    return { tags: sent.video + sent.audio, videoTags: sent.video, audioTags: sent.audio, bytes: sent.bytes, seconds: (performance.now() - started) / 1000 };
  }
  const reader = new FlvReader();
  let firstTs: number | null = null;
  const r: PushResult = { tags: 0, videoTags: 0, audioTags: 0, bytes: 0, seconds: 0 };
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
    for (const tag of reader.push(chunk as Buffer)) {
      const body = Buffer.from(tag.body.buffer, tag.body.byteOffset, tag.body.byteLength);
      if (opts.realtime) {
        firstTs ??= tag.timestamp;
        const due = started + (tag.timestamp - firstTs);
        const wait = due - performance.now();
        if (wait > 1) await new Promise((res) => setTimeout(res, wait));
      }
      if (tag.type === 18) await pub.media(18, tag.timestamp, Buffer.concat([SET_DATA_FRAME, body]));
      else if (tag.type === 8 || tag.type === 9) await pub.media(tag.type, tag.timestamp, body);
      else continue;
      r.tags++;
      if (tag.type === 9) r.videoTags++;
      if (tag.type === 8) r.audioTags++;
      r.bytes += body.length;
    }
  }
  await pub.unpublish(key);
  r.seconds = (performance.now() - started) / 1000;
  return r;
}

export async function push(args: ParsedArgs): Promise<number> {
  const [file, url] = args.positional;
  if (!file || !url) throw new RtmpError('config', 'push needs FILE (FLV, MP4, MKV or WebM) and rtmp://HOST:PORT/APP/KEY');
  if (!fs.existsSync(file)) throw new RtmpError('config', `no such file: ${file}`);
  const cs = args.flags.get('chunk-size');
  const chunkSize = cs === undefined ? 4096 : Number(cs);
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > 0x7fffffff) throw new RtmpError('config', `--chunk-size must be 1..2147483647, got '${String(cs)}'`);
  const r = await pushFile(file, url, { chunkSize, realtime: args.flags.has('realtime'), digest: !args.flags.has('plain-handshake') });
  console.log(`pushed ${r.tags} tags (${r.videoTags} video, ${r.audioTags} audio), ${r.bytes} bytes in ${r.seconds.toFixed(2)} s`);
  return 0;
}
