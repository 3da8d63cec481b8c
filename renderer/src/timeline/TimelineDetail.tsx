import type { TimelineEntry } from '../../../app/contract/index.js';
import { JsonView } from '../util/JsonView.js';
import { formatBytes, formatElapsedClock } from '../util/format.js';
import { ARROW } from './row-text.js';
import type { Row } from './timeline-model.js';

function payloadOf(e: TimelineEntry): unknown {
  // The AMF values in the order they were on the wire: name, transaction id, then the rest, each with its type.
  if (e.command) return e.command.transactionId !== undefined ? [e.command.name, e.command.transactionId, ...e.command.args] : [e.command.name, ...e.command.args];
  if (e.control) return e.control;
  return e.summary !== undefined ? { summary: e.summary } : undefined;
}

/**
 * The selected row in full: the message's header fields and its decoded
 * payload (AMF command arguments or control fields) as a readable tree; for
 * a run, its extent.
 */
export function TimelineDetail({ row, entries, dropped }: { row: Row | null; entries: readonly TimelineEntry[]; dropped: number }) {
  let body;
  if (!row) {
    body = <p className="tl-detail-empty">Select a message to see its decoded payload.</p>;
  } else if (row.type === 'run') {
    const first = entries[row.first - dropped];
    const last = entries[row.last - dropped];
    body = (
      <>
        <h3 className="tl-detail-title">Media run</h3>
        <JsonView
          value={{ from: first?.seq, to: last?.seq, video: row.video, audio: row.audio, bytes: formatBytes(row.bytes), start: formatElapsedClock(row.fromMs), end: formatElapsedClock(row.toMs) }}
          label="Run"
        />
      </>
    );
  } else {
    const e = entries[row.abs - dropped];
    const payload = e && payloadOf(e);
    body = e && (
      <>
        <h3 className="tl-detail-title">
          #{e.seq} {ARROW[e.direction]} {e.command?.name ?? e.typeName}
        </h3>
        <dl className="tl-fields">
          <dt>direction</dt>
          <dd>{e.direction === 'in' ? 'in (from client)' : 'out (to client)'}</dd>
          <dt>time</dt>
          <dd>{formatElapsedClock(e.atMs)}</dd>
          <dt>type</dt>
          <dd>
            {e.typeName} ({e.typeId})
          </dd>
          <dt>csid / stream</dt>
          <dd>
            {e.csid} / {e.streamId}
          </dd>
          <dt>timestamp</dt>
          <dd>{e.timestamp}</dd>
          <dt>length</dt>
          <dd>{e.length} B</dd>
          {e.chunks !== undefined && (
            <>
              <dt>chunks</dt>
              <dd data-testid="timeline-detail-chunks">
                {e.chunks} (format {(e.chunkFormats ?? []).join(', ')})
              </dd>
            </>
          )}
        </dl>
        {payload !== undefined && <JsonView value={payload} label="Payload" amf={e.command !== undefined} />}
      </>
    );
  }
  return (
    <aside className="tl-detail" data-testid="timeline-detail" aria-label="Message detail">
      {body}
    </aside>
  );
}
