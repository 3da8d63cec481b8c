import { STEP_LABELS, type ConnectionClosed, type ProtocolStep, type StepId, type StepState } from '../../../app/contract/index.js';
import type { ConnectionState } from '../../../app/contract/index.js';

/** Every step of DESIGN.md's "Protocol steps", in protocol order. */
export const STEP_ORDER = Object.keys(STEP_LABELS) as StepId[];

/** Steps a publisher may legitimately never send (a video-only stream has no audio header...). */
export const OPTIONAL_STEPS: ReadonlySet<StepId> = new Set<StepId>([
  'set-chunk-size', 'release-stream', 'fc-publish', 'check-bw', 'metadata',
  'video-sequence-header', 'audio-sequence-header', 'first-keyframe', 'unpublish',
]);

/**
 * Once this step has happened, the optional step will not come any more:
 * clients send releaseStream/FCPublish/_checkbw before `publish`, and Set
 * Chunk Size and metadata before the first frame. Steps not listed here can
 * only be ruled out by the close.
 */
const RULED_OUT_BY: Partial<Record<StepId, StepId>> = {
  'set-chunk-size': 'streaming',
  'release-stream': 'publish',
  'fc-publish': 'publish',
  'check-bw': 'publish',
  metadata: 'streaming',
};

/** One row of the protocol flow. */
export interface StepRow {
  id: ProtocolStep['id'];
  label: string;
  /** The step's own state; steps the engine has not reported yet are waiting. */
  state: StepState;
  /** Not reached, and it will not be any more (the note says why). */
  skipped: boolean;
  optional: boolean;
  /** A command the server did not know (`command:<name>`). */
  unknown: boolean;
  /** "optional", "not sent", "not reached", "open". */
  note?: string;
  atMs?: number;
  reply?: string;
  detail?: Record<string, unknown>;
}

const reached = (s: ProtocolStep | undefined): boolean => s !== undefined && s.state !== 'waiting';

/** What the close row says: who closed, why, and the broken rule's code. */
export function closeSummary(closed: ConnectionClosed): string {
  const code = closed.error ? ` [${closed.error.code}]` : '';
  return `closed by ${closed.by}: ${closed.reason}${code}`;
}

/**
 * The rows of the protocol flow for one connection: every step in DESIGN.md
 * order (unreported ones as waiting, or skipped once they cannot come), and
 * unknown commands slotted in by time after the last step that preceded them.
 */
export function stepRows(conn: ConnectionState | undefined): StepRow[] {
  const byId = new Map<string, ProtocolStep>();
  const unknown: ProtocolStep[] = [];
  for (const s of conn?.steps ?? []) {
    if (s.id.startsWith('command:')) unknown.push(s);
    else byId.set(s.id, s);
  }
  const closed = conn?.closed !== undefined || reached(byId.get('close'));
  const rows: StepRow[] = STEP_ORDER.map((id) => {
    const s = byId.get(id);
    const optional = OPTIONAL_STEPS.has(id);
    const row: StepRow = { id, label: STEP_LABELS[id], state: s?.state ?? 'waiting', skipped: false, optional, unknown: false };
    if (s) Object.assign(row, { atMs: s.atMs, reply: s.reply, detail: s.detail });
    if (reached(s)) return row;
    const after = RULED_OUT_BY[id];
    if (id === 'close') row.note = conn ? 'open' : undefined;
    else if (closed || (after !== undefined && reached(byId.get(after)))) {
      row.skipped = true;
      row.note = optional ? 'not sent' : 'not reached';
    } else if (optional) row.note = 'optional';
    return row;
  });
  const close = rows[rows.length - 1];
  if (conn?.closed) {
    close.reply = closeSummary(conn.closed);
    if (close.state === 'waiting') Object.assign(close, { state: conn.closed.error ? 'failed' : 'received', atMs: conn.closed.atMs });
    close.detail = { ...conn.closed, ...(close.detail ?? {}) };
  }
  for (const s of unknown.sort((a, b) => a.atMs - b.atMs)) {
    let at = 0;
    for (let i = 0; i < rows.length; i++) {
      const r = rows[i];
      if (r.id !== 'close' && r.atMs !== undefined && r.state !== 'waiting' && r.atMs <= s.atMs) at = i + 1;
    }
    rows.splice(at, 0, { id: s.id, label: s.label, state: s.state, skipped: false, optional: false, unknown: true, atMs: s.atMs, reply: s.reply, detail: s.detail });
  }
  return rows;
}
