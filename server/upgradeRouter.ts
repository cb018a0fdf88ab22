/**
 * The one HTTP `upgrade` handler of each process (the stack and the
 * stand-alone edge). The request target is parsed once, here: a target that
 * is not a URL (`http://[/`, say) is answered 400, a path nobody serves 404,
 * and either way only that socket is closed. Node gives an `upgrade` event no
 * response object and no error handling of its own, so a throw here would be
 * an uncaught exception that takes the whole process down (issue 18).
 */
import type http from 'node:http';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Logger } from 'pino';
import { noteFault } from './failClosed.ts';

/** Takes the upgrade if `url.pathname` is its path; false to let the next route try. */
export type UpgradeRoute = (url: URL, req: IncomingMessage, socket: Duplex, head: Buffer) => boolean;

/** The request target as a URL, or undefined when it is not one. */
export function parseRequestTarget(target: string | undefined): URL | undefined {
  if (!target || target.length > 8192) return undefined;
  try {
    return new URL(target, 'http://request.invalid');
  } catch {
    return undefined;
  }
}

export function routeUpgrades(server: http.Server, routes: UpgradeRoute[], log: Logger): void {
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    // A peer that resets mid-handshake must not become an unhandled 'error' event.
    socket.on('error', (err) => log.debug({ err }, 'upgrade socket error'));
    try {
      const url = parseRequestTarget(req.url);
      if (!url) {
        noteFault(log, 'http-upgrade', new Error('request target is not a URL'), { target: String(req.url).slice(0, 200) });
        return refuse(socket, 400, 'Bad Request');
      }
      if (!routes.some((route) => route(url, req, socket, head))) refuse(socket, 404, 'Not Found');
    } catch (err) {
      noteFault(log, 'http-upgrade', err, { target: String(req.url).slice(0, 200) });
      refuse(socket, 500, 'Internal Server Error');
    }
  });
}

/** Answers and closes the socket; destroyed outright if the peer does not read the answer. */
function refuse(socket: Duplex, status: number, text: string): void {
  if (!socket.writable) return void socket.destroy();
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  setTimeout(() => socket.destroy(), 1000).unref();
}
