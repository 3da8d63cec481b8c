/** Samples kept per stream for the fps / bitrate sparklines (at ~1 sample a second: two minutes). */
export const HISTORY_LENGTH = 120;

/** A stream's recent fps and bitrate, oldest first. */
export interface StatsHistory {
  at: number[];
  videoFps: number[];
  videoKbps: number[];
  audioKbps: number[];
}

export function emptyHistory(): StatsHistory {
  return { at: [], videoFps: [], videoKbps: [], audioKbps: [] };
}

function pushCapped(list: number[], v: number): number[] {
  const next = list.length >= HISTORY_LENGTH ? list.slice(list.length - HISTORY_LENGTH + 1) : list.slice();
  next.push(v);
  return next;
}

/** A new history with one more sample (the old one is not changed). */
export function addSample(h: StatsHistory, at: number, videoFps: number, videoKbps: number, audioKbps: number): StatsHistory {
  return {
    at: pushCapped(h.at, at),
    videoFps: pushCapped(h.videoFps, videoFps),
    videoKbps: pushCapped(h.videoKbps, videoKbps),
    audioKbps: pushCapped(h.audioKbps, audioKbps),
  };
}
