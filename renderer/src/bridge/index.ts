import type { IntakeApi } from '../../../app/contract/index.js';
import { HostError, WsClient, defaultWsUrl } from './ws-client.js';
import { takeEarlyLink } from './early-link.js';

declare global {
  interface Window {
    /** Exposed by Electron's preload; absent in a plain browser. */
    intake?: IntakeApi;
  }
}

/**
 * The host the UI talks to: Electron's preload object when there is one,
 * otherwise the WebSocket of the `intake serve` that served this page. The
 * token (browser mode beyond loopback) comes from the page's `?token=`.
 */
export function connectToHost(win: Window = window): IntakeApi {
  if (win.intake) return withHostErrors(win.intake);
  const token = new URLSearchParams(win.location.search).get('token');
  // The socket renderer/early-link.js opened as the page began, if it is still usable (early-link.ts).
  return new WsClient({ url: defaultWsUrl(win.location), token, early: takeEarlyLink(win) });
}

/**
 * Electron's contextBridge rebuilds a thrown Error from its message alone,
 * so the preload rejects with a plain {name: 'HostError', code, message};
 * make it the same HostError the WebSocket client throws.
 */
export function withHostErrors(api: IntakeApi): IntakeApi {
  const followLink = api.followLink?.bind(api);
  return {
    transport: api.transport,
    on: (name, listener) => api.on(name, listener),
    ...(followLink ? { followLink } : {}),
    request: (name, arg) =>
      api.request(name, arg).catch((err: unknown) => {
        const e = err as { code?: unknown; message?: unknown } | null;
        if (e && typeof e === 'object' && typeof e.code === 'string') throw new HostError(e.code, String(e.message ?? e.code));
        throw err;
      }),
  };
}
