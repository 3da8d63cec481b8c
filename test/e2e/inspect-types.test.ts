import { describe, expect, it } from 'vitest';
import { startIntake } from '../support/cli.js';
import { need } from '../support/tools.js';
import { ffmpegPublish } from './publish-helpers.js';

interface Line {
  event: string;
  direction?: string;
  command?: { name: string; transactionId?: number; args: unknown[] };
  chunkFormats?: number[];
  chunks?: number;
}

/**
 * `intake inspect`, JSON and text, keeps what the wire said (issue #8): our
 * own `_result(2, null, undefined)` to releaseStream shows `undefined`, not
 * null; ffmpeg's onMetaData is an ECMA array; each message says its chunk
 * formats and count.
 */
describe.skipIf(!need('ffmpeg'))('intake inspect: AMF types and chunks, with ffmpeg', () => {
  it('--json: undefined and the ECMA array are typed; every message has its chunk formats and count', async () => {
    const ins = await startIntake(['inspect', '--json']);
    try {
      expect((await ffmpegPublish(`rtmp://127.0.0.1:${ins.port}/live/types`, 15)).code).toBe(0);
      await ins.waitFor(/"event":"connection-close"/);
      const msgs = ins
        .output()
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as Line)
        .filter((e) => e.event === 'message');
      const release = msgs.find((e) => e.direction === 'in' && e.command?.name === 'releaseStream')!;
      const reply = msgs.find((e) => e.direction === 'out' && e.command?.name === '_result' && e.command.transactionId === release.command!.transactionId)!;
      expect(reply.command!.args).toEqual([null, { $amf: 'undefined' }]);
      const meta = msgs.find((e) => e.command?.name === '@setDataFrame')!;
      expect(meta.command!.args[1]).toMatchObject({ $amf: 'ecma-array', value: { encoder: expect.stringMatching(/^Lavf/) } });
      for (const e of msgs) {
        expect(e.chunks).toBeGreaterThanOrEqual(1);
        expect(e.chunkFormats!.length).toBeGreaterThanOrEqual(1);
      }
    } finally {
      await ins.stop();
    }
  });

  it('text: the same, in words', async () => {
    const ins = await startIntake(['inspect']);
    try {
      expect((await ffmpegPublish(`rtmp://127.0.0.1:${ins.port}/live/types`, 15)).code).toBe(0);
      await ins.waitFor(/closed by/);
      const lines = ins.output().split('\n');
      expect(lines.find((l) => l.includes('-> Command (AMF0)') && l.includes('_result') && l.includes('[null,undefined]'))).toBeDefined();
      expect(lines.find((l) => l.includes('@setDataFrame') && l.includes('ECMA array {'))).toBeDefined();
      expect(lines.find((l) => l.includes('<- Command (AMF0)') && / fmt=0(,3)? chunks=\d+ /.test(l))).toBeDefined();
    } finally {
      await ins.stop();
    }
  });
});
