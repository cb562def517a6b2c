#!/bin/sh
# What the container runs (Dockerfile, compose.yaml): on the first start it writes this peer's
# config from the environment and makes its hostkey (both kept in $GOSSIP_DATA, a volume, so the
# identity survives restarts); then it runs the node in the foreground as PID 1, so that
# `docker stop` (SIGTERM) makes it leave the overlay cleanly. POSIX sh: the image has no bash.
set -eu

data=${GOSSIP_DATA:-/data}
# the command that runs the CLI; the image's, unless a test runs this script against a build
# (the JVM options are ./gossip run's, scripts/run.jvm-options: docs/CLI.md, "Memory")
cli=${GOSSIP_CLI:-"java @/opt/gossip/run.jvm-options ${GOSSIP_JAVA_OPTS:-} -jar /opt/gossip/gossip.jar"}
# the address other peers dial: this container's own IP, since 0.0.0.0 cannot be advertised
own_ip=$(hostname -i 2>/dev/null | cut -d' ' -f1)
p2p=${GOSSIP_P2P_ADDRESS:-${own_ip:-127.0.0.1}:6001}
api=${GOSSIP_API_ADDRESS:-127.0.0.1:6002}
pow=${GOSSIP_POW_DIFFICULTY:-24}

config="$data/gossip.ini"
key="$data/hostkey.pem"
mkdir -p "$data"
if [ ! -f "$config" ]; then
  {
    echo "hostkey = $key"
    echo "[gossip]"
    echo "p2p_address = $p2p"
    echo "api_address = $api"
    echo "pow_difficulty = $pow"
    if [ -n "${GOSSIP_BOOTSTRAPPER:-}" ]; then echo "bootstrapper = $GOSSIP_BOOTSTRAPPER"; fi
    if [ -n "${GOSSIP_ADMIN_ADDRESS:-}" ]; then echo "admin_address = $GOSSIP_ADMIN_ADDRESS"; fi
    if [ -n "${GOSSIP_DEGREE:-}" ]; then echo "degree = $GOSSIP_DEGREE"; fi
    if [ -n "${GOSSIP_MAX_PEERS_PER_SUBNET:-}" ]; then echo "max_peers_per_subnet = $GOSSIP_MAX_PEERS_PER_SUBNET"; fi
  } > "$config"
  echo "entrypoint: wrote $config" >&2
fi
if [ ! -f "$key" ]; then
  echo "entrypoint: making the hostkey and its proof of work ($pow bits)" >&2
  $cli keygen --pow-difficulty "$pow" "$key" >&2
fi
exec $cli run -c "$config"
