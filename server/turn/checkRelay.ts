/**
 * Checks a TURN relay the way a player uses it (docs/operations.md):
 *   TURN_SECRET=… npx tsx server/turn/checkRelay.ts relay.example.com:3478
 * Allocates with credentials made from the secret (must succeed), then with a
 * forged password (must be refused). Exit code 0 only when both hold.
 */
import { lookup } from 'node:dns/promises';
import { randomUUID } from 'node:crypto';
import { turnCredential } from '../../sessions/index.ts';
import { tryAllocate } from './turnAllocate.ts';

async function main(): Promise<number> {
  const target = process.argv[2] ?? '';
  const secret = process.env.TURN_SECRET ?? '';
  const m = /^([^:]+):(\d+)$/.exec(target);
  if (!m || !secret) {
    console.error('usage: TURN_SECRET=<coturn static-auth-secret> npx tsx server/turn/checkRelay.ts <host>:<port>');
    return 2;
  }
  const host = (await lookup(m[1]!, { family: 4 })).address;
  const port = Number(m[2]);
  const c = turnCredential(secret, { sessionId: `check-${randomUUID()}`, lifetimeSeconds: 60, nowMs: Date.now() });
  const good = await tryAllocate(host, port, c.username, c.credential);
  if (!good.ok) {
    console.log(`relay ${target} refused valid credentials: ${good.code === 0 ? 'no answer (UDP blocked or not running?)' : `${good.code} ${good.reason}`}`);
    return 1;
  }
  console.log(`relay ${target} allocated ${good.relayed.address}:${good.relayed.port} for ${c.username} (valid credentials)`);
  const forged = await tryAllocate(host, port, c.username, `${c.credential.startsWith('A') ? 'B' : 'A'}${c.credential.slice(1)}`);
  if (forged.ok) {
    console.log(`relay ${target} ACCEPTED forged credentials: check use-auth-secret`);
    return 1;
  }
  console.log(`relay ${target} refused forged credentials (${forged.code} ${forged.reason}), as it must`);
  return 0;
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
