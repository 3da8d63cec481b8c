import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { TimelineEntry } from '../../../app/contract/engine.js';
import { TimelineDetail } from '../../../renderer/src/timeline/TimelineDetail.js';
import { describeEntry } from '../../../renderer/src/timeline/row-text.js';

afterEach(cleanup);

const base = { connectionId: 1, direction: 'out' as const, atMs: 12, typeId: 20, typeName: 'Command (AMF0)', kind: 'command' as const, csid: 3, streamId: 0, timestamp: 0 };

/** Intake's own answer to releaseStream, as the engine now reports it: `_result(2, null, undefined)`, one format-0 chunk. */
const result: TimelineEntry = { ...base, seq: 0, length: 21, chunkFormats: [0], chunks: 1, command: { name: '_result', transactionId: 2, args: [null, { $amf: 'undefined' }] } };
/** ffmpeg's metadata: an ECMA array, in a format-0 chunk and a format-3 continuation. */
const meta: TimelineEntry = {
  ...base,
  seq: 1,
  direction: 'in',
  typeId: 18,
  typeName: 'Data (AMF0)',
  kind: 'data',
  length: 300,
  chunkFormats: [0, 3],
  chunks: 3,
  command: { name: '@setDataFrame', args: ['onMetaData', { $amf: 'ecma-array', value: { width: 320, encoder: 'Lavf59' } }] },
};

describe('TimelineDetail: every AMF value with its real type, and the chunks that carried the message', () => {
  it('shows undefined as undefined (not null), typed, and the chunk format and count', () => {
    render(<TimelineDetail row={{ type: 'entry', abs: 0 }} entries={[result, meta]} dropped={0} />);
    const tree = screen.getByRole('tree', { name: 'Payload' });
    expect(tree.textContent).toContain('Undefinedundefined');
    expect(tree.textContent).toContain('Nullnull');
    expect(tree.textContent).toContain('Number2');
    expect(tree.textContent).toContain('String"_result"');
    expect(screen.getByTestId('timeline-detail-chunks').textContent).toBe('1 (format 0)');
  });

  it('shows an ECMA array as one, with its members typed', () => {
    render(<TimelineDetail row={{ type: 'entry', abs: 1 }} entries={[result, meta]} dropped={0} />);
    const tree = screen.getByRole('tree', { name: 'Payload' });
    expect(tree.textContent).toContain('ECMA array{2 keys}');
    expect(tree.textContent).toContain('width: Number320');
    expect(tree.textContent).toContain('encoder: String"Lavf59"');
    expect(tree.textContent).not.toContain('$amf');
    expect(screen.getByTestId('timeline-detail-chunks').textContent).toBe('3 (format 0, 3)');
  });

  it('the row reads into an ECMA array, and names a tagged scalar by its type', () => {
    // A row leaves out null and undefined arguments, as before; the detail pane shows them.
    expect(describeEntry(result)).toBe('_result');
    expect(describeEntry(meta)).toBe('@setDataFrame  "onMetaData" {width: 320, encoder: "Lavf59"}');
    expect(describeEntry({ ...result, command: { name: '_result', transactionId: 2, args: [{ $amf: 'undefined' }, { $amf: 'date', value: 'x' }] } })).toBe('_result  Date');
  });
});
