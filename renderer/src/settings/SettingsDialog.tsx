import { useEffect, useRef, useState } from 'react';
import type { AppSettings } from '../../../app/contract/index.js';
import { useHost, useIntake, useStoreApi } from '../context.js';
import { selectSettings } from '../store/selectors.js';

const LOOPBACK = '127.0.0.1';

/** The fields that differ from the current settings (what `set-settings` needs). */
export function settingsPatch(cur: AppSettings, draft: AppSettings): Partial<AppSettings> {
  const patch: Partial<AppSettings> = {};
  if (draft.host !== cur.host) patch.host = draft.host;
  if (draft.port !== cur.port) patch.port = draft.port;
  if (draft.recordDir !== cur.recordDir) patch.recordDir = draft.recordDir;
  return patch;
}

/**
 * Listener address and port, and the recording folder, in a modal <dialog>.
 * Listening beyond loopback is an explicit choice with its warning.
 */
export function SettingsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const api = useHost();
  const store = useStoreApi();
  const settings = useIntake(selectSettings);
  const ref = useRef<HTMLDialogElement>(null);
  const [draft, setDraft] = useState<AppSettings | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal?.();
    if (!open && d.open) d.close?.();
  }, [open]);

  const cur = draft ?? settings;
  const close = (): void => {
    setDraft(null);
    setFailure(null);
    onClose();
  };
  const edit = (patch: Partial<AppSettings>): void => {
    if (cur) setDraft({ ...cur, ...patch });
  };
  const apply = (): void => {
    if (!settings || !cur) return;
    const patch = settingsPatch(settings, cur);
    if (Object.keys(patch).length === 0) return close();
    setBusy(true);
    api
      .request('set-settings', patch)
      .then((res) => {
        store.getState().setSettings(res.settings);
        store.getState().setStatus(res.status);
        if (res.status.state === 'error') setFailure(res.status.error?.message ?? 'the listener did not start');
        else close();
      })
      .catch((err: Error) => setFailure(err.message))
      .finally(() => setBusy(false));
  };

  return (
    <dialog ref={ref} className="dialog" onClose={close} aria-label="Settings">
      {open && cur ? (
        <form method="dialog" onSubmit={(e) => (e.preventDefault(), apply())}>
          <h2>Settings</h2>
          <label className="field">
            <span>Listen on</span>
            <select className="input" value={cur.host === LOOPBACK ? LOOPBACK : '0.0.0.0'} onChange={(e) => edit({ host: e.currentTarget.value })}>
              <option value={LOOPBACK}>This computer only (127.0.0.1)</option>
              <option value="0.0.0.0">The network (0.0.0.0)</option>
            </select>
          </label>
          {cur.host !== LOOPBACK ? <p className="warn small">Anyone on the network can publish to Intake, and the browser view asks for its token.</p> : null}
          <label className="field">
            <span>RTMP port</span>
            <input className="input num" data-testid="settings-port" inputMode="numeric" value={String(cur.port)} onChange={(e) => edit({ port: Number(e.currentTarget.value) || 0 })} />
          </label>
          <label className="field">
            <span>Recording folder</span>
            <input className="input mono" data-testid="settings-record-dir" value={cur.recordDir} onChange={(e) => edit({ recordDir: e.currentTarget.value })} />
          </label>
          {failure ? <p className="err small">{failure}</p> : null}
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={close}>Cancel</button>
            <button type="submit" className="btn btn-primary" data-testid="settings-apply" disabled={busy || !(cur.port > 0 && cur.port < 65536)}>Apply</button>
          </div>
        </form>
      ) : null}
    </dialog>
  );
}
