/**
 * `npm start`: the broker, plus a local edge with the built-in demo game, on
 * PORT (8080). With LOCAL_EDGE=false it is a broker only. The only place
 * (with edgeMain.ts) that reads process.env.
 */
import { describeConfig } from './config.ts';
import { createLogger } from './logging.ts';
import { resolveFfmpegPath } from '../encoder/index.ts';
import { createStack, DEMO_LINK_ID, DEMO_TELCO_ID } from './stack.ts';
import { installFaultPolicy, listen, loadConfigOrExit, stopOnSignals } from './process.ts';

async function main(): Promise<void> {
  const config = loadConfigOrExit(process.env);
  const logger = createLogger(config.logLevel);
  installFaultPolicy(logger);
  logger.info({ config: describeConfig(config) }, 'starting');
  const ffmpeg = resolveFfmpegPath(process.env);
  logger.info({ ffmpeg }, 'ffmpeg resolved');

  const stack = await createStack(config, ffmpeg.path, logger);
  await listen(stack.server, config.port, config.host);
  const { baseUrl } = await stack.start();
  const demoUrl = `${baseUrl}/play/${DEMO_LINK_ID}`;
  logger.info({ encoder: stack.edge?.encoder, demoUrl }, 'ready');
  const lines = [`  Edgeplay is running${stack.edge ? ` (local edge, encoder: ${stack.edge.encoder})` : ' (broker only)'}.`, `  Play the demo: ${demoUrl}`];
  // Keys generated for this run only (none were configured): shown once, never logged.
  if (stack.generated.publisherKey) lines.push(`  Publisher API key (demo-publisher, this run only): ${stack.generated.publisherKey}`);
  if (stack.generated.operatorKey) lines.push(`  Operator API key (this run only): ${stack.generated.operatorKey}`);
  if (stack.generated.telcoKey) {
    lines.push(`  Telco API key (${DEMO_TELCO_ID}, this run only): ${stack.generated.telcoKey}`);
    // A ready-made subscriber, so the cloud phone can be tried without calling the telco API first
    // (kept from an earlier run, with its phones, when the registry already has it).
    stack.phone.provision(DEMO_TELCO_ID, { subscriberId: 'demo-subscriber', maxInstances: 3 });
    const token = stack.phone.issueToken(DEMO_TELCO_ID, 'demo-subscriber', {}, baseUrl);
    if (token.ok) lines.push(`  Try the cloud phone (demo-subscriber): ${token.value.appUrl}`);
  }
  process.stdout.write(`\n${lines.join('\n')}\n\n`);
  stopOnSignals(logger, () => stack.close());
}

main().catch((err: unknown) => {
  // With the stack: a start-up failure is reported with where it came from.
  console.error('failed to start:', err instanceof Error ? (err.stack ?? err.message) : err);
  process.exit(1);
});
