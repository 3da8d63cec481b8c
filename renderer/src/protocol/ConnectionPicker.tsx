import { useShallow } from 'zustand/react/shallow';
import { useIntake } from '../context.js';
import type { IntakeState } from '../store/store.js';

/** One option per connection, as strings so that `useShallow` can compare the list. */
const choices = (s: IntakeState): string[] =>
  s.connectionIds
    .filter((id) => s.connections[id])
    .map((id) => {
      const c = s.connections[id];
      const state = c.closed ? (c.closed.error ? 'failed' : 'closed') : c.steps.some((x) => x.id === 'streaming') ? 'streaming' : 'open';
      return `${id}\t#${id} ${c.info.remoteAddress}:${c.info.remotePort} · ${state}`;
    });

/**
 * Which connection the protocol flow and timeline show, when there is more
 * than one: id, remote address and state. Picking one selects it in the
 * store, so both panels move together.
 */
export function ConnectionPicker({ shown }: { shown: number | null }) {
  const list = useIntake(useShallow(choices));
  const select = useIntake((s) => s.selectConnection);
  if (list.length < 2) return null;
  return (
    <select
      className="pf-picker"
      data-testid="protocol-connection"
      aria-label="Connection"
      value={shown ?? ''}
      onChange={(e) => select(Number(e.target.value))}
    >
      {list.map((c) => {
        const [id, text] = c.split('\t');
        return (
          <option key={id} value={id}>
            {text}
          </option>
        );
      })}
    </select>
  );
}
