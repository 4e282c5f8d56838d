# polymarket-mm-bot: build in one stage, run from a slim non-root stage.
# docker build -t polymm . && docker run --rm polymm doctor
FROM node:20-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
COPY packages/venue/package.json ./packages/venue/
COPY patches ./patches
RUN npm ci
COPY tsconfig.json tsconfig.build.json ./
COPY src ./src
COPY packages/venue ./packages/venue
COPY bench ./bench
COPY bin ./bin
RUN npm run build && npm prune --omit=dev

FROM node:20-bookworm-slim AS run
ENV NODE_ENV=production \
    PMM_METRICS_HOST=0.0.0.0 \
    PMM_METRICS_PORT=9464 \
    PMM_EVENT_LOG_DIR=/var/lib/polymm/events
WORKDIR /app
COPY --from=build --chown=root:root /app/node_modules ./node_modules
COPY --from=build --chown=root:root /app/dist ./dist
COPY --from=build --chown=root:root /app/packages/venue/package.json ./packages/venue/
COPY --from=build --chown=root:root /app/packages/venue/dist ./packages/venue/dist
COPY --from=build --chown=root:root /app/bin ./bin
COPY --from=build --chown=root:root /app/package.json ./
# The code is root-owned and read-only to the bot; only the event log directory is writable.
RUN mkdir -p /var/lib/polymm/events && chown -R node:node /var/lib/polymm
USER node
VOLUME ["/var/lib/polymm"]
EXPOSE 9464
HEALTHCHECK --interval=15s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PMM_METRICS_PORT || 9464) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/polymm.js"]
CMD ["start"]
