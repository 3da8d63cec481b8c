/**
 * Caps and rates that the host and every UI must agree on: what the host
 * keeps is what a UI opened later can be given, so both sides use these.
 */

/**
 * @deprecated No longer a cap of either side: the host keeps every message
 * (app/host/timeline-store.ts, bounded by memory chunks and a disk ring) and
 * a UI the newest TIMELINE_UI_CAP. Kept for code that still names it.
 */
export const TIMELINE_CAP = 400_000;
/** Closed connections kept, by the host and by the UI; older ones are forgotten. */
export const CLOSED_CONNECTIONS_CAP = 50;
/** Log entries kept, by the host and by the UI. */
export const LOG_CAP = 500;
/** How often the host flushes a batch (ms): at most ~10 a second. */
export const BATCH_INTERVAL_MS = 100;
/**
 * How long the host holds preview media that is not a video frame (audio,
 * metadata) before sending it (ms). A video frame goes at the end of the
 * event-loop turn it arrived in, with whatever waits: every ms a frame
 * waits is a ms more behind (issue 11: 25 ms here was a tenth of the
 * target), and one send per video frame is a few dozen a second.
 */
export const MEDIA_INTERVAL_MS = 10;

/** Timeline entries in one `timeline` answer, at most: a large answer is served in ranges. */
export const TIMELINE_PAGE_MAX = 5_000;
/**
 * Timeline entries a UI keeps per connection as they arrive (the newest);
 * older ones it pages in from the host. Why this few: a parsed entry costs
 * the page ~350 B, and 20 streams are 20 such lists.
 */
export const TIMELINE_UI_CAP = 2_000;
/** Connections a UI may follow in detail at once (the `follow` request): a window shows one or two. */
export const FOLLOW_MAX = 16;
