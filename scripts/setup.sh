#!/usr/bin/env bash
# Set-up that `npm start` and `npm test` run first, so a fresh Debian 12
# machine needs nothing else: the Debian packages the command needs, then the
# npm dependencies. Installs as root; otherwise prints the exact command.
#   scripts/setup.sh start   ffmpeg, xvfb and xjump (the catalog's X11 game), pulseaudio and
#                            pulseaudio-utils (each X11 session's own sound server and its recorder, parec),
#                            chromium and fonts (each cloud-phone instance is a Chromium),
#                            coturn (the TURN relay `TURN=local` starts; tests start their own)
#   scripts/setup.sh test    the same (Playwright drives Debian's Chromium; it never downloads browsers),
#                            iproute2 and python3 (multi-host tests in network namespaces),
#                            redis-server (the Redis store's integration tests start their own)
set -euo pipefail
cd "$(dirname "$0")/.."
purpose="${1:-start}"

need=()
if [ -z "${FFMPEG_PATH:-}" ] && ! command -v ffmpeg >/dev/null 2>&1; then need+=(ffmpeg); fi
# X11 titles (issue 4): a virtual display per session, and the catalog's Debian game.
command -v Xvfb >/dev/null 2>&1 || need+=(xvfb)
[ -x /usr/games/xjump ] || need+=(xjump)
# X11 programs' sound: a private PulseAudio per session, recorded with parec. Without them sessions run silent.
command -v pulseaudio >/dev/null 2>&1 || need+=(pulseaudio)
command -v parec >/dev/null 2>&1 || need+=(pulseaudio-utils)
# Cloud phones: each instance is Debian's Chromium showing the phone shell (tests and benchmarks drive it too),
# and text needs fonts (Chromium only depends on fontconfig).
chromium_path="${CHROMIUM_PATH:-/usr/bin/chromium}"
[ -x "$chromium_path" ] || need+=(chromium)
[ -f /usr/share/fonts/truetype/dejavu/DejaVuSans.ttf ] || need+=(fonts-dejavu-core)
[ -d /usr/share/fonts/truetype/liberation ] || need+=(fonts-liberation)
# TURN relay for players without a direct UDP path (docs/operations.md); the processes start their own turnserver.
command -v turnserver >/dev/null 2>&1 || need+=(coturn)
if [ "$purpose" = test ] || [ "$purpose" = bench ]; then
  command -v ip >/dev/null 2>&1 || need+=(iproute2)
  # The userspace netem wire (scripts/netem_wire.py) for kernels without sch_netem.
  command -v python3 >/dev/null 2>&1 || need+=(python3)
  # The broker's Redis store (REDIS_URL) is tested against a real server on a free loopback port.
  command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
fi

if ((${#need[@]})); then
  if [ "$(id -u)" = 0 ]; then
    echo "setup: installing Debian packages: ${need[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
    # Debian enables coturn's own service at install: here it would hold port 3478 with a
    # configuration nobody chose. Edgeplay starts turnserver itself; a relay host enables it on purpose.
    if [[ " ${need[*]} " == *" coturn "* ]] && command -v systemctl >/dev/null 2>&1; then
      systemctl disable --now coturn >/dev/null 2>&1 || true
    fi
  else
    echo "setup: missing Debian packages: ${need[*]}" >&2
    echo "setup: run this once, then try again:" >&2
    echo "  sudo apt-get update && sudo apt-get install -y --no-install-recommends ${need[*]}" >&2
    exit 1
  fi
fi

# npm dependencies: install when missing or when the lock file changed since.
if [ ! -f node_modules/.package-lock.json ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  echo "setup: installing npm dependencies" >&2
  npm ci --no-audit --no-fund --loglevel=error >&2
fi
