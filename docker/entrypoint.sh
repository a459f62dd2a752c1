#!/bin/sh
# The image's entry point, under tini (PID 1: it forwards SIGTERM/SIGINT to
# skytrace and reaps). A Docker engine makes a missing bind-mount source itself,
# owned by root, so a non-root container cannot write there: say so in one line
# (and what to do) rather than let skytrace meet EACCES.
if [ -d /data ] && [ ! -w /data ]; then
  for a in "$@"; do
    case "$a" in
      /data | /data/* | --out=/data | --out=/data/*)
        echo "skytrace: /data is not writable by uid $(id -u) (it belongs to uid $(stat -c %u /data)); if the engine made it for -v, it is root's: make the folder yourself first (mkdir -p data) and run as yourself (docker run --user \"\$(id -u):\$(id -g)\" ...)" >&2
        exit 2 ;;
    esac
  done
fi
exec node /opt/skytrace/bin/skytrace.js "$@"
