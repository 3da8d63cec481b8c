import { useCallback, useMemo, useState } from 'react';
import { type EncoderSettings, type HealthFinding, PRESET_IDS, PRESET_LABELS, type PresetId, formatClock, healthVerdict } from '../../../app/contract/index.js';
import { useIntake, useStoreApi } from '../context.js';
import { shownConnectionId } from '../util/use-shown-connection.js';
import { findingMoment } from './finding-moment.js';
import { selectSelectedPath, selectSelectedStats } from '../store/selectors.js';
import type { IntakeState } from '../store/store.js';
import { avOptions, bitrateOptions, chartData, gopOptions, intervalOptions } from './charts.js';
import { exportHealth } from './export-health.js';
import { emptyHealthHistory } from './health-history.js';
import { UPlotChart } from './UPlotChart.js';
import './health.css';

const selectPreset = (s: IntakeState) => s.healthPreset;
const selectSetPreset = (s: IntakeState) => s.setHealthPreset;
const selectFocus = (s: IntakeState) => s.healthFocus;
const selectFocusHealth = (s: IntakeState) => s.focusHealth;
const selectHistory = (s: IntakeState) => (s.selectedPath ? s.healthHistory[s.selectedPath] : undefined);
const EMPTY_HISTORY = emptyHealthHistory();
const WINDOWS = [{ s: 60, label: '1 min' }, { s: 300, label: '5 min' }, { s: 600, label: '10 min' }] as const;
const CHART_H = 92;

/** The verdict of the selected stream under the window's preset (for the tab's badge). */
export function useHealthVerdict(): { verdict: 'good' | 'warnings' | 'errors'; errors: number; warnings: number } | null {
  const stats = useIntake(selectSelectedStats);
  const preset = useIntake(selectPreset);
  const findings = stats?.health?.findings[preset];
  return useMemo(() => (findings ? healthVerdict(findings) : null), [findings]);
}

/** A series' colour in a chart caption: a short line, or a dot for points. */
function Swatch({ c, dot = false }: { c: string; dot?: boolean }) {
  return <span className={dot ? 'swatch dot' : 'swatch'} style={{ background: c }} aria-hidden="true" />;
}

function FindingRow({ f, selected, onSelect }: { f: HealthFinding; selected: boolean; onSelect: () => void }) {
  const at = formatClock(f.firstMediaMs ?? f.firstAtMs);
  return (
    <li className={`finding sev-${f.severity}${selected ? ' selected' : ''}`}>
      <button type="button" onClick={onSelect} aria-pressed={selected} data-testid={`finding-${f.id}`}>
        <span className="finding-sev">{f.severity}</span>
        <span className="finding-title">{f.title}</span>
        <span className="finding-value num">
          {f.measured} <span className="muted">(expected {f.expected})</span>
        </span>
        <span className="finding-at num muted">
          {at}
          {f.count > 1 ? ` ×${f.count}` : ''}
        </span>
      </button>
      {selected ? <div className="finding-fix">{f.fix}</div> : null}
    </li>
  );
}

function Declared({ e }: { e: EncoderSettings }) {
  const row = (what: string, declared: number | null, measured: number | null, unit: string) =>
    declared === null && measured === null ? null : (
      <tr key={what}>
        <th>{what}</th>
        <td className="num">{declared === null ? '—' : `${Math.round(declared)} ${unit}`}</td>
        <td className="num">{measured === null ? '—' : `${Math.round(measured)} ${unit}`}</td>
      </tr>
    );
  return (
    <table className="health-declared">
      <thead>
        <tr>
          <th />
          <th>declared</th>
          <th>measured</th>
        </tr>
      </thead>
      <tbody>
        {row('video', e.videoDeclaredKbps, e.videoKbps, 'kb/s')}
        {row('audio', e.audioDeclaredKbps, e.audioKbps, 'kb/s')}
        {row('frame rate', e.fpsDeclared, e.fpsMeasured, 'fps')}
      </tbody>
    </table>
  );
}

/**
 * Stream health of the selected stream: the verdict under the chosen preset,
 * the encoder's settings in words, declared next to measured, the findings
 * (a click marks its moment on the charts and shows the fix), and uPlot
 * charts of bitrate (with keyframes and the preset's band), GOP duration,
 * frame interval and A/V offset over a chosen time window; export as JSON or
 * Markdown.
 */
