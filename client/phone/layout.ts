/**
 * Where the phone picture, and the navigation bar, go on the handset's
 * screen, and how a point on the screen maps back onto the phone's picture.
 * Pure: the view feeds it the viewport and the stream's size, and positions
 * its elements with exactly the numbers the mapping uses, so a touch lands
 * where the subscriber sees it.
 *
 * The stream's top rows carry the latency stamp (docs/latency-stamp.md).
 * They are not part of the phone's screen, so they are hidden: the video
 * element is drawn at full size inside a clipping box (the "picture") and
 * shifted up by the hidden rows. The stamp reader reads the video element
 * itself, so the crop costs it nothing.
 *
 * Object-fit "contain" is computed here rather than left to CSS: CSS does
 * not say where it put the picture, and touch mapping must know exactly.
 */
import { stampCellSize } from '../../protocol/latencyStamp.ts';
import type { Rect } from '../letterbox.ts';

export type Size = { width: number; height: number };

/**
 * 'below': under the picture (portrait handsets); 'side': right of it
 * (landscape, desktop); 'overlay': over the picture's bottom edge, when
 * giving the bar its own strip would shrink the picture too much.
 */
export type NavPlacement = 'below' | 'side' | 'overlay';

/** The stream's size until the first frame (or the edge's welcome) says otherwise. */
export const DEFAULT_PHONE_VIDEO: Size = { width: 720, height: 1280 };
/** Thickness of the navigation bar, CSS px: one row of 44 px tap targets plus a little room. */
export const NAV_BAR_PX = 48;
/** The bar gets its own strip unless that makes the picture more than this much smaller. */
export const MAX_NAV_SHRINK = 0.1;
/**
 * Rows hidden below the stamp: scaling filters blend each row with its
 * neighbours, so the first rows under the stamp would show a faint stripe.
 */
export const STAMP_GUARD_ROWS = 2;

/** Rows at the top of a `videoWidth`-wide stream that are stamp, not phone screen (guard included). */
export function hiddenTopRows(videoWidth: number): number {
  const c = stampCellSize(videoWidth);
  return c === 0 ? 0 : 2 * c + STAMP_GUARD_ROWS;
}

export type LayoutInput = {
  /** The area the view may use, CSS px (the visual viewport). */
  viewport: Size;
  /** The stream's frame, stamp included; 0 or less = not known yet (DEFAULT_PHONE_VIDEO). */
  video: Size;
  /** Rows of the frame hidden at the top (see hiddenTopRows). */
  hiddenRows: number;
  navBarPx?: number;
  maxNavShrink?: number;
};

export type PhoneLayout = {
  /** CSS px per video pixel. */
  scale: number;
  /** The visible picture (the clipping box), in viewport coordinates. */
  picture: Rect;
  /** The video element, relative to the picture box: full frame, shifted up by the hidden rows. */
  video: Rect;
  nav: Rect;
  navPlacement: NavPlacement;
  /** The frame the mapping is for. */
  frame: Size;
  hiddenRows: number;
};

/** Where a screen point lands on the phone: normalised 0..1 over the whole (uncropped) frame. */
export type PicturePoint = { x: number; y: number; inside: boolean };

const clamp = (v: number, lo: number, hi: number): number => (Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : lo);

export function computeLayout(input: LayoutInput): PhoneLayout {
  const frame = input.video.width > 0 && input.video.height > 0 ? { width: input.video.width, height: input.video.height } : { ...DEFAULT_PHONE_VIDEO };
  const hiddenRows = clamp(Math.round(input.hiddenRows), 0, frame.height - 1);
  const visibleHeight = frame.height - hiddenRows;
  const bar = Math.max(0, input.navBarPx ?? NAV_BAR_PX);
  const vw = Math.max(0, input.viewport.width);
  const vh = Math.max(0, input.viewport.height);
  const fit = (w: number, h: number): number => Math.max(0, Math.min(w / frame.width, h / visibleHeight));

  const overlayScale = fit(vw, vh);
  const belowScale = fit(vw, vh - bar);
  const sideScale = fit(vw - bar, vh);
  // Whichever strip costs the picture less; a tie (a tall screen) keeps the bar below, where Android has it.
  let placement: NavPlacement = belowScale >= sideScale ? 'below' : 'side';
  let scale = Math.max(belowScale, sideScale);
  if (scale < overlayScale * (1 - (input.maxNavShrink ?? MAX_NAV_SHRINK))) {
    placement = 'overlay';
    scale = overlayScale;
  }

  const pw = frame.width * scale;
  const ph = visibleHeight * scale;
  let picture: Rect;
  let nav: Rect;
  if (placement === 'below') {
    // Picture and bar centred as one block; the bar spans the screen's width for the biggest targets.
    const top = (vh - ph - bar) / 2;
    picture = { left: (vw - pw) / 2, top, width: pw, height: ph };
    nav = { left: 0, top: top + ph, width: vw, height: bar };
  } else if (placement === 'side') {
    const left = (vw - pw - bar) / 2;
    picture = { left, top: (vh - ph) / 2, width: pw, height: ph };
    nav = { left: left + pw, top: 0, width: bar, height: vh };
  } else {
    picture = { left: (vw - pw) / 2, top: (vh - ph) / 2, width: pw, height: ph };
    const h = Math.min(bar, ph);
    nav = { left: picture.left, top: picture.top + ph - h, width: pw, height: h };
  }
  const video: Rect = { left: 0, top: hiddenRows > 0 ? -hiddenRows * scale : 0, width: pw, height: frame.height * scale };
  return { scale, picture, video, nav, navPlacement: placement, frame, hiddenRows };
}

/**
 * A viewport point → the phone's normalised coordinates, over the whole
 * frame (the hidden stamp rows included, as the edge injects them).
 * Points off the picture are clamped onto its nearest visible edge and
 * flagged `inside: false`: the caller ignores touches that start there
 * (on the black bars), and clamps the rest of a touch that started on the
 * picture and slid off it, so a swipe still ends where it left the screen.
 */
export function mapPoint(layout: PhoneLayout, px: number, py: number): PicturePoint {
  const p = layout.picture;
  if (!(p.width > 0 && p.height > 0 && layout.scale > 0)) return { x: 0.5, y: 0.5, inside: false };
  const inside = px >= p.left && px <= p.left + p.width && py >= p.top && py <= p.top + p.height;
  const x = clamp((px - p.left) / p.width, 0, 1);
  const row = layout.hiddenRows + (py - p.top) / layout.scale;
  const y = clamp(row / layout.frame.height, layout.hiddenRows / layout.frame.height, 1);
  return { x, y, inside };
}
