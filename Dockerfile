# syntax=docker/dockerfile:1
# Build stage: install tallywire and its dependencies into a virtual environment.
FROM python:3.11.11-slim-bookworm AS build
WORKDIR /src
RUN python -m venv /opt/venv
ENV PATH=/opt/venv/bin:$PATH
COPY pyproject.toml README.md ./
COPY tallywire ./tallywire
COPY ingest ./ingest
COPY processors ./processors
COPY sinks ./sinks
COPY bench ./bench
RUN pip install --no-cache-dir .

# Runtime stage: the virtual environment and the seeds, run as an unprivileged user.
FROM python:3.11.11-slim-bookworm
RUN useradd --system --uid 10001 --home-dir /var/lib/tallywire tallywire \
    && mkdir -p /var/lib/tallywire && chown tallywire /var/lib/tallywire
COPY --from=build /opt/venv /opt/venv
COPY seeds /app/seeds
COPY deploy/verify-seeds.sh /app/deploy/verify-seeds.sh
ENV PATH=/opt/venv/bin:$PATH PYTHONUNBUFFERED=1 TALLYWIRE_DATA_DIR=/var/lib/tallywire
USER 10001
WORKDIR /var/lib/tallywire
ENTRYPOINT []
CMD ["tallywire", "--help"]
