# Production image: GOV.UK Frontend built with Node, then the Django service on Python 3.11
# with the system libraries WeasyPrint needs.
FROM node:20-bookworm-slim AS assets
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY static/src static/src
COPY scripts/copy-assets.mjs scripts/copy-assets.mjs
RUN npm run build

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY socialvalue socialvalue
COPY tenders tenders
COPY compact compact
COPY measurement measurement
RUN pip install --no-cache-dir .
COPY . .
COPY --from=assets /app/static/build static/build
RUN DEBUG=false SECRET_KEY=collectstatic-only AUDIT_KEY=collectstatic-only python manage.py collectstatic --no-input -v 0
RUN useradd --create-home socialvalue && mkdir -p /app/var && chown socialvalue /app/var
USER socialvalue
EXPOSE 8000
CMD ["gunicorn", "socialvalue.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--access-logfile", "-"]
