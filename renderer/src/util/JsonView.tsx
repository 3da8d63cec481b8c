import { amfTag, amfTypeName } from '../../../app/contract/amf-types.js';
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

/** A tagged AMF scalar (undefined, Date, ByteArray, a non-finite number) as it reads. */
function TaggedScalar({ tag, value }: { tag: string; value: Record<string, unknown> }) {
  switch (tag) {
    case 'undefined':
      return <span className="jv-null">undefined</span>;
    case 'number':
      return <span className="jv-num">{String(value.value)}</span>;
    case 'date':
      return <span className="jv-str">{String(value.value)}</span>;
    case 'byte-array':
      return <span className="jv-str">{`${String(value.bytes)} bytes ${String(value.hex)}`}</span>;
    default:
      return <span className="jv-null">{tag}</span>;
  }
}

/** Tags whose members are in `value`: shown as containers. */
const CONTAINER_TAGS = new Set(['ecma-array', 'typed-object', 'object']);

function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  return typeof value === 'object' && value !== null && !(value instanceof Date);
}

/** A container's members, a tagged one's from its `value`. */
function membersOf(value: Record<string, unknown> | unknown[]): (readonly [string, unknown])[] {
  if (Array.isArray(value)) return value.map((v, i) => [String(i), v] as const);
  const tag = amfTag(value);
  const inner = tag !== undefined && CONTAINER_TAGS.has(tag) ? value.value : value;
  return isContainer(inner) ? Object.entries(inner) : [];
}

function TypeBadge({ value, amf }: { value: unknown; amf: boolean }) {
  return amf ? <span className="jv-type">{amfTypeName(value)}</span> : null;
}

function Node({ name, value, depth, amf }: { name?: string; value: unknown; depth: number; amf: boolean }) {
  const key = name !== undefined ? <span className="jv-key">{name}: </span> : null;
  const tag = amfTag(value);
  if (tag !== undefined && !CONTAINER_TAGS.has(tag)) {
    return (
      <div className="jv-line">
        {key}
        <TypeBadge value={value} amf={amf} />
        <TaggedScalar tag={tag} value={value as Record<string, unknown>} />
      </div>
    );
  }
  if (!isContainer(value)) {
    return (
      <div className="jv-line">
        {key}
        <TypeBadge value={value} amf={amf} />
        <Scalar value={value instanceof Date ? value.toISOString() : value} />
      </div>
    );
  }
  const isArray = Array.isArray(value);
  const entries = membersOf(value);
  const [open, close] = isArray ? ['[', ']'] : ['{', '}'];
  if (entries.length === 0) {
    return (
      <div className="jv-line">
        {key}
        <TypeBadge value={value} amf={amf} />
        <span className="jv-punct">{open + close}</span>
      </div>
    );
  }
  return (
    <details className="jv-node" open={depth < OPEN_DEPTH}>
      <summary className="jv-line">
        {key}
        <TypeBadge value={value} amf={amf} />
        <span className="jv-punct">{open}</span>
        <span className="jv-count">{isArray ? `${entries.length} items` : `${entries.length} keys`}</span>
        <span className="jv-punct jv-fold-close">{close}</span>
      </summary>
      <div className="jv-children">
        {entries.slice(0, MAX_CHILDREN).map(([k, v]) => (
          <Node key={k} name={k} value={v} depth={depth + 1} amf={amf} />
        ))}
        {entries.length > MAX_CHILDREN && <div className="jv-line jv-count">… {entries.length - MAX_CHILDREN} more</div>}
      </div>
    </details>
  );
}

/**
 * A decoded payload (AMF command arguments, control fields, step details) as
 * a foldable tree: keys, typed scalars, containers open to a few levels. It
 * reads like the JSON it exports to, but long objects can be folded. Typed
 * AMF values (`$amf` tags) show what they stand for: `undefined`, an ECMA
 * array's members; with `amf`, every value also shows its AMF type
 * ("Number", "ECMA array"), as Wireshark lists them.
 */
export function JsonView({ value, label, amf = false }: { value: unknown; label?: string; amf?: boolean }) {
  // The outer braces say nothing: a container's members are listed at the top level.
  const members = isContainer(value) && amfTag(value) === undefined ? membersOf(value) : null;
  return (
    <div className="json-view" role="tree" aria-label={label}>
      {members && members.length > 0 ? members.map(([k, v]) => <Node key={k} name={k} value={v} depth={1} amf={amf} />) : <Node value={value} depth={0} amf={amf} />}
    </div>
  );
}
