import { describe, expect, it } from 'vitest';
import type { StreamStats, TrackStats } from '../../app/contract/engine.js';
import { formatRecording, formatStats } from '../../app/cli/format.js';
import { percentFigure } from '../../app/contract/format.js';

const track = (t: Partial<TrackStats>): TrackStats => ({ codec: 'avc1.64001f', received: 0, expected: 0, capturePercent: null, keyframes: 0, bytes: 0, bitrate: 0, fps: 0, ...t });

function stats(video: Partial<TrackStats>): StreamStats {
  return {
    path: 'live/obs',
    connectionId: 1,
    uptimeMs: 12_000,
    video: track({ width: 1280, height: 720, ...video }),
    audio: track({ codec: 'mp4a.40.2', sampleRate: 48000, received: 563, expected: 563, capturePercent: 100, bitrate: 128_000, fps: 47 }),
    extraTracks: {},
    forwardedVideoFrames: 0,
    recordedVideoFrames: 0,
    recordedAudioFrames: 0,
  };
}

describe('the CLI stats line', () => {
  it('reads as the README shows it, in the units the window uses', () => {
    expect(formatStats(stats({ received: 360, expected: 360, capturePercent: 100, fps: 30, bitrate: 2_480_000 }))).toBe(
      'stats live/obs | up 12s | video avc1.64001f 1280x720 360/360 100.0% 30 fps 2.48 Mbit/s | audio mp4a.40.2 48000 Hz 563/563 100.0% 47 fps 128 kbit/s',
    );
  });

  it('floors a capture short of 100 % with the figure the window uses: 9995 of 10000 frames is 99.9, never 100.0', () => {
    const line = formatStats(stats({ received: 9995, expected: 10000, capturePercent: 99.95 }));
    expect(line).toContain(' 9995/10000 99.9% ');
    expect(percentFigure(99.95)).toBe('99.9');
  });

  it('says "-" before there is anything to compare', () => {
    expect(formatStats(stats({ received: 1, expected: 1, capturePercent: null }))).toContain(' 1/1 - ');
  });

  it('gives recording sizes in SI units, as the window does', () => {
    const line = formatRecording({ path: 'live/obs', file: '/r/live_obs.flv', bytes: 66_100, durationMs: 5000, videoFrames: 116, audioFrames: 165, state: 'recording' });
    expect(line).toBe('recording recording /r/live_obs.flv 66.1 kB 5.0s 116 video / 165 audio frames');
  });
});
