FROM python:3.11-slim-bookworm
# gettext for messages; pango/harfbuzz/fonts for WeasyPrint letters; npm for the front-end packages.
RUN apt-get update \
    && apt-get install -y --no-install-recommends gettext libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 \
       fonts-dejavu-core nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund
COPY pyproject.toml README.md manage.py ./
COPY jobcenter jobcenter
COPY cases cases
COPY socialmedia_checks socialmedia_checks
COPY templates templates
COPY static static
COPY locale locale
RUN pip install --no-cache-dir -e . && django-admin compilemessages --verbosity 0
RUN useradd --system jobcenter && mkdir -p var && chown jobcenter var
USER jobcenter
