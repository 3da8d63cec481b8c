/**
 * The RTMP handshake, server and client side, as pure functions: bytes in,
 * bytes out, no sockets, no timers.
 *
 *   client -> C0 (version byte, 3) + C1 (1536 bytes)
 *   server -> S0 + S1 + S2 (1 + 1536 + 1536 bytes)
 *   client -> C2 (1536 bytes)
 *
 * C1/S1 = time(4) + version(4) + 1528 random bytes. A zero C1 version means the
 * plain handshake of the spec: S2 echoes C1 and C2 echoes S1. A non-zero C1
 * version usually means the Flash Player 9 digest handshake (see
 * handshake-digest.ts); when the digest is not valid we fall back to plain,
 * as nginx-rtmp does.
 */
import { randomBytes } from 'node:crypto';
import { ErrorCode, RtmpError } from '../errors.js';
import type { DigestSchema } from './handshake-digest.js';
import {
  CLIENT_FULL_KEY,
  CLIENT_PARTIAL_KEY,
  DIGEST_LENGTH,
  SERVER_FULL_KEY,
  SERVER_PARTIAL_KEY,
  findDigest,
  imprintDigest,
  responseSignature,
  signResponse,
} from './handshake-digest.js';

export const HANDSHAKE_PACKET_SIZE = 1536;
export const RTMP_VERSION = 3;

export type HandshakeKind = 'plain' | 'digest';

export interface ServerHandshakeResult {
  kind: HandshakeKind;
  /** Digest schema used by the client, null for plain. */
  schema: DigestSchema | null;
  /** C1 bytes 4..7 as dotted "a.b.c.d" (e.g. "9.0.124.2", "0.0.0.0"). */
  clientVersion: string;
  /** C1 bytes 0..3. */
  clientTime: number;
  /** S0+S1+S2, 1 + 1536 + 1536 bytes. */
  response: Buffer;
}

export interface HandshakeOptions {
  /** Our 32-bit time field in ms; defaults to the process uptime in ms. */
  now?: number;
  /** Source of random bytes; defaults to crypto.randomBytes. */
  random?: (n: number) => Buffer;
}

export interface ClientHelloOptions extends HandshakeOptions {
  /** Send a digest C1 (Flash Player 9 handshake). Default true. */
  digest?: boolean;
  /** Where to put the C1 digest. Default 1 (what ffmpeg and nginx-rtmp send). */
  schema?: DigestSchema;
}

export interface ClientHandshakeState {
  readonly c1: Buffer;
  /** The C1 digest, null for a plain C1. */
  readonly digest: Buffer | null;
  readonly schema: DigestSchema | null;
  readonly random: (n: number) => Buffer;
}

/** Version we announce in a digest S1 (13.14.10.13, as nginx-rtmp). */
const SERVER_VERSION = [0x0d, 0x0e, 0x0a, 0x0d];
/** Version we announce in a digest C1 (10.0.45.2, a Flash Player 10 build). */
const CLIENT_VERSION = [0x0a, 0x00, 0x2d, 0x02];

function defaultTime(): number {
  return Math.floor(performance.now());
}

