/**
 * The two halves of a glass-to-glass reading: a publisher whose frames show
 * the wall clock at the moment they are made, and OCR that reads the digits
 * back from a picture of the screen.
 *
 * The clock is the wall time in ms modulo 100 000, five digits, so a
 * difference is taken modulo 100 000 too (a run is far shorter than 100 s
 * of lag).
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

/** The font both clocks are drawn in: DejaVu Sans Bold (fonts-dejavu-core): tabular digits, and a zero without the dot of its Mono cut, which OCR reads as an 8. */
export const CLOCK_FONT = '/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf';
/** The clock wraps here (ms). */
export const CLOCK_MOD = 100_000;

/** The burnt-in digits for a wall time, as the publisher draws them. */
export const clockDigits = (ms: number): string => String(Math.floor(ms) % CLOCK_MOD).padStart(5, '0');

/** `later − earlier` on the wrapping clock, in (−50 s, 50 s]. */
export function clockDiff(later: number, earlier: number): number {
  let d = (later - earlier) % CLOCK_MOD;
  if (d <= -CLOCK_MOD / 2) d += CLOCK_MOD;
  if (d > CLOCK_MOD / 2) d -= CLOCK_MOD;
  return d;
}

/**
 * ffmpeg arguments of a real-time publisher at `fps`: black 640x360 with the
 * wall clock drawn large at the moment the frame is made, H.264 tuned for
 * the least delay (x264 ultrafast, zerolatency, no B-frames, a keyframe a
 * second), a 1 kHz tone as AAC, published as FLV to `url`.
 *
 * Why `setpts=RTCTIME`: drawtext has no wall clock of its own, so the frame's
 * timestamp is set to the wall time just before drawtext reads it as `t`,
 * in a µs time base (in the source's 1/fps it would be rounded to a whole
 * frame), and reset to a normal frame count just after for the encoder.
 * `-re` paces the source, so "made" is "now".
 */
export function publisherArgs(url: string, fps: number, seconds: number): string[] {
  // One digit at a time with spaces between: run together, OCR misreads DejaVu's bold digits (56225 as 596225).
  const clock = [10000, 1000, 100, 10, 1].map((p) => `%{eif\\:mod(floor(t*1000/${p})\\,10)\\:d}`).join(' ');
  const vf = ['settb=1/1000000', `setpts='RTCTIME'`, `drawtext=fontfile=${CLOCK_FONT}:fontsize=110:fontcolor=white:x=(w-tw)/2:y=(h-th)/2:text='${clock}'`, 'setpts=N/FRAME_RATE/TB', `settb=1/${fps}`].join(',');
  return [
    ...['-hide_banner', '-loglevel', 'error', '-nostdin'],
    ...['-re', '-f', 'lavfi', '-i', `color=c=black:s=640x360:r=${fps}`],
    ...['-re', '-f', 'lavfi', '-i', 'sine=frequency=1000:sample_rate=48000'],
    ...['-t', String(seconds), '-vf', vf],
    ...['-c:v', 'libx264', '-preset', 'ultrafast', '-tune', 'zerolatency', '-bf', '0', '-g', String(fps), '-pix_fmt', 'yuv420p', '-b:v', '1500k'],
    ...['-c:a', 'aac', '-b:a', '96k'],
    ...['-f', 'flv', url],
  ];
}

/**
 * Read the 5-digit numbers in a picture, top to bottom (Debian's
 * tesseract-ocr, digits only, sparse text: the two clocks differ in size). Lines that are not five
 * digits are left out, so a misread is a missing sample, never a wrong one.
 */
export async function readClocks(png: string): Promise<number[]> {
  const { stdout } = await exec('tesseract', [png, '-', '--psm', '11', '-c', 'tessedit_char_whitelist=0123456789'], { encoding: 'utf8' });
  return stdout
    .split('\n')
    .map((l) => l.replace(/\s+/g, ''))
    .filter((l) => /^\d{5}$/.test(l))
    .map(Number);
}
