import { useEffect, useLayoutEffect, useRef } from 'react';
import type { StreamStats } from '../../../app/contract/index.js';
import { NONE, formatCount } from '../util/format.js';
import { onEachFrame, playerReadout } from '../preview/player-readout.js';
import { setListItems, setText } from '../util/set-text.js';
import { previewFunnel, wholeStreamReceived } from '../preview/preview-funnel.js';
import { useIntake } from '../context.js';
import { selectSelectedStream } from '../store/selectors.js';

/** What each stage means, shown as its tooltip. */
const EXPLAIN = {
  received: 'Coded video frames of this stream whose RTMP message Intake reassembled completely, since the publisher started.',
  recorded: 'Of those, frames written to the recording file (only while recording).',
  previewReceived: 'Frames of this stream since the preview began: from the keyframe it started on (the cached GOP) to now.',
  forwarded: 'Of those, frames Intake sent to this page. The rest it skipped to the next keyframe while the page fell behind.',
  decoded: 'Of those, frames the player decoded for the screen.',
  dropped: 'Frames the player threw away to stay live (decoder behind, or the tab hidden).',
} as const;

function Step({ label, title, testId, value, valueRef }: { label: string; title: string; testId: string; value?: string; valueRef?: React.Ref<HTMLSpanElement> }) {
  return (
    <div className="funnel-step" title={title}>
      <dt>{label}</dt>
      <dd className="num">
        <span data-testid={testId} ref={valueRef}>
          {value}
        </span>
      </dd>
    </div>
  );
}

/**
 * Where the received video frames went, in two groups that are never mixed:
 * the whole stream (received and recorded, from the stats batches) and this
 * page's preview session (received since it began → forwarded → decoded,
 * dropped), all four from one snapshot of the player per animation frame,
 * so received ≥ forwarded ≥ decoded + dropped whenever a user looks; the
 * whole stream's received is never shown below the preview's (see
 * wholeStreamReceived). Each
 * stage explains itself in a tooltip, and each difference in a sentence.
 */
export function Funnel({ path, stats }: { path: string | null; stats: StreamStats | undefined }) {
  const streamStartedAt = useIntake(selectSelectedStream)?.startedAt;
  const wholeRef = useRef<HTMLSpanElement>(null);
  const statsReceived = useRef<number | null>(null);
  const received = stats?.video.received ?? null;
  const receivedRef = useRef<HTMLSpanElement>(null);
  const forwardedRef = useRef<HTMLSpanElement>(null);
  const decodedRef = useRef<HTMLSpanElement>(null);
  const droppedRef = useRef<HTMLSpanElement>(null);
  const notesRef = useRef<HTMLUListElement>(null);
  const summaryRef = useRef<HTMLElement>(null);
  // The whole stream's figure as soon as new stats render, and then with the preview's on every frame.
  useLayoutEffect(() => {
    statsReceived.current = received;
    if (wholeRef.current) setText(wholeRef.current, formatCount(wholeStreamReceived(received, previewFunnel(playerReadout, path, streamStartedAt))));
  }, [received, path, streamStartedAt]);
  useEffect(() => {
    let last = '';
    return onEachFrame(() => {
      const f = previewFunnel(playerReadout, path, streamStartedAt);
      const values = [f?.received, f?.forwarded, f?.decoded, f?.dropped, wholeStreamReceived(statsReceived.current, f)].map((n) => formatCount(n ?? null));
      const notes = f?.notes ?? [];
      const key = values.join('|') + notes.join('|');
      if (key === last) return;
      last = key;
      [receivedRef, forwardedRef, decodedRef, droppedRef, wholeRef].forEach((r, i) => r.current && setText(r.current, values[i]));
      const ul = notesRef.current;
      if (ul) setListItems(ul, notes);
      const summary = summaryRef.current;
      if (summary) setText(summary, notes.length ? `why the figures differ (${notes.length})` : 'the figures agree');
    });
  }, [path, streamStartedAt]);

  return (
    <div className="funnel">
      <dl className="funnel-group" aria-label="Whole stream">
        <div className="funnel-step funnel-pair">
          <dt className="funnel-head">whole stream</dt>
          <dd className="num">
            <span title={EXPLAIN.received}>
              received <span data-testid="funnel-received" ref={wholeRef} />
            </span>
            <span title={EXPLAIN.recorded}>
              recorded <span data-testid="funnel-recorded">{formatCount(stats?.recordedVideoFrames)}</span>
            </span>
          </dd>
        </div>
      </dl>
      <dl className="funnel-group" aria-label="This preview">
        <div className="funnel-head">this preview</div>
        <Step label="received since it began" title={EXPLAIN.previewReceived} testId="funnel-preview-received" valueRef={receivedRef} value={NONE} />
        <Step label="forwarded to this page" title={EXPLAIN.forwarded} testId="funnel-forwarded" valueRef={forwardedRef} value={NONE} />
        <div className="funnel-step" title={`${EXPLAIN.decoded} ${EXPLAIN.dropped}`}>
          <dt>decoded by player</dt>
          <dd className="num">
            <span data-testid="funnel-decoded" ref={decodedRef}>
              {NONE}
            </span>
            <span className="funnel-dropped">
              dropped <span data-testid="funnel-dropped" ref={droppedRef}>{NONE}</span>
            </span>
          </dd>
        </div>
      </dl>
      {/* A real expander: closed, it keeps the panel short; the sentences are in the DOM either way. */}
      <details className="funnel-why">
        <summary ref={summaryRef} data-testid="funnel-why">the figures agree</summary>
        <ul className="funnel-notes" ref={notesRef} data-testid="funnel-notes" />
      </details>
    </div>
  );
}
