# Production image: gunicorn serving Django, static files collected and served by whitenoise.
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error

FROM python:3.11-slim-bookworm
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 DJANGO_SETTINGS_MODULE=config.settings STATIC_MANIFEST=1
RUN apt-get update && apt-get install -y --no-install-recommends gettext curl \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.txt ./
RUN pip install --no-cache-dir -r requirements.txt
COPY . .
COPY --from=assets /src/node_modules/bootstrap/dist /app/static/vendor/bootstrap
COPY --from=assets /src/node_modules/htmx.org/dist/htmx.min.js /app/static/vendor/htmx/htmx.min.js
COPY --from=assets /src/node_modules/echarts/dist/echarts.min.js /app/static/vendor/echarts/echarts.min.js
COPY --from=assets /src/node_modules/bootstrap-icons/font /app/static/vendor/bootstrap-icons
RUN python manage.py compilemessages --ignore=.venv -v0 \
    && DJANGO_SECRET_KEY=collectstatic-only python manage.py collectstatic --no-input -v0
RUN useradd --system --uid 1000 zhixing && chown -R zhixing /app
USER zhixing
EXPOSE 8000
CMD ["gunicorn", "config.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "2", "--access-logfile", "-"]
