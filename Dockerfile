# Schoolwatch: one container per school (or trust). Data lives in the /data volume.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    SCHOOLWATCH_DATA_DIR=/data \
    SCHOOLWATCH_CONFIG=/config/school.toml

RUN useradd --create-home --uid 10001 schoolwatch \
    && mkdir -p /data /config \
    && chown schoolwatch:schoolwatch /data

WORKDIR /app
COPY pyproject.toml README.md ./
COPY monitor ./monitor
COPY classifiers ./classifiers
COPY connectors ./connectors
COPY alerts ./alerts
COPY models ./models
COPY config ./config
RUN pip install --no-cache-dir .

USER schoolwatch
VOLUME ["/data"]
ENTRYPOINT ["schoolwatch"]
CMD ["demo", "--once", "--data-dir", "/data/demo"]
