# syntax=docker/dockerfile:1
# Production image: web (gunicorn, the default CMD), worker (python worker.py) and relay
# (flask --app wsgi outbox-relay) all run from it; see docker-compose.yml and deploy/k8s/.

# --- htmx and Swagger UI from the pinned npm packages (never a CDN) -----------------------
FROM node:20-slim AS assets
WORKDIR /assets
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund

# --- the app -----------------------------------------------------------------------------
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    FLASK_CONFIG=production
WORKDIR /app

COPY pyproject.toml ./
COPY webapp ./webapp
RUN pip install . && rm -rf build *.egg-info
COPY wsgi.py worker.py babel.cfg gunicorn.conf.py ./
COPY --from=assets /assets/node_modules/htmx.org/dist/htmx.min.js webapp/static/vendor/htmx.min.js
COPY --from=assets /assets/node_modules/swagger-ui-dist/swagger-ui-bundle.js \
     /assets/node_modules/swagger-ui-dist/swagger-ui.css webapp/static/vendor/swagger-ui/
RUN if find webapp/translations -name '*.po' 2>/dev/null | grep -q .; then \
      pybabel compile -d webapp/translations; \
    fi

RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin app
USER app
EXPOSE 8000
# -w: roughly 2 x cores of the pod/container; scale out with more replicas rather than more workers.
CMD ["gunicorn", "-w", "4", "-b", "0.0.0.0:8000", "--access-logfile", "-", "wsgi:app"]
