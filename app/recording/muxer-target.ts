import { StreamTarget } from 'mediabunny';
import type { FileSink } from './file-sink.js';

/** Bytes the muxer may hand over before it waits for the disk (its WritableStream's high-water mark). */
const HIGH_WATER_BYTES = 4 * 1024 * 1024;

/** mediabunny's chunk to its writable: a range of the file. */
interface TargetChunk {
  type: 'write';
  data: Uint8Array;
  position: number;
}

/**
 * The muxer's target: a WritableStream over the file sink, so each fragment
 * (or cluster) goes to the file as one positional write, and the muxer waits
 * (backpressure) while more than 4 MB are on their way to the disk.
 * `onChunk` sees every chunk before it is written.
 */
export function muxerTarget(sink: FileSink, onChunk: (data: Uint8Array, position: number) => void): StreamTarget {
  const writable = new WritableStream<TargetChunk>(
    {
      write(chunk) {
        onChunk(chunk.data, chunk.position);
        sink.write(chunk.data, chunk.position);
        return sink.drain().then(() => {
          const err = sink.failed;
          if (err) throw err;
        });
      },
    },
    { highWaterMark: HIGH_WATER_BYTES, size: (chunk) => chunk.data.byteLength },
  );
  return new StreamTarget(writable);
}
