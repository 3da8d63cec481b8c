/**
 * Test support: reading back an Enhanced-FLV recording of HEVC and checking it with
 * ffmpeg without relying on ffmpeg's FLV demuxer.
 *
 * ffmpeg/ffprobe learnt the E-RTMP ExVideoTagHeader in FLV in 6.1. Debian 12's 5.1 reads
 * the low nibble of the first byte as a legacy CodecID (0, 1: "Video codec (1) is not
 * implemented"; a SequenceEnd, 0x92, as Sorenson H.263), so it reports codec "unknown". Where
 * that is the case we take the HEVC out of the FLV ourselves (engine FLV reader and
 * video-tag parser), rebuild an Annex B stream, and let ffmpeg decode that.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { readFlvFile, type FlvHeaderInfo } from '../../app/flv/flv-reader.js';
import { parseVideoTag } from '../../app/media/video-tag.js';
import { run } from '../support/cli.js';
import { annexB, parseHvcC, splitLengthPrefixed } from './hevc-annexb.js';

export interface RecordedFrame {
  /** Timestamp in the file (rebased by the recorder). */
  timestamp: number;
  keyframe: boolean;
  enhanced: boolean;
  codec: string;
  compositionTime: number;
  /** The length-prefixed sample. */
  data: Buffer;
}

export interface HevcRecording {
  header: FlvHeaderInfo;
  truncatedTail: number;
  scriptTags: number;
  /** Payloads of the SequenceStart tags (HEVCDecoderConfigurationRecord). */
  sequenceStarts: Buffer[];
  sequenceEnds: number;
  frames: RecordedFrame[];
  /** Video tags that were not single-track (a multitrack tag should have been rewritten). */
  multitrackTags: number;
  /** The rebuilt Annex B stream: parameter sets of the first SequenceStart, then every frame. */
  annexB: Buffer;
}

/** Reads an FLV recording of one HEVC video track. */
export function readHevcRecording(file: string): HevcRecording {
  const { header, tags, truncatedTail } = readFlvFile(readFileSync(file));
  const rec: HevcRecording = { header, truncatedTail, scriptTags: 0, sequenceStarts: [], sequenceEnds: 0, frames: [], multitrackTags: 0, annexB: Buffer.alloc(0) };
  for (const tag of tags) {
    if (tag.type === 18) rec.scriptTags++;
    if (tag.type !== 9) continue;
    const info = parseVideoTag(tag.body);
    if (info.tracks.length !== 1 || (tag.body[0] & 0x8f) === 0x86) rec.multitrackTags++;
    for (const t of info.tracks) {
      const data = Buffer.from(t.data);
      if (t.packetType === 'sequence-start') rec.sequenceStarts.push(data);
      else if (t.packetType === 'sequence-end') rec.sequenceEnds++;
      else if (t.packetType === 'coded-frames') {
        rec.frames.push({ timestamp: tag.timestamp, keyframe: info.keyframe, enhanced: info.enhanced, codec: t.codec, compositionTime: t.compositionTime, data });
      }
    }
  }
  if (rec.sequenceStarts.length > 0) {
    const config = parseHvcC(rec.sequenceStarts[0]);
    const nals = [...config.nals, ...rec.frames.flatMap((f) => splitLengthPrefixed(f.data, config.nalLengthSize))];
    rec.annexB = annexB(nals);
  }
  return rec;
}

/** `ffmpeg -f hevc -i FILE -f framemd5 -`: one MD5 per decoded picture, and ffmpeg's complaints. */
export async function decodeHevc(file: string): Promise<{ md5s: string[]; errors: string }> {
  const r = await run('ffmpeg', ['-hide_banner', '-nostdin', '-v', 'error', '-f', 'hevc', '-i', file, '-f', 'framemd5', '-']);
  if (r.code !== 0) throw new Error(`ffmpeg could not decode ${file} (exit ${r.code}): ${r.stderr}`);
  const md5s = r.stdout.split('\n').filter((l) => l.trim() !== '' && !l.startsWith('#')).map((l) => l.split(',').at(-1)!.trim());
  return { md5s, errors: r.stderr.trim() };
}

/** `ffprobe -f hevc -count_frames`: codec, size and decoded frame count of a raw HEVC file. */
export async function probeHevc(file: string): Promise<{ codec?: string; width?: number; height?: number; frames: number; errors: string }> {
  const r = await run('ffprobe', ['-v', 'error', '-f', 'hevc', '-count_frames', '-show_entries', 'stream=codec_name,width,height,nb_read_frames', '-of', 'json', file]);
  const j = JSON.parse(r.stdout || '{"streams":[]}') as { streams: { codec_name?: string; width?: number; height?: number; nb_read_frames?: string }[] };
  const s = j.streams[0];
  return { codec: s?.codec_name, width: s?.width, height: s?.height, frames: Number(s?.nb_read_frames ?? 0), errors: r.stderr.trim() };
}

/** Writes the rebuilt Annex B stream next to the recording. */
export function writeAnnexB(rec: HevcRecording, file: string): string {
  writeFileSync(file, rec.annexB);
  return file;
}

/**
 * Whether this ffprobe demuxes E-RTMP video in FLV (FFmpeg 6.1 and later; a git build,
 * `N-...`, is taken to be recent).
 */
export async function ffprobeReadsEnhancedFlv(): Promise<boolean> {
  const r = await run('ffprobe', ['-version']);
  const m = /ffprobe version n?(\d+)\.(\d+)/.exec(r.stdout);
  if (!m) return /ffprobe version N-/.test(r.stdout);
  const [major, minor] = [Number(m[1]), Number(m[2])];
  return major > 6 || (major === 6 && minor >= 1);
}
