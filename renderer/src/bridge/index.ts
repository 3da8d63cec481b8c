import type { IntakeApi } from '../../../app/ui/contract.js';
import { WsClient, defaultWsUrl } from './ws-client.js';

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
  if (win.intake) return win.intake;
  const token = new URLSearchParams(win.location.search).get('token');
  return new WsClient({ url: defaultWsUrl(win.location), token });
}
