/** Great-circle distance for geographic placement, and the range check placement applies to a location hint. */
import type { GeoPoint } from '../../protocol/index.ts';

/** Mean Earth radius (IUGG), km. The haversine error from the sphere model is < 0.5 %, plenty for ranking. */
export const EARTH_RADIUS_KM = 6371.0088;

const rad = (deg: number) => (deg * Math.PI) / 180;

/** Great-circle distance in km between two valid points (haversine formula). */
export function haversineKm(a: GeoPoint, b: GeoPoint): number {
  const dLat = rad(b.lat - a.lat);
  const dLon = rad(b.lon - a.lon);
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(rad(a.lat)) * Math.cos(rad(b.lat)) * Math.sin(dLon / 2) ** 2;
  // min() guards asin against h drifting above 1 by rounding for antipodal points.
  return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
}

/** True for `{lat, lon}` with finite latitude in [-90, 90] and longitude in [-180, 180]. */
export function isGeoPoint(v: unknown): v is GeoPoint {
  if (typeof v !== 'object' || v === null) return false;
  const { lat, lon } = v as Record<string, unknown>;
  return (
    typeof lat === 'number' && typeof lon === 'number' && Number.isFinite(lat) && Number.isFinite(lon) && lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180
  );
}
