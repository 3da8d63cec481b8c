/**
 * The HMAC-SHA256 "digest" part of the RTMP handshake (the Flash Player 9
 * "complex" handshake). Not in the published RTMP spec; the layout below is
 * the one nginx-rtmp, SRS, ffmpeg and librtmp agree on.
 *
 * A 1536-byte C1/S1 packet is time(4) + version(4) + two 764-byte blocks. One
 * block hides a 32-byte digest at an offset derived from its first four bytes:
 *
 *   schema 1: digest block at 8,   digest at (p[8]   + ... + p[11])  % 728 + 12
 *   schema 0: digest block at 772, digest at (p[772] + ... + p[775]) % 728 + 776
 *
 * The digest is HMAC-SHA256 over the packet with those 32 bytes left out, keyed
 * with the sender's *partial* key (the ASCII part of its key). C2/S2 carry a
 * signature in their last 32 bytes, keyed with HMAC(full key of the signer,
 * digest of the peer's C1/S1).
 */
import { createHmac } from 'node:crypto';

export const DIGEST_LENGTH = 32;
const PACKET_SIZE = 1536;

/** The 32 fixed bytes both full keys end with. */
const KEY_TAIL = Buffer.from([
  0xf0, 0xee, 0xc2, 0x4a, 0x80, 0x68, 0xbe, 0xe8, 0x2e, 0x00, 0xd0, 0xd1, 0x02, 0x9e, 0x7e, 0x57,
  0x6e, 0xec, 0x5d, 0x2d, 0x29, 0x80, 0x6f, 0xab, 0x93, 0xb8, 0xe6, 0x36, 0xcf, 0xeb, 0x31, 0xae,
]);

/** 68 bytes: "Genuine Adobe Flash Media Server 001" + KEY_TAIL. */
export const SERVER_FULL_KEY = Buffer.concat([Buffer.from('Genuine Adobe Flash Media Server 001', 'latin1'), KEY_TAIL]);
/** The first 36 bytes of the server key: signs S1. */
export const SERVER_PARTIAL_KEY = SERVER_FULL_KEY.subarray(0, 36);
/** 62 bytes: "Genuine Adobe Flash Player 001" + KEY_TAIL. */
export const CLIENT_FULL_KEY = Buffer.concat([Buffer.from('Genuine Adobe Flash Player 001', 'latin1'), KEY_TAIL]);
/** The first 30 bytes of the client key: signs C1. */
export const CLIENT_PARTIAL_KEY = CLIENT_FULL_KEY.subarray(0, 30);

export type DigestSchema = 0 | 1;

/** Where the digest sits in a 1536-byte C1/S1 packet for a given schema. */
export function digestOffset(packet: Uint8Array, schema: DigestSchema): number {
  const base = schema === 0 ? 772 : 8;
  const sum = packet[base] + packet[base + 1] + packet[base + 2] + packet[base + 3];
  return (sum % 728) + base + 4;
}

/** HMAC-SHA256 of `packet` without the 32 bytes at `offset`. */
export function packetDigest(packet: Uint8Array, offset: number, key: Uint8Array): Buffer {
  return createHmac('sha256', key)
    .update(packet.subarray(0, offset))
    .update(packet.subarray(offset + DIGEST_LENGTH))
    .digest();
}

/** Compute and write the digest of a 1536-byte packet in place; returns the digest. */
export function imprintDigest(packet: Buffer, schema: DigestSchema, key: Uint8Array): Buffer {
  const offset = digestOffset(packet, schema);
  const digest = packetDigest(packet, offset, key);
  digest.copy(packet, offset);
  return digest;
}

/**
 * Look for a valid digest in a 1536-byte packet, schema 0 first then schema 1
 * (as nginx-rtmp does). Returns the schema and the digest, or null.
 */
export function findDigest(packet: Buffer, key: Uint8Array): { schema: DigestSchema; digest: Buffer } | null {
  for (const schema of [0, 1] as const) {
    const offset = digestOffset(packet, schema);
    const expected = packetDigest(packet, offset, key);
    const actual = packet.subarray(offset, offset + DIGEST_LENGTH);
    if (expected.equals(actual)) return { schema, digest: expected };
  }
  return null;
}

/** The signature of a C2/S2: HMAC(key = HMAC(fullKey, peerDigest), packet[0..1504]). */
export function responseSignature(packet: Uint8Array, fullKey: Uint8Array, peerDigest: Uint8Array): Buffer {
  const key = createHmac('sha256', fullKey).update(peerDigest).digest();
  return createHmac('sha256', key)
    .update(packet.subarray(0, PACKET_SIZE - DIGEST_LENGTH))
    .digest();
}

/** Fill a C2/S2 built from random bytes with its signature (last 32 bytes), in place. */
export function signResponse(packet: Buffer, fullKey: Uint8Array, peerDigest: Uint8Array): void {
  responseSignature(packet, fullKey, peerDigest).copy(packet, PACKET_SIZE - DIGEST_LENGTH);
}
