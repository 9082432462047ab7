# syntax=docker/dockerfile:1
# Stage 1: build the front-end assets (NHS.UK frontend compiled without external fonts).
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static/ static/
RUN npm run build

# Stage 2: the app, served by gunicorn; WhiteNoise serves compressed, hashed static files.
FROM python:3.11-slim-bookworm
# The image has no .git: the release records this commit as the approval of what it changes
# (docker build --build-arg ITB_GIT_COMMIT=$(git rev-parse HEAD); docs/editing.md, "Drafts and clinical sign-off").
ARG ITB_GIT_COMMIT=""
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PORT=8000 \
    HEALTH_PORT=8001 \
    ITB_GIT_COMMIT=${ITB_GIT_COMMIT}
WORKDIR /app
RUN groupadd --system --gid 10001 itb && useradd --system --uid 10001 --gid itb --home-dir /app itb
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
COPY --from=assets /app/static/dist/ static/dist/
# collectstatic needs a key to import settings; it is not the runtime key.
RUN DJANGO_SECRET_KEY=build-only-not-secret python manage.py collectstatic --noinput \
    && chown -R itb:itb /app
USER 10001
# Only nginx should reach these ports, never the public (docker-compose.yml; docs/deploying.md).
# The same workers listen on both: pages on PORT, /health/ on HEALTH_PORT, so a probe never waits
# behind a queue of pages (deploy/nginx/templates/default.conf.template says how).
EXPOSE 8000 8001
HEALTHCHECK --interval=30s --timeout=3s CMD ["python", "-c", "import os,urllib.request; urllib.request.urlopen(f'http://127.0.0.1:{os.environ.get(\"HEALTH_PORT\", \"8001\")}/health/')"]
# Release step (run once per deploy, e.g. as a release or init job): python manage.py release
CMD ["sh", "-c", "exec gunicorn itb_portal.wsgi --config gunicorn.conf.py --bind 0.0.0.0:${PORT} --bind 0.0.0.0:${HEALTH_PORT}"]
