/**
 * Mapping page coordinates to the video picture. A `<video>` with
 * `object-fit: contain` letterboxes (or pillarboxes) its picture inside the
 * element box; input coordinates are normalised to the picture itself.
 */

export type Rect = { left: number; top: number; width: number; height: number };

export const clamp01 = (v: number): number => (Number.isFinite(v) ? Math.min(1, Math.max(0, v)) : 0);

/**
 * Where the picture lands inside `box` under object-fit: contain. Without a
 * known video size (0 before the first frame) the whole box is the picture.
 */
export function containRect(box: Rect, videoWidth: number, videoHeight: number): Rect {
  if (!(videoWidth > 0 && videoHeight > 0 && box.width > 0 && box.height > 0)) return { ...box };
  const scale = Math.min(box.width / videoWidth, box.height / videoHeight);
  const width = videoWidth * scale;
  const height = videoHeight * scale;
  return { left: box.left + (box.width - width) / 2, top: box.top + (box.height - height) / 2, width, height };
}

/** Page point → 0..1 picture coordinates, clamped (points on the black bars land on the nearest edge). */
export function normalisePoint(clientX: number, clientY: number, picture: Rect): { x: number; y: number } {
  if (!(picture.width > 0 && picture.height > 0)) return { x: 0.5, y: 0.5 };
  return { x: clamp01((clientX - picture.left) / picture.width), y: clamp01((clientY - picture.top) / picture.height) };
}

/** Moves a normalised cursor by a pixel delta on the displayed picture (pointer-locked mouse). */
export function moveCursor(cursor: { x: number; y: number }, dx: number, dy: number, picture: Rect): { x: number; y: number } {
  if (!(picture.width > 0 && picture.height > 0)) return { x: cursor.x, y: cursor.y };
  return { x: clamp01(cursor.x + dx / picture.width), y: clamp01(cursor.y + dy / picture.height) };
}
