import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { IntakeService } from '../../app/host/service.js';
import { cacheFor } from '../../app/host/static-files.js';
import { WebServer } from '../../app/host/web-server.js';
import { tempDir } from '../e2e/publish-helpers.js';

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

describe('intake serve: caching', () => {
  it('lets the browser keep the hashed build files, and revalidate the page and anything unhashed', async () => {
    const tmp = tempDir('cache');
    fs.writeFileSync(path.join(tmp.dir, 'index.html'), '<!doctype html><title>t</title>');
    fs.writeFileSync(path.join(tmp.dir, 'early-link.js'), '1');
    fs.mkdirSync(path.join(tmp.dir, 'assets'));
    for (const f of ['index-C2rTlOAz.js', 'index-BfUDWtcn.css', 'plain.js']) fs.writeFileSync(path.join(tmp.dir, 'assets', f), '1');
    const service = new IntakeService({ settings: { host: '127.0.0.1', port: 0, recordDir: tmp.dir, autoRecord: false }, host: { transport: 'websocket', version: 'test', canOpenFolder: false } });
    await service.start();
    const web = new WebServer({ service, host: '127.0.0.1', port: 0, rendererDir: tmp.dir });
    const { port } = await web.start();
    cleanups.push(async () => {
      await web.stop();
      await service.close();
      tmp.remove();
    });
    const cache = async (p: string): Promise<string | null> => (await fetch(`http://127.0.0.1:${port}${p}`)).headers.get('cache-control');
    expect(await cache('/assets/index-C2rTlOAz.js')).toBe('public, max-age=31536000, immutable');
    expect(await cache('/assets/index-BfUDWtcn.css')).toBe('public, max-age=31536000, immutable');
    for (const p of ['/', '/index.html', '/early-link.js', '/assets/plain.js']) expect(await cache(p)).toBe('no-cache');
    // A 404 is never kept.
    expect(await cache('/assets/gone-C2rTlOAz.js')).toBe('no-cache');
  });

  it('names only content-hashed assets as immutable', () => {
    expect(cacheFor('/assets/uPlot.esm-BScb58at.js')).toEqual({ 'Cache-Control': 'public, max-age=31536000, immutable' });
    expect(cacheFor('/index.html')).toEqual({});
    expect(cacheFor('/assets/../index-C2rTlOAz.js')).toEqual({});
  });
});
