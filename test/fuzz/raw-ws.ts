import crypto from 'node:crypto';
import net from 'node:net';

/**
 * A WebSocket client made of bytes, for the fuzz test: it can send what no
 * library would (invalid UTF-8 in a text frame, reserved bits, unmasked or
 * truncated frames, lying lengths) and reports what the server did: the
 * text frames it answered with and the close code it sent, if any.
 */
export interface RawWs {
  send(bytes: Buffer): void;
  /** Text frames received so far. */
  texts: string[];
  /** The close code the server sent (0: closed without a close frame), or null while open. */
  closeCode(): number | null;
  /** Resolves when the TCP connection is closed. */
  closed: Promise<void>;
  end(): void;
}

/** One client frame: FIN, RSV bits, opcode, masked payload; `declared` lies about the length. */
export function frame(opcode: number, payload: Buffer, opts: { fin?: boolean; rsv?: number; mask?: boolean; declared?: number } = {}): Buffer {
  const len = opts.declared ?? payload.length;
  const mask = opts.mask ?? true;
  const head: number[] = [((opts.fin ?? true) ? 0x80 : 0) | ((opts.rsv ?? 0) << 4) | (opcode & 0x0f)];
  const m = mask ? 0x80 : 0;
  if (len < 126) head.push(m | len);
  else if (len < 65536) head.push(m | 126, len >> 8, len & 0xff);
  else {
    head.push(m | 127);
    const b = Buffer.alloc(8);
    b.writeBigUInt64BE(BigInt(len));
    head.push(...b);
  }
  if (!mask) return Buffer.concat([Buffer.from(head), payload]);
  const key = crypto.randomBytes(4);
  const body = Buffer.from(payload);
  for (let i = 0; i < body.length; i++) body[i] ^= key[i & 3];
  return Buffer.concat([Buffer.from(head), key, body]);
}

/** Upgrade a raw socket to a WebSocket at `path`; resolves with the HTTP status of the answer and, on 101, the client. */
export function rawWs(port: number, path: string, headers: string[] = []): Promise<{ status: number; ws?: RawWs }> {
  return new Promise((resolve, reject) => {
    const s = net.connect({ host: '127.0.0.1', port });
    let buf = Buffer.alloc(0);
    let upgraded = false;
    let code: number | null = null;
    const texts: string[] = [];
    const closed = new Promise<void>((r) => s.once('close', () => r()));
    const t = setTimeout(() => reject(new Error(`no answer to the upgrade of ${path}`)), 5000);
    s.on('error', () => {});
    s.on('connect', () => {
      const key = crypto.randomBytes(16).toString('base64');
      s.write([`GET ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Upgrade: websocket', 'Connection: Upgrade', 'Sec-WebSocket-Version: 13', `Sec-WebSocket-Key: ${key}`, ...headers, '', ''].join('\r\n'));
    });
    const parse = (): void => {
      for (;;) {
        if (buf.length < 2) return;
        let len = buf[1] & 0x7f;
        let off = 2;
        if (len === 126) {
          if (buf.length < 4) return;
          len = buf.readUInt16BE(2);
          off = 4;
        } else if (len === 127) {
          if (buf.length < 10) return;
          len = Number(buf.readBigUInt64BE(2));
          off = 10;
        }
        if (buf.length < off + len) return;
        const op = buf[0] & 0x0f;
        const body = buf.subarray(off, off + len);
        if (op === 1) texts.push(body.toString());
        if (op === 8) code = body.length >= 2 ? body.readUInt16BE(0) : 1005;
        buf = buf.subarray(off + len);
      }
    };
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (!upgraded) {
        const end = buf.indexOf('\r\n\r\n');
        if (end < 0) return;
        const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(buf.subarray(0, end).toString('latin1'))?.[1] ?? 0);
        clearTimeout(t);
        if (status !== 101) {
          s.destroy();
          resolve({ status });
          return;
        }
        upgraded = true;
        buf = buf.subarray(end + 4);
        resolve({
          status,
          ws: { send: (b) => s.write(b), texts, closeCode: () => (code ?? (s.destroyed ? 0 : null)), closed, end: () => s.destroy() },
        });
      }
      parse();
    });
    s.on('close', () => {
      clearTimeout(t);
      if (!upgraded) resolve({ status: 0 });
    });
  });
}
