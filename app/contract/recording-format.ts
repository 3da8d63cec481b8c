/**
 * The container a recording is written in. MP4 is the default because it is
 * the one every player, browser and editor opens (QuickTime, the Windows
 * player, `<video>`), and because, written fragmented, a killed process still
 * leaves a readable file. MKV is what OBS records by default and survives being
 * cut short too. FLV is the wire format as received (track 0 only).
 */
export const RECORD_FORMATS = ['mp4', 'mkv', 'flv'] as const;

/** One of {@link RECORD_FORMATS}. */
export type RecordFormat = (typeof RECORD_FORMATS)[number];

/** The format of a recording when none is chosen. */
export const DEFAULT_RECORD_FORMAT: RecordFormat = 'mp4';

/** Whether `v` names a recording format (input from a UI or the command line is checked with this). */
export function isRecordFormat(v: unknown): v is RecordFormat {
  return typeof v === 'string' && (RECORD_FORMATS as readonly string[]).includes(v);
}
