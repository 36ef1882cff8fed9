# A stand-in for python:3.11-slim where no image registry is reachable (CI, air-gapped hosts).
# Its base is a Debian bookworm root file system made with debootstrap and `docker import`
# (see .ci/docker-check); bookworm's python3 is 3.11.
ARG ROOTFS_IMAGE=local/bookworm-rootfs
FROM ${ROOTFS_IMAGE}
ENV DEBIAN_FRONTEND=noninteractive LANG=C.UTF-8
# Python with venv and pip (the app image makes its own virtual environment), and the CA bundle
# a user's pip needs when no proxy is in the way.
# DL3008 (pin apt versions) ignored on purpose: unpinned, a rebuild picks up bookworm's security
# updates, and exact Debian revisions vanish from the archive within months.
# hadolint ignore=DL3008
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 python3-venv ca-certificates \
 && rm -rf /var/lib/apt/lists/*
CMD ["python3"]
