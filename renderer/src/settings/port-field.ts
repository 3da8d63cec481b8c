/**
 * The RTMP port as typed in Settings: the text the user sees, checked, with
 * the reason beside the field when it is not a port. Why text and not a
 * number: `Number('abc') || 0` once turned "abc" into 0, and 70000 or -5
 * only disabled Apply without a word.
 */

/** The lowest and highest port the field accepts (0, "any free port", is for the CLI). */
export const PORT_RANGE = { min: 1, max: 65535 } as const;

/** The port `text` names, or why it names none. */
export function parsePort(text: string): { port: number } | { problem: string } {
  const t = text.trim();
  if (t === '') return { problem: `Enter a port number from ${PORT_RANGE.min} to ${PORT_RANGE.max}.` };
  if (!/^\d+$/.test(t)) return { problem: `“${t.length > 12 ? `${t.slice(0, 12)}…` : t}” is not a port: use a whole number from ${PORT_RANGE.min} to ${PORT_RANGE.max}.` };
  const n = Number(t);
  if (n < PORT_RANGE.min || n > PORT_RANGE.max) return { problem: `${n > 99_999_999 ? `${t.slice(0, 8)}…` : n} is out of range: ports go from ${PORT_RANGE.min} to ${PORT_RANGE.max}.` };
  return { port: n };
}
