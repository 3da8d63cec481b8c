/**
 * The store's health slice: each stream's chart history (merged from the
 * stats the host sends), the preset the window checks against (kept in
 * localStorage: a window's choice, not the engine's), and the moment a
 * clicked finding points at.
 */
import type { StateCreator } from 'zustand';
import { type PresetId, type Snapshot, type UiBatch, isPresetId } from '../../../app/contract/index.js';
import type { FindingMoment } from './finding-moment.js';
import { type HealthHistory, emptyHealthHistory, mergeHealth } from './health-history.js';

const PRESET_KEY = 'intake.healthPreset';

/** A finding's moment: the stream, and ms since it started. */
export interface HealthFocus {
  path: string;
  atMs: number;
  findingId: string;
  /** The finding's title and when it was first seen ("0:08"), for the timeline's note. */
  title?: string;
  at?: string;
  /** The same moment on its connection's timeline (the timeline shows the message nearest it); null when unknown. */
  moment?: FindingMoment | null;
}

export interface HealthData {
  healthHistory: Record<string, HealthHistory>;
  healthPreset: PresetId;
  healthFocus: HealthFocus | null;
}

export interface HealthSlice extends HealthData {
  setHealthPreset(p: PresetId): void;
  focusHealth(f: HealthFocus | null): void;
}

function storedPreset(): PresetId {
  try {
    const v = globalThis.localStorage?.getItem(PRESET_KEY);
    return isPresetId(v) ? v : 'generic';
  } catch {
    return 'generic';
  }
}

/** Histories from a snapshot's stats (each starts with what its stats carry). */
export function healthFromSnapshot(s: Snapshot): Pick<HealthData, 'healthHistory'> {
  const healthHistory: Record<string, HealthHistory> = {};
  for (const st of s.stats) if (st.health) healthHistory[st.path] = mergeHealth(emptyHealthHistory(), st.health);
  return { healthHistory };
}

/** A batch's stats merged into their streams' histories; `state` itself when nothing is new. */
export function reduceHealth(state: HealthData, b: UiBatch): Pick<HealthData, 'healthHistory'> | HealthData {
  let healthHistory = state.healthHistory;
  for (const st of b.streamsStarted) {
    // A new publish on a key starts a new history.
    if (healthHistory[st.path]) healthHistory = { ...healthHistory, [st.path]: emptyHealthHistory() };
  }
  for (const s of b.stats) {
    if (!s.health) continue;
    const prev = healthHistory[s.path] ?? emptyHealthHistory();
    const next = mergeHealth(prev, s.health);
    if (next !== prev || !healthHistory[s.path]) healthHistory = { ...healthHistory, [s.path]: next };
  }
  return healthHistory === state.healthHistory ? state : { healthHistory };
}

export const createHealthSlice: StateCreator<HealthSlice, [], [], HealthSlice> = (set) => ({
  healthHistory: {},
  healthPreset: storedPreset(),
  healthFocus: null,
  setHealthPreset: (p) => {
    try {
      globalThis.localStorage?.setItem(PRESET_KEY, p);
    } catch {
      // a private window: the choice lasts this session
    }
    set({ healthPreset: p });
  },
  focusHealth: (f) => set({ healthFocus: f }),
});
