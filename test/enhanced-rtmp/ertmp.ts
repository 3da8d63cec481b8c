/**
 * Test support: Enhanced RTMP video message bodies (veovera enhanced-rtmp v1/v2,
 * ExVideoTagHeader), built byte by byte from the spec rather than with app/ code.
 *
 * ```
 * IsExHeader UB[1] = 1 | VideoFrameType UB[3] | VideoPacketType UB[4]
 * if Multitrack (6): AvMultitrackType UB[4] | VideoPacketType UB[4], then FourCC (unless ManyTracksManyCodecs)
 * else: FourCC UI32
 * per track (multitrack only): [FourCC if ManyTracksManyCodecs] TrackId UI8 [, SizeOfTrack UI24 unless OneTrack]
 * payload: SequenceStart: the codec's configuration record;
 *          CodedFrames: for avc1/hvc1 CompositionTimeOffset SI24, then the frames;
 *          CodedFramesX: the frames (composition time 0 implied); SequenceEnd: nothing.
 * ```
 */
import { RtmpPublisher } from '../../app/client/publisher.js';
import type { HevcStream } from './hevc-annexb.js';

export const FrameType = { Key: 1, Inter: 2 } as const;
export const PacketType = { SequenceStart: 0, CodedFrames: 1, SequenceEnd: 2, CodedFramesX: 3, Multitrack: 6 } as const;
export const MultitrackType = { OneTrack: 0, ManyTracks: 1, ManyTracksManyCodecs: 2 } as const;

/** FourCC as the number E-RTMP puts in onMetaData videocodecid ('hvc1' = 0x68766331). */
export const fourCCNumber = (cc: string): number => Buffer.from(cc, 'latin1').readUInt32BE(0);

function si24(v: number): Buffer {
  const b = Buffer.alloc(3);
  b.writeIntBE(v, 0, 3);
  return b;
}

/** The payload of one track: composition time for CodedFrames of avc1/hvc1, then the data. */
function trackPayload(packetType: number, fourCC: string, data: Uint8Array, compositionTime: number): Buffer {
  const cts = packetType === PacketType.CodedFrames && (fourCC === 'hvc1' || fourCC === 'avc1');
  return Buffer.concat([cts ? si24(compositionTime) : Buffer.alloc(0), Buffer.from(data)]);
}

/** A single-track ExVideoTagHeader body. */
export function exVideoTag(frameType: number, packetType: number, fourCC: string, data: Uint8Array = new Uint8Array(0), compositionTime = 0): Buffer {
  const header = Buffer.alloc(5);
  header[0] = 0x80 | (frameType << 4) | packetType;
  header.write(fourCC, 1, 4, 'latin1');
  return Buffer.concat([header, trackPayload(packetType, fourCC, data, compositionTime)]);
}

/** A multitrack (packet type 6) body with one FourCC for all tracks: OneTrack or ManyTracks. */
export function multitrackVideoTag(
  frameType: number,
  packetType: number,
  multitrackType: typeof MultitrackType.OneTrack | typeof MultitrackType.ManyTracks,
  fourCC: string,
  tracks: { trackId: number; data?: Uint8Array; compositionTime?: number }[],
): Buffer {
  if (multitrackType === MultitrackType.OneTrack && tracks.length !== 1) throw new Error('OneTrack carries exactly one track');
  const header = Buffer.alloc(6);
  header[0] = 0x80 | (frameType << 4) | PacketType.Multitrack;
  header[1] = (multitrackType << 4) | packetType;
  header.write(fourCC, 2, 4, 'latin1');
  const parts: Buffer[] = [header];
  for (const t of tracks) {
    const payload = trackPayload(packetType, fourCC, t.data ?? new Uint8Array(0), t.compositionTime ?? 0);
    const h = Buffer.alloc(multitrackType === MultitrackType.OneTrack ? 1 : 4);
    h[0] = t.trackId;
    if (multitrackType !== MultitrackType.OneTrack) h.writeUIntBE(payload.length, 1, 3);
    parts.push(h, payload);
  }
  return Buffer.concat(parts);
}

/** How the pictures are sent. */
export type Variant =
  | { kind: 'single'; packetType: typeof PacketType.CodedFrames | typeof PacketType.CodedFramesX }
  | { kind: 'many-tracks'; trackIds: number[] };

/** Every video message body we send, in order, with its timestamp. */
export interface SentTag {
  timestamp: number;
  body: Buffer;
}

export const FRAME_MS = 40;

/**
 * Publishes `stream` to `url` as an E-RTMP publisher would: onMetaData (videocodecid = the
 * FourCC as a number), a SequenceStart, one coded-frames message per picture at i * 40 ms,
 * a SequenceEnd, then FCUnpublish / deleteStream. Returns what was sent.
 */
export async function publishHevc(url: string, stream: HevcStream, variant: Variant): Promise<SentTag[]> {
  const key = url.slice(url.lastIndexOf('/') + 1);
  const sent: SentTag[] = [];
  const pub = await RtmpPublisher.publish(url, { chunkSize: 4096 });
  try {
    await pub.metadata({ width: stream.sps.width, height: stream.sps.height, framerate: 25, videocodecid: fourCCNumber('hvc1'), encoder: 'intake e-rtmp test' });
    const send = async (timestamp: number, body: Buffer): Promise<void> => {
      sent.push({ timestamp, body });
      await pub.media(9, timestamp, body);
    };
    const tag = (frameType: number, packetType: number, data?: Uint8Array): Buffer =>
      variant.kind === 'single'
        ? exVideoTag(frameType, packetType, 'hvc1', data)
        : multitrackVideoTag(frameType, packetType, MultitrackType.ManyTracks, 'hvc1', variant.trackIds.map((trackId) => ({ trackId, data })));

    await send(0, tag(FrameType.Key, PacketType.SequenceStart, stream.config));
    const framePacket = variant.kind === 'single' ? variant.packetType : PacketType.CodedFrames;
    for (const [i, au] of stream.accessUnits.entries()) {
      await send(i * FRAME_MS, tag(au.keyframe ? FrameType.Key : FrameType.Inter, framePacket, au.sample));
    }
    await send((stream.accessUnits.length - 1) * FRAME_MS, tag(FrameType.Key, PacketType.SequenceEnd));
    await pub.unpublish(key);
  } catch (err) {
    await pub.close();
    throw err;
  }
  return sent;
}
