FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends gettext && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml README.md ./
COPY jobcenter jobcenter
COPY cases cases
COPY socialmedia_checks socialmedia_checks
COPY templates templates
COPY locale locale
COPY manage.py ./
RUN pip install --no-cache-dir -e . && django-admin compilemessages --verbosity 0
RUN useradd --system jobcenter
USER jobcenter
