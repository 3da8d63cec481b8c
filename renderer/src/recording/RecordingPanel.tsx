import { useMemo, useState } from 'react';
import { DEFAULT_RECORD_FORMAT, RECORD_FORMATS, type RecordFormat, type RecordingInfo } from '../../../app/contract/index.js';
import { useHost, useIntake, useStoreApi } from '../context.js';
import { NONE, formatBytes, formatCount, formatDuration } from '../util/format.js';
import { recordingFor, selectAutoRecord, selectCanOpenFolder, selectSelectedPath, selectSelectedStream, selectSettings } from '../store/selectors.js';

const STATE_LABEL = { recording: 'Recording', finished: 'Saved', failed: 'Failed' } as const;
/** Why each container: shown as the select's tooltip. */
const FORMAT_HINT = 'MP4 opens everywhere and survives a crash (fragmented); MKV too; FLV is the stream as received (track 0 only)';

/** The recording's own bitrate (its bytes over its own duration), or NONE. */
function bitrate(rec: RecordingInfo | undefined): string {
  if (!rec || rec.durationMs < 500) return NONE;
  return `${((rec.bytes * 8) / rec.durationMs / 1000).toFixed(2)} Mbit/s`;
}

/**
 * Recording of the selected stream: start / stop, the file's path, size,
 * duration and frames while it grows (the last file stays shown after it
 * stops), "open folder" where the host can, and the auto-record setting.
 */
export function RecordingPanel() {
  const api = useHost();
  const store = useStoreApi();
  const path = useIntake(selectSelectedPath);
  const live = useIntake(selectSelectedStream) !== undefined;
  const recSel = useMemo(() => recordingFor(path), [path]);
  const rec = useIntake(recSel);
  const canOpen = useIntake(selectCanOpenFolder);
  const autoRecord = useIntake(selectAutoRecord);
  const settings = useIntake(selectSettings);
  const [busy, setBusy] = useState(false);
  // A failure names the folder it happened with: once another folder is set, it is no longer true.
  const [failure, setFailure] = useState<{ dir: string | undefined; message: string } | null>(null);
  const recording = rec?.state === 'recording';
  const format: RecordFormat = settings?.recordFormat ?? DEFAULT_RECORD_FORMAT;

  const run = (p: Promise<unknown>): void => {
    setBusy(true);
    setFailure(null);
    p.catch((err: Error) => setFailure({ dir: settings?.recordDir, message: err.message })).finally(() => setBusy(false));
  };
  const toggle = (): void => {
    if (!path) return;
    const req = recording ? api.request('stop-recording', { path }) : api.request('start-recording', { path, format });
    run(req.then((r: RecordingInfo | null) => r && store.getState().noteRecording(r)));
  };

  return (
    <section className="panel recording" aria-label="Recording">
      <header className="panel-head">
        <h2>Recording</h2>
        <span className={`panel-sub ${recording ? 'rec-on' : ''}`}>{rec ? STATE_LABEL[rec.state] : 'Not recording'}</span>
        <span className="spacer" />
        <button
          type="button"
          className={`btn ${recording ? 'btn-stop' : 'btn-rec'}`}
          data-testid="record-toggle"
          aria-pressed={recording}
          disabled={!path || busy || (!live && !recording)}
          onClick={toggle}
        >
          {recording ? 'Stop' : 'Record'}
        </button>
      </header>
      <div className="panel-body">
        <div className="rec-file mono small" data-testid="recording-path" title={rec?.file}>
          <span>{rec?.file ?? NONE}</span>
        </div>
        <div className="rec-figures num">
          <span><span className="muted">size</span> <span data-testid="recording-size">{formatBytes(rec?.bytes)}</span></span>
          <span><span className="muted">duration</span> <span data-testid="recording-duration">{formatDuration(rec?.durationMs)}</span></span>
          <span><span className="muted">frames</span> {formatCount(rec?.videoFrames)}</span>
          <span><span className="muted">bitrate</span> <span data-testid="recording-bitrate">{bitrate(rec)}</span></span>
        </div>
        {rec?.discontinuities ? <p className="warn small" data-testid="recording-discontinuities">{rec.discontinuities} timestamp jump{rec.discontinuities > 1 ? 's' : ''} in the stream: the recording went on without a gap</p> : null}
        {rec?.notes?.map((n) => (
          <p key={n} className="muted small">
            {n}
          </p>
        ))}
        {rec?.error ? <p className="err small">{rec.error.code}: {rec.error.message}</p> : null}
        {failure && failure.dir === settings?.recordDir ? <p className="err small">{failure.message}</p> : null}
        <div className="rec-options">
          <label className="check">
            <input type="checkbox" data-testid="auto-record" checked={autoRecord} disabled={!settings} onChange={(e) => run(api.request('set-settings', { autoRecord: e.currentTarget.checked }).then((r) => r && store.getState().setSettings(r.settings)))} />
            Record every stream automatically
          </label>
          <label className="rec-folder small">
            <span className="muted">format</span>
            <select
              className="rec-format"
              data-testid="record-format"
              aria-label="Recording format"
              title={FORMAT_HINT}
              value={format}
              disabled={!settings || recording}
              onChange={(e) => run(api.request('set-settings', { recordFormat: e.currentTarget.value as RecordFormat }).then((r) => r && store.getState().setSettings(r.settings)))}
            >
              {RECORD_FORMATS.map((f) => (
                <option key={f} value={f}>
                  {f.toUpperCase()}
                </option>
              ))}
            </select>
            <span className="muted">for the next recording</span>
          </label>
          <div className="rec-folder small">
            <span className="muted">folder</span> <span className="mono" title={settings?.recordDir}>{settings?.recordDir ?? NONE}</span>
            {canOpen ? (
              <button type="button" className="btn btn-small" data-testid="open-folder" onClick={() => run(api.request('open-folder', rec ? { path: rec.file } : {}))}>
                Open folder
              </button>
            ) : null}
          </div>
        </div>
      </div>
    </section>
  );
}
