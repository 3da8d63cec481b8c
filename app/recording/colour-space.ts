/**
 * A stream's colour description (H.273 code points, from the SPS's VUI) as
 * the muxer takes it: a WebCodecs `VideoColorSpaceInit`, which mediabunny
 * writes as MP4's `colr` (nclx) box and Matroska's Colour element.
 */
import { parseAvcConfig } from '../media/avc.js';
import { parseHevcConfig } from '../media/hevc.js';
import type { VideoColour } from '../media/vui-colour.js';

/** WebCodecs' names for the H.273 code points mediabunny writes; others are left unspecified. */
const PRIMARIES = { 1: 'bt709', 5: 'bt470bg', 6: 'smpte170m', 9: 'bt2020', 12: 'smpte432' } as const;
const TRANSFER = { 1: 'bt709', 6: 'smpte170m', 8: 'linear', 13: 'iec61966-2-1', 16: 'pq', 18: 'hlg' } as const;
const MATRIX = { 0: 'rgb', 1: 'bt709', 5: 'bt470bg', 6: 'smpte170m', 9: 'bt2020-ncl' } as const;

/** What mediabunny's decoder configuration takes as `colorSpace`. */
export interface ColourSpaceInit {
  primaries?: (typeof PRIMARIES)[keyof typeof PRIMARIES];
  transfer?: (typeof TRANSFER)[keyof typeof TRANSFER];
  matrix?: (typeof MATRIX)[keyof typeof MATRIX];
  fullRange?: boolean;
}

/** The muxer's colour space for a stream's colour description; undefined when none of it can be written. */
export function colourSpace(c: VideoColour | undefined): ColourSpaceInit | undefined {
  if (!c) return undefined;
  const out: ColourSpaceInit = { fullRange: c.fullRange };
  const p = PRIMARIES[c.primaries as keyof typeof PRIMARIES];
  const t = TRANSFER[c.transfer as keyof typeof TRANSFER];
  const m = MATRIX[c.matrix as keyof typeof MATRIX];
  if (p) out.primaries = p;
  if (t) out.transfer = t;
  if (m) out.matrix = m;
  return p || t || m ? out : undefined;
}

/** The colour description in a track's configuration record, where the codec carries one there (H.264 and H.265: the SPS's VUI). */
export function configColour(fourCC: string, config: Uint8Array | null): VideoColour | undefined {
  if (!config) return undefined;
  try {
    if (fourCC === 'avc1') return parseAvcConfig(config).colour;
    if (fourCC === 'hvc1') return parseHevcConfig(config).colour;
  } catch {
    // A record the setup could not read either: it says why.
  }
  return undefined;
}
