/**
 * RESULTS.md holds sections from several runs: the main bench's tables
 * (ingest, fan-in, in-process), the soak's and the latency's (each between
 * its own markers), and notes written by hand next to them (what a change
 * cost, measured with a narrower command). A run replaces its own section
 * and leaves the rest of the file as it was.
 */

export const MAIN_START = '<!-- main:start -->';
export const MAIN_END = '<!-- main:end -->';

/** Where an unmarked (older) file's generated part ends: the first section another run or a person wrote. */
const LEGACY_ENDS = ['\n## Stream health analyser', '\n<!-- soak:', '\n<!-- latency:', '\n## Ingest cost work', '\n## Recording format'];

/** `doc` with the main bench's section replaced by `text` (marked), everything else kept in place. */
export function withMainSection(doc: string, text: string): string {
  const block = `${MAIN_START}\n${text.replace(/\n*$/, '\n')}${MAIN_END}\n`;
  const a = doc.indexOf(MAIN_START);
  const b = doc.indexOf(MAIN_END);
  if (a >= 0 && b > a) return doc.slice(0, a) + block + doc.slice(b + MAIN_END.length).replace(/^\n/, '');
  // No markers yet: the generated part is the file's beginning, up to the first section of another origin.
  const ends = LEGACY_ENDS.map((m) => doc.indexOf(m)).filter((i) => i >= 0);
  const cut = ends.length ? Math.min(...ends) + 1 : doc.length;
  const rest = doc.slice(cut);
  return rest ? `${block}\n${rest}` : block;
}
