/**
 * PulseAudio's text command socket (module-cli-protocol-unix), without a
 * `pactl` process: connect, write the commands, half-close; the daemon runs
 * them, answers only errors, and closes on end of input. (Never send
 * "exit": on this socket it stops the daemon.)
 */
import { createConnection } from 'node:net';

/** Resolves with whatever the daemon answered (empty when every command succeeded). */
export function runPulseCommands(socketPath: string, commands: string[], timeoutMs = 1000): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    let answer = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new Error(`pulseaudio command socket: no end of answer in ${timeoutMs} ms`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('data', (s: string) => (answer += s));
    socket.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(answer.trim());
    });
    socket.end(commands.map((c) => `${c}\n`).join(''));
  });
}
