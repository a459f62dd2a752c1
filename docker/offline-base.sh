#!/bin/sh
# Local stand-ins for the Dockerfile's two base images, for a machine whose
# Docker engine reaches no registry (the development machines here): Debian 12
# from the mirror apt already uses (debootstrap --variant=minbase) is
# debian:bookworm-slim; the same plus this machine's Node 20 under /usr/local,
# and a `node` user (uid 1000) as the official image has, is node:20-bookworm.
# Run as root, with debootstrap and a running engine; nothing else needs it.
#
#   sh docker/offline-base.sh            # then: docker build -f docker/Dockerfile -t skytrace .
set -eu
mirror=${MIRROR:-$(sed -n 's/^URIs: *//p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -n 1)}
mirror=${mirror:-http://deb.debian.org/debian}
node=$(readlink -f "$(command -v node)")
case "$("$node" --version)" in v20.*) ;; *) echo "offline-base: this machine's node is not Node 20" >&2; exit 1 ;; esac
prefix=$(dirname "$(dirname "$node")")

root=$(mktemp -d)
trap 'rm -rf "$root"' EXIT
chmod 0755 "$root"   # it becomes the image's /, which every user must be able to enter (mktemp made it 0700)
debootstrap --variant=minbase bookworm "$root" "$mirror" >/dev/null
rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
tar -C "$root" -c . | docker import - debian:bookworm-slim >/dev/null

# Node as the official image lays it out: /usr/local/bin/node, npm, npx, Node's headers.
mkdir -p "$root/usr/local/bin" "$root/usr/local/lib/node_modules" "$root/usr/local/include"
cp "$node" "$root/usr/local/bin/node"
cp -a "$prefix/lib/node_modules/npm" "$root/usr/local/lib/node_modules/npm"
cp -a "$prefix/include/node" "$root/usr/local/include/node"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$root/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$root/usr/local/bin/npx"
chroot "$root" groupadd --gid 1000 node
chroot "$root" useradd --uid 1000 --gid node --shell /bin/bash --create-home node
# npm inside a build meets TLS signed by this machine's own CA.
mkdir -p "$root/etc/ssl/certs"
cp /etc/ssl/certs/ca-certificates.crt "$root/etc/ssl/certs/ca-certificates.crt"
tar -C "$root" -c . | docker import \
  --change 'ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt' \
  --change 'CMD ["node"]' - node:20-bookworm >/dev/null
docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E '^(node:20-bookworm|debian:bookworm-slim) '
