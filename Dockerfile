# The shared instance: `docker compose up -d` (see README, "Sharing inside an organisation").
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 PIP_NO_CACHE_DIR=1
WORKDIR /app
COPY pyproject.toml README.md ./
COPY dashboard ./dashboard
RUN pip install --upgrade pip && pip install .
COPY streamlit_app.py ./
COPY .streamlit/config.toml ./.streamlit/config.toml
COPY data/reference ./data/reference
COPY data/raw ./data/raw

# The corpus (data/raw, data/processed, uploads) lives on a volume so it survives upgrades.
VOLUME ["/app/data"]
EXPOSE 8501
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD python -c "import urllib.request,sys; sys.exit(0 if urllib.request.urlopen('http://127.0.0.1:8501/_stcore/health', timeout=4).read() == b'ok' else 1)"
RUN useradd --create-home app && chown -R app /app
USER app
CMD ["streamlit", "run", "streamlit_app.py", "--server.port=8501", "--server.address=0.0.0.0"]
