import { useEffect, useRef, useState } from 'react';
import type { AppSettings } from '../../../app/contract/index.js';
import { useHost, useIntake, useStoreApi } from '../context.js';
import { selectCanOpenFolder, selectSettings, selectStatus } from '../store/selectors.js';
import { parsePort } from './port-field.js';

const LOOPBACK = '127.0.0.1';

/** The fields that differ from the current settings (what `set-settings` needs). */
export function settingsPatch(cur: AppSettings, draft: AppSettings): Partial<AppSettings> {
  const patch: Partial<AppSettings> = {};
  if (draft.host !== cur.host) patch.host = draft.host;
  if (draft.port !== cur.port) patch.port = draft.port;
  if (draft.recordDir !== cur.recordDir) patch.recordDir = draft.recordDir;
  return patch;
}

/** What the dialog edits: the settings, with the port as typed. */
type Draft = Omit<AppSettings, 'port'> & { portText: string };

/**
 * Listener address and port, and the recording folder, in a modal <dialog>.
 * Listening beyond loopback is an explicit choice with its warning. Each
 * field says beside it why it cannot be applied: a port that is not one, a
 * folder the host refused (checked when chosen, not at the first Record).
 */
export function SettingsDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const api = useHost();
  const store = useStoreApi();
  const settings = useIntake(selectSettings);
  const status = useIntake(selectStatus);
  const canPick = useIntake(selectCanOpenFolder);
  const ref = useRef<HTMLDialogElement>(null);
  const [draft, setDraft] = useState<Draft | null>(null);
  const [failure, setFailure] = useState<string | null>(null);
  const [folderError, setFolderError] = useState<{ dir: string; message: string } | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal?.();
    if (!open && d.open) d.close?.();
  }, [open]);

  const cur: Draft | null = draft ?? (settings ? { ...settings, portText: String(settings.port) } : null);
  const port = cur ? parsePort(cur.portText) : null;
  // The host's own word on the folder: refused when set here, or unusable since start.
  const folderProblem =
    cur && folderError?.dir === cur.recordDir ? folderError.message : cur && settings && cur.recordDir === settings.recordDir ? (status?.recordDirError?.message ?? null) : null;

  const close = (): void => {
    setDraft(null);
    setFailure(null);
    setFolderError(null);
    onClose();
  };
  const edit = (patch: Partial<Draft>): void => {
    if (cur) setDraft({ ...cur, ...patch });
  };
  const pick = (): void => {
    api
      .request('choose-folder', undefined)
      .then((r) => r.path && edit({ recordDir: r.path }))
      .catch((err: Error) => setFailure(err.message));
  };
  const apply = async (): Promise<void> => {
    if (!settings || !cur || !port || !('port' in port)) return;
    const { portText: _t, ...rest } = cur;
    const patch = settingsPatch(settings, { ...rest, port: port.port });
    if (Object.keys(patch).length === 0) return close();
    setBusy(true);
    setFailure(null);
    try {
      // The folder first, on its own: its refusal belongs beside its field.
      if (patch.recordDir !== undefined) {
        const dir = patch.recordDir;
        delete patch.recordDir;
        try {
          store.getState().setSettings((await api.request('set-settings', { recordDir: dir })).settings);
        } catch (err) {
          setFolderError({ dir, message: (err as Error).message });
          return;
        }
      }
      if (Object.keys(patch).length > 0) {
        const res = await api.request('set-settings', patch);
        store.getState().setSettings(res.settings);
        store.getState().setStatus(res.status);
        if (res.status.state === 'error') return setFailure(res.status.error?.message ?? 'the listener did not start');
      }
      close();
    } catch (err) {
      setFailure((err as Error).message);
    } finally {
      setBusy(false);
    }
  };

  return (
    <dialog ref={ref} className="dialog" onClose={close} aria-label="Settings">
      {open && cur ? (
        <form method="dialog" onSubmit={(e) => (e.preventDefault(), void apply())}>
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
            <input
              className="input num"
              data-testid="settings-port"
              inputMode="numeric"
              aria-invalid={'problem' in port! ? true : undefined}
              aria-describedby={'problem' in port! ? 'settings-port-problem' : undefined}
              value={cur.portText}
              onChange={(e) => edit({ portText: e.currentTarget.value })}
            />
          </label>
          {'problem' in port! ? (
            <p className="err small field-note" id="settings-port-problem" data-testid="settings-port-problem" role="alert">
              {port.problem}
            </p>
          ) : null}
          <label className="field">
            <span>Recording folder</span>
            <span className="field-row">
              <input
                className="input mono"
                data-testid="settings-record-dir"
                aria-invalid={folderProblem ? true : undefined}
                aria-describedby={folderProblem ? 'settings-folder-problem' : undefined}
                value={cur.recordDir}
                onChange={(e) => edit({ recordDir: e.currentTarget.value })}
              />
              {canPick ? (
                <button type="button" className="btn" data-testid="settings-choose-folder" onClick={pick}>
                  Choose…
                </button>
              ) : null}
            </span>
          </label>
          {folderProblem ? (
            <p className="err small field-note" id="settings-folder-problem" data-testid="settings-folder-problem" role="alert">
              {folderProblem}
            </p>
          ) : null}
          {status?.draining ? (
            <p className="small" data-testid="settings-draining">
              {status.draining.liveStreams === 1 ? '1 live stream stays' : `${status.draining.liveStreams} live streams stay`} on port {status.draining.port} until{' '}
              {status.draining.liveStreams === 1 ? 'it ends' : 'they end'}; new publishers use port {status.port}.
            </p>
          ) : null}
          {failure ? <p className="err small">{failure}</p> : null}
          <div className="dialog-actions">
            <button type="button" className="btn" onClick={close}>Cancel</button>
            <button type="submit" className="btn btn-primary" data-testid="settings-apply" disabled={busy || 'problem' in port!}>Apply</button>
          </div>
        </form>
      ) : null}
    </dialog>
  );
}
