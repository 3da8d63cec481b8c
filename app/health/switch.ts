/**
 * The analyser's off switch, for measuring what it costs (bench: `npm run
 * bench -- --only ingest` with INTAKE_HEALTH=off against the default). Read
 * once, at load: nothing per frame.
 */
export const HEALTH_ENABLED: boolean = process.env.INTAKE_HEALTH !== 'off';
