/**
 * Realistic host payloads (as `intake serve` sends them for an ffmpeg
 * H.264 + AAC publish) for store, selector and component tests.
 */
import type { ConnectionInfo, ProtocolStep, StreamInfo, StreamStats, TrackStats } from '../../../app/contract/engine.js';
import type { Snapshot, UiBatch } from '../../../app/contract/ui.js';

export const T0 = 1_763_733_600_000;

export function status(state: Snapshot['status']['state'] = 'listening', port = 1935): Snapshot['status'] {
  return {
    state,
    host: '127.0.0.1',
    port,
    publishUrl: `rtmp://127.0.0.1:${port}/live`,
    ...(state === 'error' ? { error: { code: 'config', message: `address already in use 127.0.0.1:${port}` } } : {}),
  };
}

export function snapshot(over: Partial<Snapshot> = {}): Snapshot {
  return {
    host: { transport: 'websocket', version: '0.1.0', canOpenFolder: false },
    status: status(),
    settings: { host: '127.0.0.1', port: 1935, recordDir: '/home/me/Videos/Intake', autoRecord: false },
    connections: [],
    streams: [],
    stats: [],
    recordings: [],
    logs: [],
    ended: [],
    ...over,
  };
}

export function batch(over: Partial<UiBatch> = {}): UiBatch {
  return { opened: [], closed: [], steps: [], messages: [], streamsStarted: [], streamsUpdated: [], streamsEnded: [], stats: [], recordings: [], logs: [], ...over };
}

export function conn(connectionId: number, remoteAddress = '127.0.0.1'): ConnectionInfo {
  return { connectionId, remoteAddress, remotePort: 50000 + connectionId, acceptedAt: T0 + connectionId * 1000 };
}

export function stream(path: string, connectionId: number, over: Partial<StreamInfo> = {}): StreamInfo {
  const [app, key] = path.split('/');
  return {
    path, app, key, connectionId, remoteAddress: '127.0.0.1', publishType: 'live', startedAt: T0 + connectionId * 1000,
    encoder: 'Lavf59.27.100', flashVer: 'FMLE/3.0 (compatible; Lavf59.27.100)', tcUrl: 'rtmp://127.0.0.1:1935/live', ...over,
  };
}

function track(codec: string, received: number, expected: number, extra: Partial<TrackStats> = {}): TrackStats {
  return { codec, received, expected, capturePercent: expected > 0 ? (received / expected) * 100 : null, keyframes: Math.ceil(received / 30), bytes: received * 4000, bitrate: 0, fps: 0, ...extra };
}

/** Stats of an H.264 1280x720 30 fps + AAC 48 kHz stereo stream. */
export function stats(path: string, connectionId: number, received = 300, expected = received, over: Partial<StreamStats> = {}): StreamStats {
  return {
    path, connectionId, uptimeMs: received * 33,
    video: track('avc1.64001f', received, expected, { width: 1280, height: 720, fps: 30, bitrate: 2_500_000 }),
    audio: track('mp4a.40.2', Math.round(received * 1.5625), Math.round(expected * 1.5625), { sampleRate: 48000, channels: 2, bitrate: 128_000, fps: 46.875 }),
    extraTracks: {}, forwardedVideoFrames: received, recordedVideoFrames: 0, recordedAudioFrames: 0, ...over,
  };
}

export function step(connectionId: number, id: ProtocolStep['id'], state: ProtocolStep['state'], atMs: number): ProtocolStep {
  return { connectionId, id, label: String(id), state, atMs };
}

/** The batches of one publisher arriving: open, steps, stream start, first stats. */
export function publish(path: string, connectionId: number): UiBatch {
  return batch({
    opened: [conn(connectionId)],
    steps: [step(connectionId, 'tcp-accept', 'answered', 0), step(connectionId, 'publish', 'answered', 12)],
    streamsStarted: [stream(path, connectionId)],
    stats: [stats(path, connectionId, 0, 0)],
  });
}