export function HealthPanel() {
  const path = useIntake(selectSelectedPath);
  const stats = useIntake(selectSelectedStats);
  const preset = useIntake(selectPreset);
  const setPreset = useIntake(selectSetPreset);
  const focus = useIntake(selectFocus);
  const focusHealth = useIntake(selectFocusHealth);
  const history = useIntake(selectHistory) ?? EMPTY_HISTORY;
  const store = useStoreApi();
  const [windowS, setWindowS] = useState<number>(300);
  const [note, setNote] = useState<string | null>(null);
  const health = stats?.health;
  const findings = health?.findings[preset] ?? [];
  const verdict = healthVerdict(findings);
  const focusS = focus && focus.path === path ? focus.atMs / 1000 : null;
  const limits = health?.limits[preset];
  const bandMin = limits?.videoMinKbps ?? null;
  const bandMax = limits?.videoMaxKbps ?? null;
  const gopMax = limits?.gopMaxSeconds ?? null;
  const data = useMemo(() => chartData(history, windowS), [history, windowS]);
  const bitrate = useCallback(() => bitrateOptions(bandMin !== null && bandMax !== null ? { min: bandMin, max: bandMax } : null, focusS), [bandMin, bandMax, focusS]);
  const gop = useCallback(() => gopOptions(gopMax, focusS), [gopMax, focusS]);
  const interval = useCallback(() => intervalOptions(focusS), [focusS]);
  const av = useCallback(() => avOptions(focusS), [focusS]);

  // A finding clicked (or Enter/Space on it) marks its moment on the charts and shows it in the timeline; clicked again, it lets go.
  const onSelect = (f: HealthFinding): void => {
    if (!path || (focus?.findingId === f.id && focus.path === path)) return focusHealth(null);
    const st = store.getState();
    const moment = findingMoment(st, path, f);
    if (moment && shownConnectionId(st) !== moment.connectionId) st.selectConnection(moment.connectionId);
    focusHealth({ path, atMs: f.firstAtMs, findingId: f.id, title: f.title, at: formatClock(f.firstMediaMs ?? f.firstAtMs), moment });
  };
  const onExport = (format: 'json' | 'md'): void => {
    if (stats) setNote(`saved ${exportHealth(stats, preset, format)}`);
  };
  const verdictText = verdict.verdict === 'good' ? 'good' : [verdict.errors ? `${verdict.errors} error${verdict.errors > 1 ? 's' : ''}` : '', verdict.warnings ? `${verdict.warnings} warning${verdict.warnings > 1 ? 's' : ''}` : ''].filter(Boolean).join(', ');

  return (
    <section className="panel health" aria-label="Stream health">
      <header className="panel-head">
        <h2>Health</h2>
        {health ? (
          <span className={`health-verdict verdict-${verdict.verdict}`} data-testid="health-verdict">
            {verdictText}
          </span>
        ) : null}
        <span className="health-tools">
          <label>
            <span className="muted">preset</span>
            <select value={preset} onChange={(e) => setPreset(e.target.value as PresetId)} aria-label="Destination preset">
              {PRESET_IDS.map((p) => (
                <option key={p} value={p}>
                  {PRESET_LABELS[p]}
                </option>
              ))}
            </select>
          </label>
          <select value={windowS} onChange={(e) => setWindowS(Number(e.target.value))} aria-label="Time window">
            {WINDOWS.map((w) => (
              <option key={w.s} value={w.s}>
                {w.label}
              </option>
            ))}
          </select>
          <button type="button" disabled={!health} onClick={() => onExport('json')} title="Save the health report as JSON">
            JSON
          </button>
          <button type="button" disabled={!health} onClick={() => onExport('md')} title="Save the health report as Markdown, to paste into a support forum">
            Markdown
          </button>
        </span>
      </header>
      <div className="panel-body">
        {!path ? <p className="muted">Select a stream to see its health.</p> : !health ? <p className="muted">No health figures for this stream yet.</p> : (
          <>
            <div className="health-left">
              <p className="health-words" data-testid="health-words">
                {health.words}
              </p>
              {note ? <p className="muted small">{note}</p> : null}
              <Declared e={health.encoder} />
              <ul className="findings" aria-label="Findings">
                {findings.length === 0 ? <li className="muted">No findings under {PRESET_LABELS[preset]}.</li> : null}
                {findings.map((f) => (
                  <FindingRow
                    key={f.id}
                    f={f}
                    selected={focus?.path === path && focus.findingId === f.id}
                    onSelect={() => onSelect(f)}
                  />
                ))}
              </ul>
            </div>
            <div className="health-charts">
              <figure>
                <figcaption>
                  Bitrate <Swatch c="var(--accent)" /> video <Swatch c="#6fa8ff" /> audio <Swatch c="var(--warn)" dot /> keyframe · {PRESET_LABELS[preset]} band
                </figcaption>
                <UPlotChart makeOptions={bitrate} data={data.bitrate} height={CHART_H} label="Video and audio bitrate over time" className="health-chart" />
              </figure>
              <figure>
                <figcaption>
                  GOP duration per GOP <Swatch c="var(--accent)" dot /> · <Swatch c="var(--ok)" /> 2 s{gopMax !== null ? ` · limit ${gopMax} s` : ''}
                </figcaption>
                <UPlotChart makeOptions={gop} data={data.gop} height={CHART_H} label="GOP duration per GOP" className="health-chart" />
              </figure>
              <figure>
                <figcaption>
                  Frame interval per second <Swatch c="#6fa8ff" /> shortest <Swatch c="var(--accent)" /> longest
                </figcaption>
                <UPlotChart makeOptions={interval} data={data.interval} height={CHART_H} label="Frame interval over time" className="health-chart" />
              </figure>
              <figure>
                <figcaption>
                  A/V offset <Swatch c="var(--accent)" /> audio − video timestamps
                </figcaption>
                <UPlotChart makeOptions={av} data={data.av} height={CHART_H} label="A/V offset over time" className="health-chart" />
              </figure>
            </div>
          </>
        )}
      </div>
    </section>
  );
}
