import type { StateCreator } from 'zustand';
import type { AppSettings, HostInfo, LinkState, ServerStatus, Snapshot } from '../../../../app/contract/index.js';

/** The host link and the listener. */
export interface HostData {
  link: LinkState;
  host: HostInfo | null;
  status: ServerStatus | null;
  settings: AppSettings | null;
  /**
   * When the link to the host was lost (wall clock, ms), while what the
   * store holds is no longer known to be true: set when the link leaves
   * 'open' after a snapshot was shown, cleared only by the next snapshot
   * (the re-sync), not by the socket reopening.
   */
  lostAt: number | null;
}

/** The host slice: its data and the events that set it one field at a time. */
export interface HostSlice extends HostData {
  setLink(link: LinkState): void;
  setStatus(s: ServerStatus): void;
  setSettings(s: AppSettings): void;
}

/**
 * The host fields of a snapshot. Batches carry nothing for this slice
 * (status and settings come as their own events), so it has no batch reducer.
 * A snapshot is the re-sync: what is shown is known again.
 */
export function hostFromSnapshot(s: Snapshot): Omit<HostData, 'link'> {
  return { host: s.host, status: s.status, settings: s.settings, lostAt: null };
}

/**
 * The link changed: leaving 'open' once something was shown (a status
 * came) marks the state lost from now; an earlier loss keeps its time.
 */
export function lostAfter(state: Pick<HostData, 'lostAt' | 'status'>, link: LinkState, now: number): number | null {
  if (link === 'open' || state.status === null) return state.lostAt;
  return state.lostAt ?? now;
}

/** The host slice of the store (zustand's slices pattern). */
export const createHostSlice: StateCreator<HostSlice, [], [], HostSlice> = (set) => ({
  link: 'connecting',
  host: null,
  status: null,
  settings: null,
  lostAt: null,
  setLink: (link) => set((st) => ({ link, lostAt: lostAfter(st, link, Date.now()) })),
  setStatus: (status) => set({ status }),
  setSettings: (settings) => set({ settings }),
});
