/**
 * Puts decoded VideoFrames on the real-time preview's canvas.
 *
 * Why not simply `drawImage(frame)`: without a GPU (software compositing,
 * as in headless Chromium and on machines whose GPU Chromium blocks), every
 * `drawImage` of a VideoFrame converts it into a new frame-sized shared
 * memory buffer that Chromium keeps long after the frame is closed: 127
 * buffers of 4.1 MB each for a 720p stream, 470 MB of the renderer's
 * resident memory within ten seconds (`/memfd:shared-memory-region` in
 * /proc/PID/smaps; measured with Chromium 156, bench/RESULTS.md, issue 8).
 * There the frame's pixels are instead converted into one reused RGBA
 * buffer (`VideoFrame.copyTo`, libyuv in Chromium) and put on the canvas
 * with `putImageData`: the renderer stays near 270 MB at the same CPU.
 * With a GPU, `drawImage` stays: it is a texture copy there, while the
 * buffer path would read every frame back from the GPU.
 *
 * The copy is asynchronous; while one is in flight only the newest frame
 * waits (older ones are closed unpainted), so a slow paint never queues
 * frames, and the picture is always the newest decoded.
 */

let software: boolean | undefined;

/**
 * Whether this page composites without a GPU (no WebGL, or a software
 * rasteriser behind it). Asked once a page: the answer does not change, and
 * each ask makes (and throws away) a WebGL context, on every preview start.
 */
export function softwareCompositing(): boolean {
  if (software === undefined) software = askSoftware();
  return software;
}

/**
 * The answer of {@link softwareCompositing} if it has been asked, else null.
 * Why not ask: the ask makes a WebGL context, 55–67 ms of main thread at
 * load average 11 here, and after a reload the first painter was made on
 * the way to the first picture (between `preview:engine` and the player's
 * first data); asked at the next idle moment instead, it landed while the
 * first frame decoded. Until it is answered a painter takes the buffer
 * path, which is right everywhere (with a GPU it costs a read-back per
 * frame), and it is asked a second after a first picture is on the canvas
 * ({@link askSoftwareCompositingLater}).
 */
export function softwareCompositingIfKnown(): boolean | null {
  return software ?? null;
}

let asking = false;

/** Ask {@link softwareCompositing} a second from now, when the page is idle (once a page). */
export function askSoftwareCompositingLater(): void {
  if (software !== undefined || asking) return;
  asking = true;
  setTimeout(() => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => softwareCompositing(), { timeout: 2000 });
    else softwareCompositing();
  }, 1000);
}

function askSoftware(): boolean {
  try {
    const gl = document.createElement('canvas').getContext('webgl');
    if (!gl) return true;
    const info = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = info ? String(gl.getParameter(info.UNMASKED_RENDERER_WEBGL)) : '';
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return /swiftshader|llvmpipe|software/i.test(renderer);
  } catch {
    return true;
  }
}

/**
 * Paints frames on one canvas. `shown` is told the timestamp of each frame
 * once it is on the canvas; `skipped` of each frame closed unpainted (a
 * newer one replaced it, or it could not be converted), so that every
 * frame handed over is counted exactly once, as painted or not.
 */
export class FramePainter {
  private readonly ctx: CanvasRenderingContext2D | null;
  private pixels: ImageData | null = null;
  /** Where the pixels go first when the display size differs from the coded picture's (non-square pixels). */
  private scratch: OffscreenCanvas | null = null;
  private busy = false;
  private waiting: VideoFrame | null = null;
  private closed = false;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly shown: (timestamp: number) => void,
    private readonly skipped: (timestamp: number) => void,
    /** True: always the buffer path; false: always drawImage; null: as {@link softwareCompositingIfKnown} says at each frame. */
    private readonly via: boolean | null = softwareCompositingIfKnown(),
  ) {
    this.ctx = canvas.getContext('2d', { alpha: false, desynchronized: true });
  }

  /** Whether frames go through the buffer (see the file's comment); the buffer path until the ask has been answered. */
  private get viaBuffer(): boolean {
    return this.via ?? software ?? true;
  }

  /** The path in use, for the preview's details. */
  get path(): 'buffer' | 'draw' {
    return this.viaBuffer ? 'buffer' : 'draw';
  }

  /** Paint `frame` (now or once the paint in flight ends); the painter owns it and closes it. */
  paint(frame: VideoFrame): void {
    if (this.closed || !this.ctx) {
      const ts = frame.timestamp;
      frame.close();
      return this.skipped(ts);
    }
    this.size(frame.displayWidth, frame.displayHeight);
    if (!this.viaBuffer) {
      try {
        this.ctx.drawImage(frame, 0, 0, frame.displayWidth, frame.displayHeight);
        this.shown(frame.timestamp);
        askSoftwareCompositingLater();
      } finally {
        frame.close();
      }
      return;
    }
    if (this.busy) {
      if (this.waiting) this.drop(this.waiting);
      this.waiting = frame;
      return;
    }
    void this.copy(frame);
  }

  close(): void {
    this.closed = true;
    if (this.waiting) this.drop(this.waiting);
    this.waiting = null;
    this.pixels = null;
    this.scratch = null;
  }

  private async copy(frame: VideoFrame): Promise<void> {
    this.busy = true;
    try {
      const { width, height } = frame.visibleRect ?? { width: frame.codedWidth, height: frame.codedHeight };
      if (!this.pixels || this.pixels.width !== width || this.pixels.height !== height) this.pixels = new ImageData(width, height);
      // RGBA is what ImageData holds; Chromium converts (and crops to the visible rectangle) in copyTo.
      await frame.copyTo(this.pixels.data, { format: 'RGBA', colorSpace: 'srgb' } as VideoFrameCopyToOptions);
      if (this.closed || !this.ctx) return;
      this.put(this.pixels, frame.displayWidth, frame.displayHeight);
      this.shown(frame.timestamp);
      askSoftwareCompositingLater();
    } catch {
      // A frame that cannot be converted (closed, a format copyTo lacks) is skipped; the next one paints.
      this.skipped(frame.timestamp);
    } finally {
      frame.close();
      this.busy = false;
      const next = this.waiting;
      this.waiting = null;
      if (next) void this.copy(next);
    }
  }

  private drop(frame: VideoFrame): void {
    const ts = frame.timestamp;
    frame.close();
    this.skipped(ts);
  }

  private put(pixels: ImageData, displayWidth: number, displayHeight: number): void {
    if (!this.ctx) return;
    if (pixels.width === displayWidth && pixels.height === displayHeight) return this.ctx.putImageData(pixels, 0, 0);
    // Non-square pixels: put at the coded size, then scale to the display size (a canvas-to-canvas copy).
    if (!this.scratch || this.scratch.width !== pixels.width || this.scratch.height !== pixels.height) this.scratch = new OffscreenCanvas(pixels.width, pixels.height);
    this.scratch.getContext('2d')?.putImageData(pixels, 0, 0);
    this.ctx.drawImage(this.scratch, 0, 0, displayWidth, displayHeight);
  }

  private size(width: number, height: number): void {
    if (this.canvas.width !== width || this.canvas.height !== height) {
      this.canvas.width = width;
      this.canvas.height = height;
    }
  }
}
