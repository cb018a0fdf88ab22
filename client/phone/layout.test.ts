import assert from 'node:assert/strict';
import { test } from 'node:test';
import { DEFAULT_PHONE_VIDEO, NAV_BAR_PX, computeLayout, hiddenTopRows, mapPoint } from './layout.ts';
import type { PhoneLayout } from './layout.ts';

const PHONE = { width: 720, height: 1280 };
const HIDDEN = hiddenTopRows(720);
const near = (a: number, b: number, msg?: string) => assert.ok(Math.abs(a - b) < 1e-6, `${msg ?? ''} ${a} ≉ ${b}`);
const layoutFor = (width: number, height: number, video = PHONE, hiddenRows = HIDDEN): PhoneLayout =>
  computeLayout({ viewport: { width, height }, video, hiddenRows });

/** The picture keeps the frame's visible aspect ratio and stays on screen. */
function assertSane(l: PhoneLayout, vw: number, vh: number): void {
  const p = l.picture;
  near(p.width / p.height, l.frame.width / (l.frame.height - l.hiddenRows), 'aspect');
  assert.ok(p.left >= -1e-9 && p.top >= -1e-9 && p.left + p.width <= vw + 1e-9 && p.top + p.height <= vh + 1e-9, 'inside the viewport');
  near(l.video.width, p.width);
  near(l.video.height, l.frame.height * l.scale);
  near(l.video.top, -l.hiddenRows * l.scale, 'video shifted up by the hidden rows');
}

test('the stamp rows of a 720-wide stream: 2 cells of 11 px plus the guard rows', () => {
  assert.equal(hiddenTopRows(720), 2 * 11 + 2);
  assert.equal(hiddenTopRows(1280), 2 * 20 + 2);
  assert.equal(hiddenTopRows(320), 0, 'too narrow for a stamp: nothing hidden');
});

test('portrait 360x640: the picture fills the width-bound area, nav bar below it', () => {
  const l = layoutFor(360, 640);
  assertSane(l, 360, 640);
  assert.equal(l.navPlacement, 'below');
  near(l.picture.height + NAV_BAR_PX, 640, 'picture and bar use the full height');
  near(l.nav.top, l.picture.top + l.picture.height);
  assert.deepEqual([l.nav.left, l.nav.width, l.nav.height], [0, 360, NAV_BAR_PX]);
  near(l.picture.left, (360 - l.picture.width) / 2, 'centred');
});

test('iPhone SE 320x568 keeps the bar below, the picture as tall as the rest', () => {
  const l = layoutFor(320, 568);
  assertSane(l, 320, 568);
  assert.equal(l.navPlacement, 'below');
  near(l.picture.height, 568 - NAV_BAR_PX);
  assert.ok(l.picture.width > 290, 'less than 10% narrower than the screen');
  assert.ok(l.nav.top + l.nav.height <= 568 + 1e-9);
});

test('landscape handset: the portrait picture is pillarboxed, the bar goes beside it', () => {
  const l = layoutFor(640, 360);
  assertSane(l, 640, 360);
  assert.equal(l.navPlacement, 'side');
  near(l.picture.height, 360, 'full height');
  near(l.nav.left, l.picture.left + l.picture.width);
  assert.deepEqual([l.nav.top, l.nav.width, l.nav.height], [0, NAV_BAR_PX, 360]);
  near(l.picture.left, (640 - l.picture.width - NAV_BAR_PX) / 2, 'picture and bar centred together');
});

test('desktop 1920x1080: bar beside the picture', () => {
  const l = layoutFor(1920, 1080);
  assertSane(l, 1920, 1080);
  assert.equal(l.navPlacement, 'side');
  near(l.picture.height, 1080);
});

test("a tiny screen of the picture's own shape: the bar overlays the picture rather than shrink it", () => {
  const l = layoutFor(180, 314);
  assertSane(l, 180, 314);
  assert.equal(l.navPlacement, 'overlay');
  near(l.picture.width, 180);
  near(l.nav.top + l.nav.height, l.picture.top + l.picture.height, "at the picture's bottom edge");
  assert.deepEqual([l.nav.left, l.nav.width], [l.picture.left, l.picture.width]);
});

test('a tiny portrait screen still gets a whole picture', () => {
  const l = layoutFor(240, 320);
  assertSane(l, 240, 320);
  assert.ok(l.scale > 0.2);
});

test('unknown video size falls back to the default phone stream; a zero viewport gives no picture', () => {
  const l = layoutFor(360, 640, { width: 0, height: 0 });
  assert.deepEqual(l.frame, DEFAULT_PHONE_VIDEO);
  const none = layoutFor(0, 0);
  assert.equal(none.scale, 0);
  assert.deepEqual(mapPoint(none, 10, 10), { x: 0.5, y: 0.5, inside: false });
});

test('mapping: the visible picture covers the frame below the hidden rows', () => {
  const l = layoutFor(360, 640);
  const p = l.picture;
  const top = mapPoint(l, p.left, p.top);
  assert.equal(top.inside, true);
  near(top.x, 0);
  near(top.y, HIDDEN / 1280, 'the first visible row');
  const bottom = mapPoint(l, p.left + p.width, p.top + p.height);
  near(bottom.x, 1);
  near(bottom.y, 1);
  const mid = mapPoint(l, p.left + p.width / 2, p.top + p.height / 2);
  near(mid.x, 0.5);
  near(mid.y, (HIDDEN + (1280 - HIDDEN) / 2) / 1280);
});

test('mapping is exact in video pixels: a screen point over video pixel (360, 640) maps to its centre', () => {
  for (const [w, h] of [
    [360, 640],
    [640, 360],
    [320, 568],
    [1024, 768],
  ] as const) {
    const l = layoutFor(w, h);
    // Video pixel row 640 is (640 - hidden) rows below the picture's top edge.
    const sx = l.picture.left + 360 * l.scale;
    const sy = l.picture.top + (640 - l.hiddenRows) * l.scale;
    const m = mapPoint(l, sx, sy);
    near(m.x, 0.5, `${w}x${h} x`);
    near(m.y, 0.5, `${w}x${h} y`);
  }
});

test('mapping: points off the picture are flagged and clamped onto its visible edge', () => {
  const l = layoutFor(640, 360);
  const p = l.picture;
  const left = mapPoint(l, p.left - 50, p.top + p.height / 2);
  assert.equal(left.inside, false);
  near(left.x, 0);
  const onBar = mapPoint(l, l.nav.left + 10, 5);
  assert.equal(onBar.inside, false);
  near(onBar.x, 1);
  const above = mapPoint(l, p.left + 10, p.top - 100);
  near(above.y, HIDDEN / 1280, 'never into the hidden stamp rows');
  const below = mapPoint(l, p.left + 10, p.top + p.height + 100);
  near(below.y, 1);
});

test('without a stamp nothing is cropped and the mapping is plain contain', () => {
  const l = layoutFor(360, 640, { width: 360, height: 640 }, 0);
  assert.equal(l.video.top, 0);
  const m = mapPoint(l, l.picture.left, l.picture.top);
  assert.deepEqual(m, { x: 0, y: 0, inside: true });
});
