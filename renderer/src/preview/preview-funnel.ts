/**
 * The preview session's half of the capture funnel, from one snapshot of
 * the player readout, so its stages always describe the same frames:
 *
 *   received since the preview began (MediaChunk.offered)
 *   ≥ forwarded to this page (MediaChunk.forwarded)
 *   ≥ decoded + dropped by the player (+ frames still inside it).
 *
 * The host's two counts come with the media chunk the player was last
 * given, never from the stats batches (which are up to half a second older
 * or newer than the player's figures: the 777-decoded-of-775-received of
 * issue 11). Each difference gets a sentence saying why.
 */
import { formatDuration } from '../util/format.js';
import type { PlayerReadout } from './player-readout.js';

/** The preview session's stages and why they differ. */
export interface PreviewFunnel {
  received: number | null;
  forwarded: number | null;
  decoded: number | null;
  dropped: number | null;
  /** Forwarded but not yet decoded or dropped: frames inside the player. */
  inPlayer: number | null;
  /** One sentence per difference between stages (and when the preview began). */
  notes: string[];
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

/** The funnel of the preview of `path` (null when the player plays another stream or none). */
export function previewFunnel(r: PlayerReadout, path: string | null, streamStartedAt: number | undefined): PreviewFunnel | null {
  if (path === null || r.path !== path) return null;
  const { offered: received, forwarded } = r;
  const decoded = r.decoded;
  const dropped = r.dropped;
  const handled = decoded === null ? null : decoded + (dropped ?? 0);
  const inPlayer = forwarded !== null && handled !== null ? Math.max(0, forwarded - handled) : null;
  const notes: string[] = [];
  if (r.startedAt !== null && streamStartedAt !== undefined && received !== null) {
    notes.push(`Preview started at ${formatDuration(Math.max(0, r.startedAt - streamStartedAt))} into the stream, from its last keyframe: it counts only frames from there on.`);
  }
  if (received !== null && forwarded !== null && received > forwarded) {
    notes.push(`Intake skipped ${plural(received - forwarded, 'frame')} to the next keyframe while this page fell behind; the recording was not slowed.`);
  }
  if (inPlayer) notes.push(`${plural(inPlayer, 'frame')} on the way through the player to the screen.`);
  if (r.unpainted) notes.push(`Of the decoded frames, ${r.unpainted} ${r.unpainted === 1 ? 'was' : 'were'} not painted: a newer frame was ready for the same screen refresh (or the tab was hidden).`);
  if (dropped) {
    const hidden = r.droppedWhileHidden > 0 ? ` (${r.droppedWhileHidden} while the tab was hidden)` : '';
    notes.push(`The player dropped ${plural(dropped, 'frame')}${hidden} to stay live.`);
  }
  return { received, forwarded, decoded, dropped, inPlayer, notes };
}

/**
 * The whole stream's received count to show beside the preview's: the stats'
 * figure (up to half a second old), or the preview's own count when that is
 * higher. Every frame the preview counts is a frame this stream received, so
 * the higher of the two is still a true count of frames received, only
 * fresher. Why: just after a preview began, its live count ran ahead of the
 * stats' and read as "this preview received more than the whole stream".
 */
export function wholeStreamReceived(statsReceived: number | null, funnel: PreviewFunnel | null): number | null {
  if (statsReceived === null) return null;
  const preview = funnel?.received ?? null;
  return preview !== null && preview > statsReceived ? preview : statsReceived;
}
