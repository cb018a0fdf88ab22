import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TOKEN_STORAGE_KEY, forgetToken, splitFragment, takeToken } from './token.ts';
import type { TokenEnv } from './token.ts';

function fakeEnv(hash: string, stored?: string, opts: { throwing?: boolean } = {}) {
  const items = new Map<string, string>();
  if (stored !== undefined) items.set(TOKEN_STORAGE_KEY, stored);
  const replaced: string[] = [];
  const env: TokenEnv = {
    location: { hash, pathname: '/phone', search: '?lat=1&lon=2' },
    history: { state: null, replaceState: (_s: unknown, _t: string, url?: string | URL | null) => void replaced.push(String(url)) },
    storage: {
      getItem: (k) => {
        if (opts.throwing) throw new Error('SecurityError');
        return items.get(k) ?? null;
      },
      setItem: (k, v) => {
        if (opts.throwing) throw new Error('QuotaExceededError');
        items.set(k, v);
      },
      removeItem: (k) => void items.delete(k),
    },
  };
  return { env, items, replaced };
}

test('splitFragment: the token parameter, and what else the fragment held', () => {
  assert.deepEqual(splitFragment('#token=abc.DEF_-1'), { token: 'abc.DEF_-1', rest: '', found: true });
  assert.deepEqual(splitFragment('#stats=1&token=t0k&x=2'), { token: 't0k', rest: 'stats=1&x=2', found: true });
  assert.deepEqual(splitFragment(''), { rest: '', found: false });
  assert.deepEqual(splitFragment('#stats=1'), { rest: 'stats=1', found: false });
  assert.deepEqual(splitFragment('#token='), { rest: '', found: true }, 'empty: found, but no token');
  assert.deepEqual(splitFragment('#token=has%20space'), { rest: '', found: true }, 'implausible characters are refused');
  assert.equal(splitFragment(`#token=${'a'.repeat(5000)}`).token, undefined, 'absurdly long');
});

test('a token in the fragment is stored and removed from the address, keeping path, query and other fragment parts', () => {
  const { env, items, replaced } = fakeEnv('#token=fresh&stats=1', 'old');
  assert.equal(takeToken(env), 'fresh');
  assert.equal(items.get(TOKEN_STORAGE_KEY), 'fresh', 'a new token replaces the stored one');
  assert.deepEqual(replaced, ['/phone?lat=1&lon=2#stats=1']);
  const bare = fakeEnv('#token=t');
  takeToken(bare.env);
  assert.deepEqual(bare.replaced, ['/phone?lat=1&lon=2']);
});

test('without a fragment token the stored one is used, and the address is left alone', () => {
  const { env, replaced } = fakeEnv('', 'kept');
  assert.equal(takeToken(env), 'kept');
  assert.deepEqual(replaced, []);
  assert.equal(takeToken(fakeEnv('').env), undefined, 'nothing anywhere');
});

test('an invalid fragment token is still scrubbed from the address; storage that throws is survived', () => {
  const bad = fakeEnv('#token=%3Cscript%3E', 'kept');
  assert.equal(takeToken(bad.env), 'kept');
  assert.deepEqual(bad.replaced, ['/phone?lat=1&lon=2']);
  const throwing = fakeEnv('#token=abc', undefined, { throwing: true });
  assert.equal(takeToken(throwing.env), 'abc');
  assert.equal(takeToken(fakeEnv('', undefined, { throwing: true }).env), undefined);
  assert.equal(takeToken({ ...fakeEnv('#token=abc').env, storage: undefined }), 'abc');
});

test('forgetToken removes the stored token', () => {
  const { env, items } = fakeEnv('', 'old');
  forgetToken(env);
  assert.equal(items.has(TOKEN_STORAGE_KEY), false);
  assert.equal(takeToken(env), undefined);
});
