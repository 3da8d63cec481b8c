/**
 * Holds the real-time picture back to the sound while the sound is heard:
 * which decoded frame to paint now, given the media time reaching the
 * speaker. The sound's way out cannot be shortened past its lead and the
 * output buffer, while the picture's (a decode and a paint) is shorter, so
 * painting each frame as decoded put the picture ahead of its sound
 * (bench/RESULTS.md, issue 11). A frame waits until the sound reaches its
 * media time, never longer than {@link MAX_HOLD_MS}: glass to glass keeps
 * its bound, and a sound stuck far behind is the audio queue's to fix (it
 * drops), not the picture's to follow.
 *
 * Muted, or with no sound playing, nothing is held: sync that cannot be
 * heard is not worth a millisecond of delay.
 */

/**
 * A frame is due once the sound is this close (ms) to its media time: the
 * picture may lead its sound by up to this much, inside ±45 ms, and waits
 * only for the part beyond it. Why not less: every ms held is a ms of glass
 * to glass for every frame. Muted, with the sound's path already at its
 * shortest, the sound ran 40 ms behind at 30 fps and 26 at 60 (median,
 * interleaved run at load average 7–10); holding frames to within 20 ms
 * took 30–60 ms more glass to glass for 72 % within ±45 ms instead of 65 %.
 * Sound behind the picture is also the direction people notice least
 * (ITU-R BT.1359: detected at 45 ms early, 125 ms late).
 */
export const SYNC_TOLERANCE_MS = 35;
/** No frame waits longer than this (ms) for its sound. */
export const MAX_HOLD_MS = 60;

/** A decoded frame waiting to be painted: its media time (ms) and when it was decoded (performance.now()). */
export interface HeldFrame {
  mediaMs: number;
  heldAt: number;
}

/**
 * The index of the newest frame in `held` (in presentation order) that is
 * due now, or -1 when none is: every frame is due when `audibleMs` is null
 * (nothing to wait for), else those the sound has reached and those held
 * for {@link MAX_HOLD_MS}. Frames before the returned one are superseded.
 */
export function dueFrame(held: readonly HeldFrame[], audibleMs: number | null, now: number): number {
  for (let i = held.length - 1; i >= 0; i--) {
    const h = held[i];
    if (audibleMs === null || h.mediaMs <= audibleMs + SYNC_TOLERANCE_MS || now - h.heldAt >= MAX_HOLD_MS) return i;
  }
  return -1;
}
