# syntax=docker/dockerfile:1
# Build stage: install tallywire and its dependencies into a virtual environment, the only thing the
# runtime stage takes, so compilers and pip caches stay behind.
FROM python:3.11.11-slim-bookworm AS build
WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
# Metadata first: the dependency layer is rebuilt only when pyproject.toml changes.
COPY pyproject.toml README.md ./
COPY tallywire ./tallywire
COPY ingest ./ingest
COPY processors ./processors
COPY sinks ./sinks
COPY bench ./bench
RUN pip install --no-cache-dir .

# Runtime stage: the virtual environment, the seeds and the verify job, run as an unprivileged user.
FROM python:3.11.11-slim-bookworm
RUN useradd --system --uid 10001 --home-dir /var/lib/tallywire tallywire \
    && mkdir -p /var/lib/tallywire && chown tallywire /var/lib/tallywire
COPY --from=build /opt/venv /opt/venv
COPY seeds /app/seeds
# verify.py runs the dashboard's own query, so the dashboards travel with it.
COPY deploy/verify.py /app/deploy/verify.py
COPY deploy/grafana/dashboards /app/deploy/grafana/dashboards
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 TALLYWIRE_DATA_DIR=/var/lib/tallywire
# Numeric, so that Kubernetes' runAsNonRoot can check it without reading /etc/passwd.
USER 10001
WORKDIR /var/lib/tallywire
EXPOSE 9108
CMD ["tallywire", "--help"]
