import { useState } from 'react';
import { useHost, useIntake, useStoreApi } from '../context.js';
import { selectStatus } from '../store/selectors.js';

/**
 * The listener could not start (port in use, no permission): the reason,
 * and a port field whose Apply restarts the listener through `set-settings`.
 */
export function PortError() {
  const api = useHost();
  const store = useStoreApi();
  const status = useIntake(selectStatus);
  const [port, setPort] = useState<string>('');
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<string | null>(null);
  if (!status || status.state !== 'error') return null;
  const value = port === '' ? String(status.port) : port;
  const n = Number(value);
  const valid = Number.isInteger(n) && n > 0 && n < 65536;

  const apply = (): void => {
    if (!valid) return;
    setBusy(true);
    setFailure(null);
    api
      .request('set-settings', { port: n })
      .then((res) => {
        store.getState().setSettings(res.settings);
        store.getState().setStatus(res.status);
        if (res.status.state === 'error') setFailure(res.status.error?.message ?? 'still not listening');
        setPort('');
      })
      .catch((err: Error) => setFailure(err.message))
      .finally(() => setBusy(false));
  };

  return (
    <div className="port-error" data-testid="port-error" role="alert">
      <h3>Not listening</h3>
      <p>{status.error ? <strong>{status.error.message}</strong> : `Intake could not listen on ${status.host}:${status.port}.`}</p>
      <p className="muted small">Another RTMP server (OBS’s own, nginx-rtmp, MediaMTX) may hold the port. Pick another:</p>
      <form
        className="port-form"
        onSubmit={(e) => {
          e.preventDefault();
          apply();
        }}
      >
        <label>
          Port{' '}
          <input data-testid="port-input" className="input num" inputMode="numeric" value={value} onChange={(e) => setPort(e.currentTarget.value)} aria-invalid={!valid} />
        </label>
        <button type="submit" className="btn btn-primary" data-testid="port-apply" disabled={!valid || busy}>
          Apply
        </button>
      </form>
      {failure ? <p className="err small">{failure}</p> : null}
    </div>
  );
}
