# Edgeplay edge + broker image. Debian-based so the ffmpeg inside is Debian's
# (libx264, libvpx, libopus and h264_nvenc, which loads the driver's
# libnvidia-encode at run time when the NVIDIA container runtime provides it).
#
#   docker build -t edgeplay .
#   docker run --rm -p 8080:8080 -p 40000-40099:40000-40099/udp \
#     -e PUBLIC_URL=http://HOST:8080 -e ICE_HOST_ADDRESSES=HOST_IP edgeplay
#   # with an NVENC-capable GPU:  docker run --gpus all --runtime=nvidia ... edgeplay
FROM node:20-bookworm-slim

RUN apt-get update \
 && apt-get install -y --no-install-recommends ffmpeg xvfb xjump pulseaudio pulseaudio-utils chromium fonts-dejavu-core fonts-liberation ca-certificates tini \
 && rm -rf /var/lib/apt/lists/*

# The NVIDIA container runtime mounts the encode library only when asked for "video".
ENV NVIDIA_VISIBLE_DEVICES=all \
    NVIDIA_DRIVER_CAPABILITIES=compute,utility,video \
    NODE_ENV=production \
    PORT=8080 \
    HOST=0.0.0.0 \
    ICE_PORT_RANGE=40000-40099

WORKDIR /app
COPY package.json package-lock.json ./
# Dev dependencies (Playwright, TypeScript) are for tests only; ffmpeg-static is
# optional and skipped: the image uses Debian's ffmpeg.
RUN npm ci --omit=dev --omit=optional --no-audit --no-fund && npm cache clean --force
COPY protocol ./protocol
COPY sessions ./sessions
COPY encoder ./encoder
COPY server ./server
COPY client ./client

RUN useradd --system --uid 10001 --home /app edgeplay && chown -R edgeplay /app
USER edgeplay

EXPOSE 8080/tcp
EXPOSE 40000-40099/udp
ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["node", "--import", "tsx", "server/main.ts"]
