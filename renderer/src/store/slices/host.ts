import type { StateCreator } from 'zustand';
import type { AppSettings, HostInfo, LinkState, ServerStatus, Snapshot } from '../../../../app/contract/index.js';

/** The host link and the listener. */
export interface HostData {
  link: LinkState;
  host: HostInfo | null;
  status: ServerStatus | null;
  settings: AppSettings | null;
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
 */
export function hostFromSnapshot(s: Snapshot): Omit<HostData, 'link'> {
  return { host: s.host, status: s.status, settings: s.settings };
}

/** The host slice of the store (zustand's slices pattern). */
export const createHostSlice: StateCreator<HostSlice, [], [], HostSlice> = (set) => ({
  link: 'connecting',
  host: null,
  status: null,
  settings: null,
  setLink: (link) => set({ link }),
  setStatus: (status) => set({ status }),
  setSettings: (settings) => set({ settings }),
});
