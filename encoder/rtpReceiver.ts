import dgram from 'node:dgram';
import type { Logger } from 'pino';
import { isRtcpPacket } from './rtpPacket.ts';

export type RtpReceiverOptions = {
  logger: Logger;
  onPacket: (packet: Buffer) => void;
  /** Asked of the kernel; Linux caps it at net.core.rmem_max (the value granted is logged). */
  recvBufferBytes?: number;
};

/**
 * A loopback UDP socket on an ephemeral port where one ffmpeg sends its RTP.
 * The receive buffer is raised because an IDR arrives as a burst of dozens
 * of packets in well under a millisecond.
 */
export class RtpReceiver {
  private closedPromise: Promise<void> | undefined;

  private constructor(
    private readonly socket: dgram.Socket,
    readonly port: number,
  ) {}

  static open(o: RtpReceiverOptions): Promise<RtpReceiver> {
    const requested = o.recvBufferBytes ?? 4 * 1024 * 1024;
    const socket = dgram.createSocket({ type: 'udp4', recvBufferSize: requested });
    return new Promise((resolve, reject) => {
      socket.once('error', reject);
      socket.bind(0, '127.0.0.1', () => {
        socket.off('error', reject);
        const port = socket.address().port;
        const log = o.logger.child({ rtpPort: port });
        log.debug({ requested, granted: socket.getRecvBufferSize() }, 'rtp receiver bound');
        socket.on('error', (err) => log.warn({ err: err.message }, 'rtp socket error'));
        socket.on('message', (packet) => {
          // ffmpeg is told to skip RTCP (-rtpflags skip_rtcp); drop any stray report anyway.
          if (packet.length < 12 || isRtcpPacket(packet)) return;
          o.onPacket(packet);
        });
        resolve(new RtpReceiver(socket, port));
      });
    });
  }

  close(): Promise<void> {
    this.closedPromise ??= new Promise<void>((resolve) => this.socket.close(() => resolve()));
    return this.closedPromise;
  }
}
