import fs from 'node:fs';
import path from 'node:path';
import type WebSocket from 'ws';
import { IntakeService } from '../../app/host/service.js';
import { WebServer, type WebServerOptions } from '../../app/host/web-server.js';
import { tempDir } from '../e2e/publish-helpers.js';

/** An in-process `intake serve`: service on a free RTMP port, web server on a free HTTP port, and what it logged. */
export async function serveInProcess(web: Partial<WebServerOptions> = {}, cleanups: (() => Promise<void> | void)[]) {
  const tmp = tempDir('ws');
  fs.writeFileSync(path.join(tmp.dir, 'index.html'), '<!doctype html><title>t</title>');
  const service = new IntakeService({
    settings: { host: '127.0.0.1', port: 0, recordDir: tmp.dir, autoRecord: false },
    host: { transport: 'websocket', version: 'test', canOpenFolder: false },
  });
  const logs: string[] = [];
  await service.start();
  const server = new WebServer({ service, host: '127.0.0.1', port: 0, rendererDir: tmp.dir, log: (l, m) => void logs.push(`${l}: ${m}`), ...web });
  const addr = await server.start();
  cleanups.push(async () => {
    await server.stop();
    await service.close();
    tmp.remove();
  });
  return { service, server, logs, dir: tmp.dir, httpPort: addr.port, rtmpPort: service.status.port, wsUrl: `ws://127.0.0.1:${addr.port}/ws` };
}

/** Resolves once `ws` is open. */
export function opened(ws: WebSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    ws.once('open', () => resolve());
    ws.once('error', reject);
  });
}

/** The close code `ws` gets. */
export function closeCode(ws: WebSocket): Promise<number> {
  return new Promise((resolve) => ws.once('close', (c) => resolve(c)));
}

export type Reply = { id: number; ok: boolean; res?: unknown; error?: { code: string; message: string } };

/** Send a request and resolve with its reply. */
export function request(ws: WebSocket, id: number, name: string, arg: unknown): Promise<Reply> {
  return new Promise((resolve) => {
    const onMsg = (data: WebSocket.RawData, binary: boolean): void => {
      if (binary) return;
      const f = JSON.parse(String(data)) as { id?: number };
      if (f.id === id) {
        ws.off('message', onMsg);
        resolve(f as Reply);
      }
    };
    ws.on('message', onMsg);
    ws.send(JSON.stringify({ id, name, arg }));
  });
}
