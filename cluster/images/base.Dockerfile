# The node image for machines that can pull from a registry: Node 20 on Debian bookworm with the
# tools a run needs inside a node (iptables for partitions, iproute2, procps for ps/kill,
# libfaketime for clock skew, etcd-server for the etcd DB, tini as an idle init).
# Build: docker build -f cluster/images/base.Dockerfile -t splitbrain-base:registry cluster/images
# (or `splitbrain images build --method dockerfile`). Machines without a registry use the
# debootstrap path in base-image.ts instead; both give the same tools at the same paths.
FROM node:20-bookworm-slim
RUN apt-get update \
 && apt-get install -y --no-install-recommends iptables iproute2 procps libfaketime etcd-server tini \
 && rm -rf /var/lib/apt/lists/*
LABEL splitbrain.image=base
CMD ["sleep", "infinity"]
