/**
 * Counting what an FLV file holds, with the engine's own readers: the FLV
 * reader and the video-tag parser that capture statistics use, so "a frame"
 * means the same thing in the bench as in Intake.
 */
import fs from 'node:fs';
import path from 'node:path';
import { readFlvFile } from '../app/flv/flv-reader.js';
import { isVideoFrameTag, parseVideoTag } from '../app/media/video-tag.js';

/**
 * Whether an FLV video tag body is a coded frame (not a sequence header, end of
 * sequence, metadata or command frame), as app/media/video-tag.ts decides; a
 * body it cannot parse is not a frame.
 */
export function isCodedVideoFrame(body: Uint8Array): boolean {
  try {
    return isVideoFrameTag(parseVideoTag(body));
  } catch {
    return false;
  }
}

/** What `countFlv` reports about a file. */
export interface FlvCount {
  videoFrames: number;
  videoTags: number;
  audioTags: number;
  truncatedTail: number;
  bytes: number;
}

/** Count the tags of an FLV file: coded video frames, all video tags, audio tags. */
export function countFlv(file: string): FlvCount {
  const { tags, truncatedTail } = readFlvFile(fs.readFileSync(file));
  let videoFrames = 0;
  let videoTags = 0;
  let audioTags = 0;
  for (const t of tags) {
    if (t.type === 9) {
      videoTags++;
      if (isCodedVideoFrame(t.body)) videoFrames++;
    } else if (t.type === 8) audioTags++;
  }
  return { videoFrames, videoTags, audioTags, truncatedTail, bytes: fs.statSync(file).size };
}

/** Remove every file in `dir` (not recursive) and make sure it exists. */
export function emptyDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of fs.readdirSync(dir)) fs.rmSync(path.join(dir, f), { recursive: true, force: true });
}

/** The .flv files in `dir`, with full paths, sorted. */
export function flvFiles(dir: string, ext = 'flv'): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith(`.${ext}`))
    .map((f) => path.join(dir, f))
    .sort();
}
