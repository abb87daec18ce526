# One image recipe for the six otrcm services; docker-compose.yml passes the build arg SERVICE.
#   docker build -f deploy/docker/service.Dockerfile --build-arg SERVICE=intake -t otrcm-intake .
# Build context: the repository root (see .dockerignore: only shared/ and services/ go in).
FROM python:3.11-slim

ARG SERVICE
RUN case "${SERVICE}" in \
      intake|units|poc|modifiers|claims|status) ;; \
      *) echo "build arg SERVICE must be one of intake units poc modifiers claims status, not '${SERVICE}'" >&2; exit 1 ;; \
    esac

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1

RUN groupadd --system --gid 10001 otrcm \
 && useradd --system --uid 10001 --gid otrcm --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin otrcm

WORKDIR /src
COPY shared/ shared/
COPY services/${SERVICE}/ services/${SERVICE}/
# otrcm-service: a fixed name for this image's entry point, so that CMD can stay in exec form.
# /app/var/outbox exists and belongs to the service user, so that a fresh named volume mounted
# there (claims) takes that ownership.
RUN pip install --no-cache-dir ./shared "./services/${SERVICE}" \
 && ln -s "$(command -v "otrcm-${SERVICE}")" /usr/local/bin/otrcm-service \
 && mkdir -p /app/var/outbox/837p \
 && chown -R otrcm:otrcm /app

WORKDIR /app
USER otrcm
CMD ["otrcm-service", "serve"]
