import './json-view.css';

/** How many levels open by default; deeper containers start folded. */
const OPEN_DEPTH = 3;
/** Children shown per container; a huge array (a byte dump) is cut with a count. */
const MAX_CHILDREN = 200;

function Scalar({ value }: { value: unknown }) {
  if (typeof value === 'string') return <span className="jv-str">{JSON.stringify(value)}</span>;
  if (typeof value === 'number') return <span className="jv-num">{String(value)}</span>;
  if (typeof value === 'boolean') return <span className="jv-bool">{String(value)}</span>;
  if (value === null || value === undefined) return <span className="jv-null">{value === null ? 'null' : 'undefined'}</span>;
  return <span className="jv-str">{String(value)}</span>;
}

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null && !(value instanceof Date);
}

function Node({ name, value, depth }: { name?: string; value: unknown; depth: number }) {
  const key = name !== undefined ? <span className="jv-key">{name}: </span> : null;
  if (!isContainer(value)) {
    return (
      <div className="jv-line">
        {key}
        <Scalar value={value instanceof Date ? value.toISOString() : value} />
      </div>
    );
  }
  const isArray = Array.isArray(value);
  const entries = isArray ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) {
    return (
      <div className="jv-line">
        {key}
        <span className="jv-punct">{open + close}</span>
      </div>
    );
  }
  return (
    <details className="jv-node" open={depth < OPEN_DEPTH}>
      <summary className="jv-line">
        {key}
        <span className="jv-punct">{open}</span>
        <span className="jv-count">{isArray ? `${entries.length} items` : `${entries.length} keys`}</span>
        <span className="jv-punct jv-fold-close">{close}</span>
      </summary>
      <div className="jv-children">
        {entries.slice(0, MAX_CHILDREN).map(([k, v]) => (
          <Node key={k} name={k} value={v} depth={depth + 1} />
        ))}
        {entries.length > MAX_CHILDREN && <div className="jv-line jv-count">… {entries.length - MAX_CHILDREN} more</div>}
      </div>
    </details>
  );
}

/**
 * A decoded payload (AMF command arguments, control fields, step details) as
 * a foldable tree: keys, typed scalars, containers open to a few levels. It
 * reads like the JSON it exports to, but long objects can be folded.
 */
export function JsonView({ value, label }: { value: unknown; label?: string }) {
  // The outer braces say nothing: a container's members are listed at the top level.
  const members = isContainer(value) ? (Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value)) : null;
  return (
    <div className="json-view" role="tree" aria-label={label}>
      {members && members.length > 0 ? members.map(([k, v]) => <Node key={k} name={k} value={v} depth={1} />) : <Node value={value} depth={0} />}
    </div>
  );
}
