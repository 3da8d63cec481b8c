import type { StateCreator } from 'zustand';
import type { Snapshot, StreamInfo, StreamStats, UiBatch } from '../../../../app/contract/index.js';
import { type StatsHistory, addSample, emptyHistory } from '../history.js';

/** The latest stats of each stream (live or ended this session) and their sparkline history. */
export interface StatsData {
  stats: Record<string, StreamStats>;
  history: Record<string, StatsHistory>;
}

function sample(h: StatsHistory | undefined, s: StreamStats, now: number): StatsHistory {
  return addSample(h ?? emptyHistory(), now, s.video.fps, s.video.bitrate / 1000, s.audio.bitrate / 1000);
}

/** The stats of a snapshot, each the first sample of its history; an ended stream's last stats too, so a reload still shows its figures. */
export function statsFromSnapshot(s: Snapshot, now: number): StatsData {
  const stats: Record<string, StreamStats> = {};
  const history: Record<string, StatsHistory> = {};
  for (const e of s.ended) if (e.stats) stats[e.info.path] = e.stats;
  for (const st of s.stats) {
    stats[st.path] = st;
    history[st.path] = sample(undefined, st, now);
  }
  return { stats, history };
}

/**
 * A batch's stats, each a sample of its stream's history at `now`. Stats of
 * a stream the UI has never heard of (neither live before the batch, nor
 * started in it, nor with stats already) are ignored: they would make a
 * row with no stream. A stream ending in the same batch keeps its last
 * stats. `state` itself when nothing applies.
 */
export function reduceStats(state: StatsData & { streams: Record<string, StreamInfo> }, b: UiBatch, now: number): StatsData {
  let stats = state.stats;
  let history = state.history;
  for (const s of b.stats) {
    const known = state.streams[s.path] !== undefined || state.stats[s.path] !== undefined || b.streamsStarted.some((x) => x.path === s.path);
    if (!known) continue;
    stats = { ...stats, [s.path]: s };
    history = { ...history, [s.path]: sample(history[s.path], s, now) };
  }
  return stats === state.stats ? state : { stats, history };
}

/** The stats slice of the store: data only, fed by the snapshot and batches. */
export const createStatsSlice: StateCreator<StatsData, [], [], StatsData> = () => ({ stats: {}, history: {} });
