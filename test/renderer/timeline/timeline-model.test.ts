import { describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../app/contract/engine.js';
import type { MessageKind } from '../../../app/contract/index.js';
import { KINDS, type Row, RowBuilder, type ViewOptions, buildRows, runSummary } from '../../../renderer/src/timeline/timeline-model.js';
import { findRowIndex, findRun, moveBy } from '../../../renderer/src/timeline/row-index.js';
import { formatBytes, formatElapsedClock } from '../../../renderer/src/util/format.js';
import { MESSAGES } from './ffmpeg-session-data.js';

const LETTER: Record<string, MessageKind> = { K: 'control', C: 'command', D: 'data', A: 'audio', V: 'video', O: 'other' };

/** Entries from a string of kind letters: "C V V A" (10 bytes each, 10 ms apart). */
function entries(spec: string): TimelineEntry[] {
  return spec.split(' ').map((l, seq) => ({
    connectionId: 1, seq, direction: 'in', atMs: seq * 10, typeId: 0, typeName: l, kind: LETTER[l], csid: 3, streamId: 1, timestamp: seq, length: 10,
  }));
}

/** Rows as a string: entries by letter, runs as "R<video>v<audio>a", opened-run members in lower case. */
function show(rows: readonly Row[], es: readonly TimelineEntry[]): string {
  return rows.map((r) => (r.type === 'run' ? `R${r.video}v${r.audio}a` : r.inRun ? es[r.abs].typeName.toLowerCase() : es[r.abs].typeName)).join(' ');
}

const opts = (kinds = 'KCDAVO', everyMedia = false, expanded: number[] = []): ViewOptions => ({
  kinds: new Set([...kinds].map((l) => LETTER[l])),
  everyMedia,
  expanded: new Set(expanded),
});

describe('rows: filtering and runs', () => {
  it.each([
    ['commands and control stay single', 'C K C D', opts(), 'C K C D'],
    ['media between commands collapses into runs', 'C V A V C V', opts(), 'C R2v1a C R1v0a'],
    ['a hidden kind does not break a run', 'V K A K V', opts('CDAV'), 'R2v1a'],
    ['a visible control message does break it', 'V K A', opts(), 'R1v0a K R0v1a'],
    ['hiding audio leaves video-only runs', 'V A A V C A', opts('KCDV'), 'R2v0a C'],
    ['hiding all media leaves no runs', 'C V A D', opts('KCD'), 'C D'],
    ['every media message: no runs', 'C V A C', opts('KCDAVO', true), 'C V A C'],
    ['an opened run lists its messages', 'C V A C V', opts('KCDAVO', false, [1]), 'C R1v1a v a C R1v0a'],
    ['nothing shown', 'C V K', opts(''), ''],
  ])('%s', (_name, spec, options, expected) => {
    const es = entries(spec);
    expect(show(buildRows(es, options).rows, es)).toBe(expected);
  });

  it('counts every kind whatever the filter', () => {
    const { counts } = buildRows(entries('C V A A K D O'), opts('C'));
    expect(counts).toEqual({ control: 1, command: 1, data: 1, audio: 2, video: 1, other: 1 });
  });

  it('the real ffmpeg session: its commands in order, one run of media between publish and FCUnpublish', () => {
    const { rows, counts } = buildRows(MESSAGES, opts());
    const names = rows.map((r) => (r.type === 'run' ? `run ${r.video}v ${r.audio}a` : (MESSAGES[r.abs].command?.name ?? MESSAGES[r.abs].typeName)));
    expect(names).toEqual([
      'connect', 'Window Ack Size', 'Set Peer Bandwidth', 'Set Chunk Size', '_result', 'Set Chunk Size', 'releaseStream', '_result',
      'FCPublish', 'onFCPublish', 'createStream', '_result', 'publish', 'User Control', 'onStatus', '@setDataFrame',
      'run 102v 175a', 'FCUnpublish', 'onFCUnpublish', 'deleteStream',
    ]);
    // 100 frames + sequence header + end of sequence; 174 AAC frames + sequence header.
    expect([counts.video, counts.audio]).toEqual([102, 175]);
  });
});

describe('RowBuilder is a fold: batches give the rows of all at once', () => {
  it.each([1, 7, 16, 17, 100, 295])('split after %i entries', (cut) => {
    for (const o of [opts(), opts('CAV'), opts('KCDAVO', true), opts('KCDAVO', false, [16])]) {
      const b = new RowBuilder(o);
      MESSAGES.slice(0, cut).forEach((e, i) => b.add(e, i));
      MESSAGES.slice(cut).forEach((e, i) => b.add(e, cut + i));
      expect(b.rows).toEqual(buildRows(MESSAGES, o).rows);
    }
  });

  it('dropBefore forgets rows whose messages are gone and clips a run', () => {
    const es = entries('C V V A C K');
    const b = new RowBuilder(opts());
    es.forEach((e, i) => b.add(e, i));
    b.dropBefore(2);
    expect(b.rows.map((r) => (r.type === 'run' ? `run ${r.first}-${r.last}` : r.abs))).toEqual(['run 2-3', 4, 5]);
  });
});

describe('findRun and runSummary', () => {
  it('finds a run by its first message among entries that start at the same index', () => {
    const es = entries('C V A C V V K V');
    const { rows } = buildRows(es, opts('KCDAVO', false, [1]));
    expect(findRun(rows, rows.length, 1)).toMatchObject({ first: 1, last: 2 });
    expect(findRun(rows, rows.length, 4)).toMatchObject({ first: 4, last: 5 });
    expect(findRun(rows, rows.length, 7)).toMatchObject({ first: 7, last: 7 });
    expect(findRun(rows, rows.length, 3)).toBeNull();
  });

  it('describes a run the way the design note does', () => {
    const run = { type: 'run', first: 0, last: 678, video: 248, audio: 431, bytes: 1_234_567, fromMs: 100, toMs: 8300, expanded: false } as const;
    expect(runSummary(run, (ms) => formatElapsedClock(ms, 2), formatBytes)).toBe('video ×248, audio ×431, 1.2 MB, 0:00.10–0:08.30');
  });

  it('KINDS covers every kind a message can have', () => {
    expect([...KINDS].sort()).toEqual(['audio', 'command', 'control', 'data', 'other', 'video']);
  });
});

describe('row lookup and keyboard moves', () => {
  it('finds a row by its selection key, telling a run from its first member', () => {
    const es = entries('C V A C V');
    const { rows } = buildRows(es, opts('KCDAVO', false, [1]));
    // C R(1,2) v a C R(4)
    expect(['entry:0', 'run:1', 'entry:1', 'entry:2', 'entry:3', 'run:4', 'entry:4', 'run:9', null].map((k) => findRowIndex(rows, rows.length, k))).toEqual([0, 1, 2, 3, 4, 5, -1, -1, -1]);
  });

  it.each([
    ['ArrowDown', 3, 4],
    ['ArrowUp', 3, 2],
    ['ArrowUp', 0, 0],
    ['PageDown', 3, 9],
    ['PageUp', 3, 0],
    ['Home', 7, 0],
    ['End', 0, 9],
    ['ArrowDown', -1, 0],
    ['ArrowUp', -1, 9],
    ['a', 3, null],
  ])('%s from %i', (key, from, to) => {
    expect(moveBy(key, from, 10, 8)).toBe(to);
  });
});
