/**
 * The engine's public entry for hosts (Electron's `main/`, scripts): what a
 * host needs to run Intake, and nothing of the protocol's insides. The
 * renderer imports only `app/contract/`.
 */
export * from './contract/index.js';
export { Engine, type EngineOptions } from './engine.js';
export { IntakeService, type ServiceOptions } from './host/service.js';
export type { UiClient, UiSink } from './host/session-host.js';
export { TRUSTED_GRANTS, type SessionGrants } from './host/record-folders.js';
export { defaultSettings, loadSettings, saveSettings } from './host/settings.js';
export { UiError, toWireError } from './host/ui-error.js';
export { keepYoungGenerationSmall } from './util/gc.js';
