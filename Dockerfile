# Schoolwatch: one container per school (or trust). Data lives in the /data volume; the school's
# config (school.toml and its roster CSVs) is mounted read-only at /config.
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    SCHOOLWATCH_DATA_DIR=/data \
    SCHOOLWATCH_CONFIG=/config/school.toml

# Tesseract reads the text of screenshots (intake page and the imap source).
RUN apt-get update \
    && apt-get install -y --no-install-recommends tesseract-ocr \
    && rm -rf /var/lib/apt/lists/*

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
RUN pip install . && rm -rf /root/.cache

USER schoolwatch
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD python -c "import urllib.request,sys; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"
ENTRYPOINT ["schoolwatch"]
CMD ["run", "--host", "0.0.0.0", "--port", "8000"]
