/**
 * App-wide guards, installed once from onReady before any window exists, so
 * they also cover webContents nobody planned for (Electron's security
 * checklist): no <webview>, no new windows, no permission but the two the
 * UI uses, and a Content-Security-Policy header behind the page's meta tag.
 */
import { app, session, type Session, type WebContents } from 'electron';

/**
 * The page's policy in Electron. The same as the <meta> in
 * renderer/index.html, except that connect-src drops ws:/wss:, which only the
 * browser mode needs. Both apply: a page gets the intersection.
 */
export const ELECTRON_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "media-src 'self' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self'",
  "font-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'",
].join('; ');

/** Permissions the UI may have: copying the publish URL and key, and the preview's fullscreen button. */
export const ALLOWED_PERMISSIONS: readonly string[] = ['clipboard-sanitized-write', 'fullscreen'];

/** Deny <webview> and every new window for any webContents the app ever creates. */
export function guardAllWebContents(): void {
  app.on('web-contents-created', (_event, contents: WebContents) => {
    contents.on('will-attach-webview', (event) => {
      event.preventDefault();
      console.warn('intake: refused to attach a <webview>');
    });
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
  });
}

/**
 * Answer permission checks and requests: ALLOWED_PERMISSIONS only, and only
 * for the main frame of a file:// page (ours: navigation elsewhere is blocked).
 */
export function restrictPermissions(ses: Session = session.defaultSession): void {
  const allowed = (permission: string, url: string | undefined, isMainFrame: boolean): boolean =>
    ALLOWED_PERMISSIONS.includes(permission) && isMainFrame && typeof url === 'string' && url.startsWith('file://');
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    const ok = allowed(permission, details.requestingUrl, details.isMainFrame);
    if (!ok) console.warn(`intake: denied the '${permission}' permission to ${details.requestingUrl}`);
    callback(ok);
  });
  ses.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    allowed(permission, details.requestingUrl ?? requestingOrigin, details.isMainFrame),
  );
}

/**
 * Add ELECTRON_CSP as a response header. A second line only: Chromium does not
 * report file:// responses to onHeadersReceived, so for our own page the
 * <meta> tag is what applies; this covers any http(s) response that might
 * ever reach a frame.
 */
export function addCspHeader(ses: Session = session.defaultSession): void {
  ses.webRequest.onHeadersReceived((details, callback) => {
    // Policies add up (each must allow a load), so one the response had is kept beside ours.
    const headers: Record<string, string | string[]> = { ...details.responseHeaders };
    const key = Object.keys(headers).find((k) => k.toLowerCase() === 'content-security-policy') ?? 'Content-Security-Policy';
    headers[key] = [...[headers[key] ?? []].flat(), ELECTRON_CSP];
    callback({ responseHeaders: headers });
  });
}

/** Install every app-wide guard; called once from onReady. */
export function setupSecurity(): void {
  guardAllWebContents();
  restrictPermissions();
  addCspHeader();
}