function toBuffer(bytes: Uint8Array): Buffer {
  return Buffer.isBuffer(bytes) ? bytes : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

/** time(4) + version(4) + random(1528). */
function makePacket(time: number, version: readonly number[], random: (n: number) => Buffer): Buffer {
  const packet = Buffer.alloc(HANDSHAKE_PACKET_SIZE);
  packet.writeUInt32BE(time >>> 0, 0);
  packet.set(version, 4);
  random(HANDSHAKE_PACKET_SIZE - 8).copy(packet, 8);
  return packet;
}

function checkVersionByte(version: number, who: 'C0' | 'S0'): void {
  if (version === RTMP_VERSION) return;
  const prefix = who === 'C0' ? '' : 'server answered with ';
  let hint = 'only version 3 is supported';
  if (version === 6 || version === 8 || version === 9) hint = 'encrypted RTMPE is not supported';
  else if (version === 0x16) hint = 'this looks like TLS: use rtmp://, not rtmps://';
  else if (version === 0x47 || version === 0x50 || version === 0x4f || version === 0x48) {
    hint = 'this looks like HTTP, not RTMP';
  }
  throw new RtmpError(ErrorCode.Handshake, `${prefix}unsupported RTMP version ${version} (${hint})`);
}

function checkLength(bytes: Uint8Array, expected: number, what: string): void {
  if (bytes.length !== expected) {
    throw new RtmpError(ErrorCode.Handshake, `${what} must be ${expected} bytes, got ${bytes.length}`);
  }
}

/** Answer C0+C1 (exactly 1537 bytes) with S0+S1+S2. Throws RtmpError(Handshake) if C0 != 3. */
export function serverHandshake(c0c1: Uint8Array, opts: HandshakeOptions = {}): ServerHandshakeResult {
  if (c0c1.length > 0) checkVersionByte(c0c1[0], 'C0');
  checkLength(c0c1, 1 + HANDSHAKE_PACKET_SIZE, 'C0+C1');
  const random = opts.random ?? randomBytes;
  const now = opts.now ?? defaultTime();
  const c1 = toBuffer(c0c1).subarray(1);
  const clientTime = c1.readUInt32BE(0);
  const clientVersion = `${c1[4]}.${c1[5]}.${c1[6]}.${c1[7]}`;
  const versioned = c1[4] !== 0 || c1[5] !== 0 || c1[6] !== 0 || c1[7] !== 0;
  const found = versioned ? findDigest(c1, CLIENT_PARTIAL_KEY) : null;

  const response = Buffer.alloc(1 + 2 * HANDSHAKE_PACKET_SIZE);
  response[0] = RTMP_VERSION;
  const s1 = response.subarray(1, 1 + HANDSHAKE_PACKET_SIZE);
  const s2 = response.subarray(1 + HANDSHAKE_PACKET_SIZE);

  if (found === null) {
    makePacket(now, [0, 0, 0, 0], random).copy(s1);
    c1.copy(s2);
    return { kind: 'plain', schema: null, clientVersion, clientTime, response };
  }

  makePacket(now, SERVER_VERSION, random).copy(s1);
  imprintDigest(s1, found.schema, SERVER_PARTIAL_KEY);
  random(HANDSHAKE_PACKET_SIZE).copy(s2);
  signResponse(s2, SERVER_FULL_KEY, found.digest);
  return { kind: 'digest', schema: found.schema, clientVersion, clientTime, response };
}

/** Client side, for our own test publisher and benchmark pusher: build C0+C1. */
export function clientHello(opts: ClientHelloOptions = {}): { c0c1: Buffer; state: ClientHandshakeState } {
  const random = opts.random ?? randomBytes;
  const digest = opts.digest ?? true;
  const c0c1 = Buffer.alloc(1 + HANDSHAKE_PACKET_SIZE);
  c0c1[0] = RTMP_VERSION;
  const c1 = c0c1.subarray(1);
  makePacket(opts.now ?? defaultTime(), digest ? CLIENT_VERSION : [0, 0, 0, 0], random).copy(c1);
  if (!digest) {
    return { c0c1, state: { c1: Buffer.from(c1), digest: null, schema: null, random } };
  }
  const schema = opts.schema ?? 1;
  const c1Digest = imprintDigest(c1, schema, CLIENT_PARTIAL_KEY);
  return { c0c1, state: { c1: Buffer.from(c1), digest: c1Digest, schema, random } };
}

/**
 * Given S0+S1+S2 (3073 bytes), return C2. Validates S0 == 3. If our C1 carried
 * a digest and S1 carries a valid server digest, S2 must carry the matching
 * signature (else RtmpError, as ffmpeg does) and C2 is the digest response;
 * otherwise C2 echoes S1 and serverKind is 'plain'.
 */
export function clientFinish(state: ClientHandshakeState, s0s1s2: Uint8Array): { c2: Buffer; serverKind: HandshakeKind } {
  if (s0s1s2.length > 0) checkVersionByte(s0s1s2[0], 'S0');
  checkLength(s0s1s2, 1 + 2 * HANDSHAKE_PACKET_SIZE, 'S0+S1+S2');
  const bytes = toBuffer(s0s1s2);
  const s1 = bytes.subarray(1, 1 + HANDSHAKE_PACKET_SIZE);
  const s2 = bytes.subarray(1 + HANDSHAKE_PACKET_SIZE);

  const found = state.digest === null ? null : findDigest(s1, SERVER_PARTIAL_KEY);
  if (state.digest === null || found === null) {
    return { c2: Buffer.from(s1), serverKind: 'plain' };
  }

  const expected = responseSignature(s2, SERVER_FULL_KEY, state.digest);
  if (!expected.equals(s2.subarray(HANDSHAKE_PACKET_SIZE - DIGEST_LENGTH))) {
    throw new RtmpError(ErrorCode.Handshake, 'S2 signature does not match our C1 digest');
  }
  const c2 = Buffer.alloc(HANDSHAKE_PACKET_SIZE);
  state.random(HANDSHAKE_PACKET_SIZE).copy(c2);
  signResponse(c2, CLIENT_FULL_KEY, found.digest);
  return { c2, serverKind: 'digest' };
}
