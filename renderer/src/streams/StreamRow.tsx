import { memo, useMemo } from 'react';
import type { StreamStats, TrackStats } from '../../../app/contract/index.js';
import { useIntake, useStoreApi } from '../context.js';
import { NONE, codecName, formatBitrate, formatDuration, formatFps } from '../util/format.js';
import type { IntakeState } from '../store/store.js';
import { endedFor, isRecordingFor, statsFor, streamFor } from '../store/selectors.js';
import { endWords } from './end-words.js';

/** "H.264 · 1920×1080 · 30 fps", and the bitrate apart (right-aligned). */
function videoLine(v: TrackStats | undefined): [string, string] {
  if (!v?.codec) return ['video: none yet', ''];
  const res = v.width && v.height ? `${v.width}×${v.height}` : NONE;
  return [`${codecName(v.codec)} · ${res} · ${formatFps(v.fps)} fps`, formatBitrate(v.bitrate)];
}

/** "AAC-LC · 48.0 kHz 2ch", and the bitrate apart. */
function audioLine(a: TrackStats | undefined): [string, string] {
  if (!a?.codec) return ['audio: none yet', ''];
  const rate = a.sampleRate ? `${(a.sampleRate / 1000).toFixed(1)} kHz` : NONE;
  const ch = a.channels ? ` ${a.channels}ch` : '';
  return [`${codecName(a.codec)} · ${rate}${ch}`, formatBitrate(a.bitrate)];
}

/**
 * An ended stream's video as it was: codec and resolution, and the average
 * bitrate of the whole stream, audio included (the last second's rate says
 * little about a stream that has stopped).
 */
export function endedVideoLine(st: StreamStats | undefined): [string, string] {
  const v = st?.video;
  if (!st || !v?.codec) return ['video: none', ''];
  const res = v.width && v.height ? `${v.width}×${v.height}` : NONE;
  const secs = st.uptimeMs / 1000;
  return [`${codecName(v.codec)} · ${res}`, secs > 0 ? `avg ${formatBitrate(((v.bytes + st.audio.bytes) * 8) / secs)}` : ''];
}

function Pair({ pair, testId, className = '' }: { pair: [string, string]; testId: string; className?: string }) {
  return (
    <div className={`sr-line sr-pair num ${className}`} data-testid={testId}>
      <span>{pair[0]}</span>
      <span className="sr-rate">{pair[1]}</span>
    </div>
  );
}

/**
 * One stream of the list. Memoised and selecting its own data by path, so a
 * stats batch for one stream re-renders that row only (React Flow's
 * NodeRenderer reasoning: the list itself subscribes to ids alone). An
 * ended row keeps what the stream had while live (encoder, address,
 * resolution; kept with its end, so a reload has them too) and says once,
 * in words, how it ended.
 */
export const StreamRow = memo(function StreamRow({ path }: { path: string }) {
  const store = useStoreApi();
  const sel = useMemo(() => ({ stream: streamFor(path), stats: statsFor(path), ended: endedFor(path), rec: isRecordingFor(path) }), [path]);
  const stream = useIntake(sel.stream);
  const liveStats = useIntake(sel.stats);
  const ended = useIntake(sel.ended);
  const recording = useIntake(sel.rec);
  const selected = useIntake((s) => s.selectedPath === path);
  const isEnded = !stream && ended !== undefined;
  const info = stream ?? ended?.info;
  const stats = isEnded ? (ended.stats ?? liveStats) : liveStats;
  const connectionId = info?.connectionId ?? ended?.connectionId;
  const encoder = info?.encoder ?? info?.flashVer ?? 'encoder not named';
  const conn = useIntake(useMemo(() => (s: IntakeState) => (connectionId === undefined ? undefined : s.connections[connectionId]?.info), [connectionId]));
  const address = info?.remoteAddress ?? conn?.remoteAddress ?? (connectionId !== undefined ? `connection #${connectionId}` : '');
  const end = isEnded ? endWords(ended) : null;

  return (
    <div
      role="option"
      tabIndex={selected ? 0 : -1}
      className={`stream-row ${selected ? 'is-selected' : ''} ${isEnded ? 'is-ended' : ''}`}
      data-testid="stream-item"
      data-path={path}
      data-ended={isEnded ? 'true' : undefined}
      aria-selected={selected}
      onClick={() => store.getState().selectStream(path)}
    >
      <div className="sr-line sr-title">
        <span className="sr-path mono" title={path}>{path}</span>
        {recording ? <span className="badge badge-rec">REC</span> : null}
        <span className="sr-uptime num">{isEnded ? `ended after ${formatDuration(stats?.uptimeMs)}` : formatDuration(stats?.uptimeMs)}</span>
      </div>
      <div className="sr-line sr-who" title={`${address} · ${encoder}`}>
        <span className="mono">{address}</span> · {encoder}
      </div>
      {end ? (
        <>
          <Pair pair={endedVideoLine(stats)} testId="stream-video" />
          {/* Two lines: the words of how it ended are what an ended row is for (its codecs line gives way). */}
          <div className={`sr-line sr-end sr-wrap is-${end.kind}`} data-testid="stream-end" data-end={end.kind} title={end.text}>
            {end.text}
          </div>
        </>
      ) : (
        <>
          <Pair pair={videoLine(stats?.video)} testId="stream-video" />
          <Pair pair={audioLine(stats?.audio)} testId="stream-audio" className="muted" />
        </>
      )}
      {end ? null : (
        <div className="sr-line sr-codecs mono muted" data-testid="stream-codecs">
          {[stats?.video.codec, stats?.audio.codec].filter(Boolean).join(' · ')}
        </div>
      )}
    </div>
  );
});
