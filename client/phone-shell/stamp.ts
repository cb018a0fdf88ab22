/**
 * Paints the latency stamp (docs/latency-stamp.md) across the top of the
 * screen on every animation frame: row 0 = Date.now() at that frame, row 1
 * = the applied input ts. The canvas backing store is exactly 64c x 2c
 * device pixels with integer rectangles, so each cell is pure white or
 * black in the captured frame; the band right of the 64 cells stays black
 * (the shell's layout starts below the band).
 */
import { encodeStampRow } from '../../protocol/latencyStamp.ts';
import { type StampGeometry, cellRuns, stampGeometry } from './geometry.ts';

export class StampPainter {
  private geometry: StampGeometry = stampGeometry(0, 1);
  private ctx: CanvasRenderingContext2D | null = null;
  private frame: number | undefined;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly appliedTs: () => number,
  ) {}

  start(): void {
    this.resize();
    window.addEventListener('resize', () => this.resize());
    const tick = () => {
      this.paint(Date.now());
      this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
  }

  stop(): void {
    if (this.frame !== undefined) cancelAnimationFrame(this.frame);
    this.frame = undefined;
  }

  /** The band's height in CSS px, published as --stamp-h for the layout. */
  get bandCssPx(): number {
    return this.geometry.bandCssPx;
  }

  private resize(): void {
    const g = stampGeometry(window.innerWidth, window.devicePixelRatio);
    this.geometry = g;
    this.canvas.width = g.canvasWidthPx;
    this.canvas.height = g.canvasHeightPx;
    this.canvas.style.width = `${g.canvasCssWidth}px`;
    this.canvas.style.height = `${g.bandCssPx}px`;
    this.canvas.hidden = g.cellPx === 0;
    document.documentElement.style.setProperty('--stamp-h', `${g.bandCssPx}px`);
    // alpha: false lets the compositor treat the canvas as opaque; no smoothing is ever needed.
    this.ctx = this.canvas.getContext('2d', { alpha: false });
  }

  private paint(nowMs: number): void {
    const { ctx } = this;
    const c = this.geometry.cellPx;
    if (!ctx || c === 0) return;
    ctx.fillStyle = '#000';
    ctx.fillRect(0, 0, this.geometry.canvasWidthPx, this.geometry.canvasHeightPx);
    ctx.fillStyle = '#fff';
    const rows = [encodeStampRow(nowMs), encodeStampRow(this.appliedTs())];
    rows.forEach((cells, r) => {
      for (const run of cellRuns(cells)) if (run.white) ctx.fillRect(run.start * c, r * c, run.length * c, c);
    });
  }
}
