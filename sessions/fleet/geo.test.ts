import { test } from 'node:test';
import assert from 'node:assert/strict';
import { haversineKm, isGeoPoint } from './geo.ts';

const PARIS = { lat: 48.8566, lon: 2.3522 };
const LONDON = { lat: 51.5074, lon: -0.1278 };
const NEW_YORK = { lat: 40.7128, lon: -74.006 };
const SYDNEY = { lat: -33.8688, lon: 151.2093 };

test('haversine distances match known great-circle figures within 1 %', () => {
  const rows: [string, { lat: number; lon: number }, { lat: number; lon: number }, number][] = [
    ['Paris-London', PARIS, LONDON, 344],
    ['London-New York', LONDON, NEW_YORK, 5570],
    ['New York-Sydney', NEW_YORK, SYDNEY, 15990],
    ['same point', PARIS, PARIS, 0],
  ];
  for (const [name, a, b, km] of rows) {
    const d = haversineKm(a, b);
    assert.ok(Math.abs(d - km) <= Math.max(1, km * 0.01), `${name}: ${d} km, expected about ${km}`);
    assert.equal(d, haversineKm(b, a), `${name} is symmetric`);
  }
});

test('antipodal points give half the circumference, not NaN', () => {
  const d = haversineKm({ lat: 0, lon: 0 }, { lat: 0, lon: 180 });
  assert.ok(Math.abs(d - Math.PI * 6371.0088) < 1e-6);
});

test('geo points are validated', () => {
  const rows: [unknown, boolean][] = [
    [PARIS, true],
    [{ lat: 90, lon: -180 }, true],
    [{ lat: 91, lon: 0 }, false],
    [{ lat: 0, lon: 180.5 }, false],
    [{ lat: Number.NaN, lon: 0 }, false],
    [{ lat: Infinity, lon: 0 }, false],
    [{ lat: '48', lon: 2 }, false],
    [{ lat: 1 }, false],
    [null, false],
    ['48,2', false],
    [[48, 2], false],
  ];
  for (const [v, ok] of rows) assert.equal(isGeoPoint(v), ok, JSON.stringify(v));
});
