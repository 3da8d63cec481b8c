import { describe, expect, it } from 'vitest';
import { checkPlayable } from '../../../renderer/src/preview/codec-support.js';

/** Debian's Chromium: H.264, AAC, Opus, AV1; no HEVC. */
const chromium = (mime: string): boolean => !/hvc1|hev1/.test(mime);

describe('checkPlayable', () => {
  it('plays H.264 + AAC, and unknown codecs until the stats say otherwise', () => {
    expect(checkPlayable('avc1.64001f', 'mp4a.40.2', chromium)).toEqual({ ok: true });
    expect(checkPlayable(null, null, chromium)).toEqual({ ok: true });
  });
  it('says when the browser cannot decode the video', () => {
    const p = checkPlayable('hvc1.1.6.L93.B0', 'mp4a.40.2', chromium);
    expect(p.ok).toBe(false);
    expect(!p.ok && p.reason).toMatch(/cannot decode HEVC \(hvc1\.1\.6\.L93\.B0\)/);
  });
  it('says when the player cannot demux the codec at all', () => {
    const p = checkPlayable('vp09.00.10.08', null, () => true);
    expect(!p.ok && p.reason).toMatch(/cannot read VP9/);
  });
  it('plays video alone when only the audio cannot play', () => {
    expect(checkPlayable('avc1.64001f', 'ac-3', chromium)).toMatchObject({ ok: true, hasAudio: false });
  });
  it('without MediaSource, says the preview cannot play here', () => {
    expect(checkPlayable('avc1.64001f', 'mp4a.40.2', null).ok).toBe(false);
  });
});
