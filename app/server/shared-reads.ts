/**
 * Accepted sockets read into one buffer that all of them share, as
 * `new net.Socket({ onread: { buffer, callback } })` reads a socket one
 * creates itself. Node offers `onread` only to a socket it does not accept,
 * so this sets the same two fields on an accepted one, found by their symbol
 * descriptions ('kBuffer', 'kBufferCb'), and switches its handle to the
 * buffer with `useUserBuffer`, which is what Node's constructor does with the
 * option (lib/net.js, the same in Node 20 and 22). Where they are not found,
 * nothing is changed and the caller listens to 'data' as before.
 *
 * Why: with 'data', Node allocates 64 kB for every read, copies the bytes
 * into a second, zero-filled allocation of their own size, frees the first,
 * and runs each through the Readable stream machinery (push, 'data', and a
 * nextTick per read). With 100 publishers that was ~650 of 4,540 perf samples
 * of the receiver's CPU in a fan-in, more than the chunk decoder (bench/RESULTS.md,
 * "Reads into one shared buffer"). With the shared buffer a read is one
 * syscall into memory already there and one call of `onRead`.
 *
 * The catch is the buffer's lifetime: the next read of any socket overwrites
 * it, so whatever is not consumed before `onRead` returns must be copied (the
 * transport keeps its unparsed rest: ByteQueue.keepLast), and a message
 * payload handed up is valid only during its handler, which the engine's
 * reassembly already requires (ChunkDecoder's `reuseBuffers`). Sharing one
 * buffer between sockets is safe because libuv delivers one read at a time
 * on the one thread, and `onRead` parses it completely before returning.
 */

/** As large as the buffer Node reads a socket into by default. */
const SHARED = Buffer.allocUnsafeSlow(64 * 1024);

/** The two fields of net.Socket that hold an `onread` buffer and callback. */
interface OnreadFields {
  buffer: symbol;
  callback: symbol;
}

let fields: OnreadFields | null | undefined;

function onreadFields(socket: object): OnreadFields | null {
  if (fields !== undefined) return fields;
  const own = Object.getOwnPropertySymbols(socket);
  const buffer = own.find((s) => s.description === 'kBuffer');
  const callback = own.find((s) => s.description === 'kBufferCb');
  fields = buffer && callback ? { buffer, callback } : null;
  return fields;
}

/** What an accepted net.Socket has that this relies on (not in Node's public types). */
interface SocketInternals {
  _handle?: { useUserBuffer?: (buf: Uint8Array) => void } | null;
  destroyed?: boolean;
  readableLength?: number;
}

/**
 * Make `socket` read into the shared buffer and call `onRead` with each
 * read's bytes (a view of that buffer, valid until `onRead` returns) instead
 * of emitting 'data'. Call it in the tick the socket was accepted, before any
 * read. Returns false, changing nothing, for a stream that is not an accepted
 * net.Socket with a handle, or on a Node whose net.Socket lacks the fields.
 */
export function readIntoSharedBuffer(socket: object, onRead: (bytes: Buffer) => void): boolean {
  const s = socket as SocketInternals & Record<symbol, unknown>;
  const handle = s._handle;
  // Nothing read yet into a buffer of Node's that 'data' would still have to deliver.
  if (!handle || typeof handle.useUserBuffer !== 'function' || s.destroyed || s.readableLength !== 0) return false;
  const f = onreadFields(socket);
  // Both fields null: a plain socket, no onread set.
  if (!f || s[f.buffer] !== null || s[f.callback] !== null) return false;
  s[f.buffer] = SHARED;
  s[f.callback] = (nread: number, buf: Buffer): void => {
    onRead(buf.subarray(0, nread));
  };
  handle.useUserBuffer(SHARED);
  return true;
}
