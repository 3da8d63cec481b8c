import { useShallow } from 'zustand/react/shallow';
import { useIntake } from '../context.js';
import type { IntakeState } from '../store/store.js';

/** One option per connection, as strings so that `useShallow` can compare the list. */
const choices = (s: IntakeState): string[] =>
  s.connectionIds
    .filter((id) => s.connections[id])
    .map((id) => {
      const c = s.connections[id];
      const refused = c.steps.some((x) => x.id === 'publish' && x.state === 'failed');
      const state = c.closed ? (c.closed.error ? 'failed' : refused ? 'refused, closed' : 'closed') : refused ? 'refused' : c.steps.some((x) => x.id === 'streaming') ? 'streaming' : 'open';
      return `${id}\t#${id} ${c.info.remoteAddress}:${c.info.remotePort} · ${state}`;
    });

/**
 * When the protocol and timeline show another connection than the stream
 * the preview and capture show (a connection that published nothing was
 * picked), the words that say so; null when they agree.
 */
export function otherStreamNote(s: Pick<IntakeState, 'selectedPath' | 'streams' | 'ended'>, shown: number | null): string | null {
  const path = s.selectedPath;
  if (shown === null || path === null) return null;
  const of = s.streams[path]?.connectionId ?? s.ended[path]?.connectionId;
  if (of === undefined || of === shown) return null;
  return `#${shown} published no stream; preview and capture show ${path} (#${of})`;
}

/**
 * Which connection the protocol flow and timeline show, when there is more
 * than one: id, remote address and state. Picking one selects it in the
 * store, with its stream if it published one, so every panel moves
 * together; if the panels still disagree, it says so.
 */
export function ConnectionPicker({ shown }: { shown: number | null }) {
  const list = useIntake(useShallow(choices));
  const select = useIntake((s) => s.selectConnection);
  const note = useIntake((s) => otherStreamNote(s, shown));
  return (
    <>
      {list.length < 2 ? null : (
        <select className="pf-picker" data-testid="protocol-connection" aria-label="Connection" value={shown ?? ''} onChange={(e) => select(Number(e.target.value))}>
          {list.map((c) => {
            const [id, text] = c.split('\t');
            return (
              <option key={id} value={id}>
                {text}
              </option>
            );
          })}
        </select>
      )}
      {note ? (
        <span className="pf-other-stream" data-testid="protocol-other-stream" role="status">
          {note}
        </span>
      ) : null}
    </>
  );
}
