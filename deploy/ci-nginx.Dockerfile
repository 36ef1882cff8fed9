# A stand-in for the nginx image where no image registry is reachable (CI): Debian bookworm's
# nginx on the debootstrap root file system that .ci/docker-check imports. compose.yaml mounts
# deploy/nginx.conf over /etc/nginx/nginx.conf either way.
ARG ROOTFS_IMAGE=local/bookworm-rootfs
FROM ${ROOTFS_IMAGE}
ENV DEBIAN_FRONTEND=noninteractive
# DL3008 (pin apt versions) ignored on purpose: unpinned, a rebuild picks up bookworm's security
# updates, and exact Debian revisions vanish from the archive within months.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends nginx \
 && rm -rf /var/lib/apt/lists/* \
 && ln -sf /dev/stdout /var/log/nginx/access.log \
 && ln -sf /dev/stderr /var/log/nginx/error.log
EXPOSE 8080
STOPSIGNAL SIGQUIT
CMD ["nginx", "-g", "daemon off;"]
