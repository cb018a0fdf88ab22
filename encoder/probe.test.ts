// Runs fluent-ffmpeg against a FAKE ffmpeg (a shell script in a temp dir):
// a real process, but no real encoder, so it behaves the same on every machine.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { meaningfulStderrLine, NOT_PROBED, probeEncoders } from './probe.ts';
import { EncoderError } from './errors.ts';

// Enough of `-formats` and `-encoders` for fluent-ffmpeg's capability checks,
// then per-encoder behaviour copied from real ffmpeg 5.1 stderr.
const FAKE = `#!/bin/sh
case " $* " in
  *" -formats "*) printf 'File formats:\\n D. = Demuxing supported\\n .E = Muxing supported\\n --\\n D  lavfi           Libavfilter virtual input device\\n  E null            raw null video\\n'; exit 0;;
  *" -encoders "*) printf 'Encoders:\\n ------\\n V....D libx264              libx264 H.264\\n'; exit 0;;
  *h264_nvenc*)
    echo "[h264_nvenc @ 0x55d0c0a0b080] OpenEncodeSessionEx failed: unsupported device (2): (no details)" >&2
    echo "[h264_nvenc @ 0x55d0c0a0b080] No capable devices found" >&2
    echo "Error initializing output stream 0:0 -- Error while opening encoder for output stream #0:0 - maybe incorrect parameters such as bit_rate, rate, width or height" >&2
    echo "Conversion failed!" >&2
    exit 1;;
  *h264_vaapi*)
    echo "[AVHWDeviceContext @ 0x560d42e99a40] No VA display found for device /dev/dri/renderD128." >&2
    echo "Device creation failed: -22." >&2
    echo "Error parsing global options: Invalid argument" >&2
    exit 1;;
  *h264_qsv*)
    echo "[h264_qsv @ 0x558c3fca4080] Error initializing an internal MFX session: unsupported (-3)" >&2
    echo "Conversion failed!" >&2
    exit 1;;
  *libx264*) exit 0;;
  *libvpx*) exec sleep 5;;
esac
exit 1
`;

let dir = '';
let fakePath = '';
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'fake-ffmpeg-'));
  fakePath = join(dir, 'ffmpeg');
  writeFileSync(fakePath, FAKE, { mode: 0o755 });
});
after(() => rmSync(dir, { recursive: true, force: true }));

function capturingLogger(): { logger: pino.Logger; lines: Array<Record<string, unknown>> } {
  const lines: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _enc, cb) {
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      cb();
    },
  });
  return { logger: pino({ level: 'info' }, sink), lines };
}

test('chooses libx264 when the hardware encoders fail, and says why each failed', async () => {
  const { logger, lines } = capturingLogger();
  const r = await probeEncoders({ ffmpegPath: fakePath, logger, timeoutMs: 5000 });
  assert.equal(r.chosen, 'libx264');
  assert.equal(r.codec, 'H264');
  assert.deepEqual(
    r.results.map(({ encoder, ok, reason }) => ({ encoder, ok, reason })),
    [
      { encoder: 'h264_nvenc', ok: false, reason: '[h264_nvenc] OpenEncodeSessionEx failed: unsupported device (2): (no details)' },
      { encoder: 'h264_vaapi', ok: false, reason: '[AVHWDeviceContext] No VA display found for device /dev/dri/renderD128.' },
      { encoder: 'h264_qsv', ok: false, reason: '[h264_qsv] Error initializing an internal MFX session: unsupported (-3)' },
      { encoder: 'libx264', ok: true, reason: undefined },
      { encoder: 'libvpx', ok: false, reason: NOT_PROBED },
    ],
  );
  for (const e of r.results) assert.ok(e.elapsedMs >= 0 && e.elapsedMs < 5000);
  const chosenLog = lines.find((l) => l['msg'] === 'video encoder chosen');
  assert.ok(chosenLog, 'the choice is logged at info');
  assert.equal(chosenLog['chosen'], 'libx264');
  assert.match(String((chosenLog['failures'] as Record<string, string>)['h264_nvenc']), /unsupported device/);
});

test('a hanging probe times out; when nothing works the error lists every reason', async () => {
  const { logger } = capturingLogger();
  const started = performance.now();
  await assert.rejects(probeEncoders({ ffmpegPath: fakePath, logger, timeoutMs: 400, candidates: ['h264_nvenc', 'libvpx'] }), (err: unknown) => {
    assert.ok(err instanceof EncoderError);
    assert.equal(err.reason, 'encoder-failed');
    assert.match(err.message, /h264_nvenc: \[h264_nvenc\] OpenEncodeSessionEx failed/);
    assert.match(err.message, /libvpx: timed out after 400 ms/);
    return true;
  });
  assert.ok(performance.now() - started < 3000, 'the hanging fake was not waited for');
});

test('meaningfulStderrLine prefers the telling line over ffmpeg boilerplate', () => {
  assert.equal(
    meaningfulStderrLine('x\n[h264_nvenc @ 0x1] Cannot load libcuda.so.1\nError initializing output stream 0:0 -- y\nConversion failed!\n'),
    '[h264_nvenc] Cannot load libcuda.so.1',
  );
  assert.equal(meaningfulStderrLine('[foo @ 0xab] something odd\nConversion failed!'), '[foo] something odd');
  assert.equal(meaningfulStderrLine('plain last words\n'), 'plain last words');
  assert.equal(meaningfulStderrLine(''), undefined);
});
