import { CLEAN_END_REASONS } from '../../../app/contract/index.js';
import type { EndedStream } from '../store/slices/streams.js';

/** How a stream ended, for its row: the kind (its tone) and the words. */
export interface EndWords {
  /** 'clean': the publisher said it was done; 'dropped': its connection went away while it published; 'server': Intake ended it. */
  kind: 'clean' | 'dropped' | 'server';
  text: string;
}

const CLEAN: readonly string[] = CLEAN_END_REASONS;

/**
 * Say in words how a stream ended, once: the publisher stopped cleanly
 * (FCUnpublish, deleteStream or closeStream ended it), its connection
 * dropped while it published (killed, reset, a time-out or a broken rule),
 * or Intake ended it (shut down, key taken over). The stream's own reason
 * and its connection's close often say the same ("client closed the
 * connection"), so only one of them is shown, with the rule broken if any.
 */
export function endWords(e: Pick<EndedStream, 'reason' | 'closed'>): EndWords {
  if (CLEAN.includes(e.reason)) return { kind: 'clean', text: `Stopped cleanly (${e.reason})` };
  const c = e.closed;
  if (c?.error) return { kind: 'dropped', text: `Connection dropped: ${c.error.code}: ${c.error.message}` };
  if (c?.by === 'server') return { kind: 'server', text: `Ended by Intake: ${e.reason}` };
  return { kind: 'dropped', text: `Connection dropped mid-stream: ${e.reason}` };
}
