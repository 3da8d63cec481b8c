/**
 * `K=V,K2=V2` (a bench option such as `--b-env INTAKE_HEALTH=off`) as an
 * object of environment variables for a child process.
 */
export function envOf(s: string, option: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of s.split(',').filter(Boolean)) {
    const i = kv.indexOf('=');
    if (i < 1) throw new Error(`${option} takes K=V[,K=V], not ${kv}`);
    out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}
