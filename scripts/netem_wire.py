#!/usr/bin/env python3
"""A userspace network emulator: a point-to-point link made of two TUN
devices, with delay, jitter, loss and a rate limit, for test hosts in network
namespaces. Used where the kernel has no sch_netem (tc netem), as on the
Firecracker VMs this project's CI runs on.

    netem_wire.py A B --delay-ms 40 --jitter-ms 5 --loss 1 --rate-mbit 8

Creates TUN devices A and B, prints "ready", then forwards every packet from
one to the other after the emulated delay. The caller moves B into a
namespace and gives both ends addresses. Every figure applies to each
direction (like netem on both ends of a veth pair), so a round trip carries
twice the delay. Jitter is uniform within +-jitter, as netem's default.
Packets stay in order. The devices vanish when this process
exits (SIGTERM, its parent's end, or --max-seconds).
"""
import argparse, fcntl, heapq, os, random, select, signal, struct, sys, time

TUNSETIFF = 0x400454CA
IFF_TUN, IFF_NO_PI = 0x0001, 0x1000
MAX_QUEUED = 4000  # packets per direction; beyond that the wire drops, as a full queue would


def open_tun(name):
    fd = os.open("/dev/net/tun", os.O_RDWR | os.O_NONBLOCK)
    fcntl.ioctl(fd, TUNSETIFF, struct.pack("16sH", name.encode(), IFF_TUN | IFF_NO_PI))
    return fd


def main():
    p = argparse.ArgumentParser()
    p.add_argument("a"); p.add_argument("b")
    p.add_argument("--delay-ms", type=float, default=0)
    p.add_argument("--jitter-ms", type=float, default=0)
    p.add_argument("--loss", type=float, default=0, help="percent, each direction")
    p.add_argument("--rate-mbit", type=float, default=0)
    p.add_argument("--max-seconds", type=float, default=3600)
    p.add_argument("--seed", type=int, default=None)
    o = p.parse_args()
    rng = random.Random(o.seed)
    fds = {"a": open_tun(o.a), "b": open_tun(o.b)}
    other = {"a": "b", "b": "a"}
    one_way_s, jitter_s = o.delay_ms / 1000.0, o.jitter_ms / 1000.0
    # Per direction: when the link is next free (rate), the last departure (order), queue length.
    free_at = {"a": 0.0, "b": 0.0}
    last_out = {"a": 0.0, "b": 0.0}
    queued = {"a": 0, "b": 0}
    heap, seq = [], 0
    stats = {"forwarded": 0, "lost": 0, "dropped": 0}
    deadline = time.monotonic() + o.max_seconds
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
    print("ready", flush=True)
    while time.monotonic() < deadline:
        now = time.monotonic()
        while heap and heap[0][0] <= now:
            _, _, side, pkt = heapq.heappop(heap)
            queued[side] -= 1
            try:
                os.write(fds[other[side]], pkt)
                stats["forwarded"] += 1
            except OSError:
                stats["dropped"] += 1  # the far end is down or not yet up
        timeout = max(0.0, min(0.05, heap[0][0] - now)) if heap else 0.05
        ready, _, _ = select.select(list(fds.values()), [], [], timeout)
        now = time.monotonic()
        for side, fd in fds.items():
            if fd not in ready:
                continue
            for _ in range(256):  # bounded burst per wake-up
                try:
                    pkt = os.read(fd, 65536)
                except BlockingIOError:
                    break
                if o.loss and rng.random() * 100 < o.loss:
                    stats["lost"] += 1
                    continue
                if queued[side] >= MAX_QUEUED:
                    stats["dropped"] += 1
                    continue
                start = now
                if o.rate_mbit:
                    start = max(now, free_at[side])
                    free_at[side] = start + len(pkt) * 8 / (o.rate_mbit * 1e6)
                jitter = rng.uniform(-jitter_s, jitter_s) if jitter_s else 0.0
                out = max(start + max(0.0, one_way_s + jitter), last_out[side])
                last_out[side] = out
                seq += 1
                queued[side] += 1
                heapq.heappush(heap, (out, seq, side, pkt))


if __name__ == "__main__":
    main()
