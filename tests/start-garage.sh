#!/usr/bin/env bash
# Starts a throw-away single-node Garage S3 server on 127.0.0.1 for the tests and the bench.
#
#   eval "$(bash tests/start-garage.sh)"
#
# Stdout carries only `export` lines: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
# AWS_ENDPOINT_URL, AWS_REGION, GARAGE_BUCKET, GARAGE_PID, GARAGE_DIR. Progress and errors go to
# stderr; the server's log is $GARAGE_DIR/garage.log. It is ready when a SigV4-signed list of
# the bucket succeeds. Stop it with `kill $GARAGE_PID; rm -rf $GARAGE_DIR`, or set
# GARAGE_STOP_WITH=<pid> and it is stopped (by its process id) when that process ends.
#
# The binary: $GARAGE_BIN, else `garage` on PATH, else ~/.cargo/bin/garage (.ci/run builds it).
set -euo pipefail

log() { echo "start-garage: $*" >&2; }
die() {
  log "$*"
  [ -f "${DIR:-}/garage.log" ] && tail -n 20 "$DIR/garage.log" >&2
  [ -n "${PID:-}" ] && kill "$PID" 2>/dev/null
  [ -n "${DIR:-}" ] && rm -rf "$DIR"
  exit 1
}

BIN=${GARAGE_BIN:-$(command -v garage || echo "$HOME/.cargo/bin/garage")}
[ -x "$BIN" ] || die "no garage binary (looked for \$GARAGE_BIN, garage on PATH, $BIN); \
install it with: cargo install garage --locked --no-default-features --features bundled-libs,sqlite"
command -v curl >/dev/null || die "curl is needed to check that the server answers"

BUCKET=${GARAGE_BUCKET:-quire-test}
REGION=garage
PARENT=${TMPDIR:-/tmp}
hex() { od -An -N "$1" -tx1 /dev/urandom | tr -d ' \n'; }

# Two starts at once would pick the same ports: pick and bind under a lock.
exec 9>"$PARENT/.quire-start-garage.lock"
flock -w 60 9 || die "could not take $PARENT/.quire-start-garage.lock"
port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pick_port() { local p=$1; while ! port_free "$p"; do p=$((p + 1)); done; echo "$p"; }
S3_PORT=$(pick_port 3900)
RPC_PORT=$(pick_port $((S3_PORT + 1)))

DIR=$(mktemp -d "$PARENT/quire-garage.XXXXXX")
KEY_ID="GK$(hex 12)"
SECRET=$(hex 32)
umask 077
cat >"$DIR/garage.toml" <<EOF
metadata_dir = "$DIR/meta"
data_dir = "$DIR/data"
db_engine = "sqlite"
metadata_fsync = false
data_fsync = false
replication_factor = 1
rpc_bind_addr = "127.0.0.1:$RPC_PORT"
rpc_public_addr = "127.0.0.1:$RPC_PORT"
rpc_secret = "$(hex 32)"

[s3_api]
s3_region = "$REGION"
api_bind_addr = "127.0.0.1:$S3_PORT"
EOF

GARAGE_DEFAULT_ACCESS_KEY=$KEY_ID GARAGE_DEFAULT_SECRET_KEY=$SECRET GARAGE_DEFAULT_BUCKET=$BUCKET \
  setsid "$BIN" -c "$DIR/garage.toml" server --single-node --default-bucket \
  >"$DIR/garage.log" 2>&1 </dev/null 9>&- &
PID=$!

signed_list() {
  curl -fsS --max-time 5 -o /dev/null --aws-sigv4 "aws:amz:$REGION:s3" --user "$KEY_ID:$SECRET" \
    -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
    "http://127.0.0.1:$S3_PORT/$BUCKET?list-type=2&max-keys=1"
}
deadline=$(($(date +%s) + 60))
until signed_list 2>/dev/null; do
  kill -0 "$PID" 2>/dev/null || die "garage exited during start-up"
  # Garage keeps running when a port is taken, without that API: do not wait for it.
  ! grep -qE "server exited with error|PANIC" "$DIR/garage.log" || die "garage could not start an API"
  [ "$(date +%s)" -lt "$deadline" ] || die "garage did not answer a signed list within 60 s"
  sleep 0.1
done
exec 9>&-
log "garage $PID ready on 127.0.0.1:$S3_PORT, bucket $BUCKET, in $DIR"

if [ -n "${GARAGE_STOP_WITH:-}" ]; then
  # A watcher that stops the server when the process it serves has ended.
  setsid bash -c 'while kill -0 "$0" 2>/dev/null; do sleep 0.5; done
    kill "$1" 2>/dev/null; for _ in $(seq 50); do kill -0 "$1" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$1" 2>/dev/null; rm -rf "$2"' "$GARAGE_STOP_WITH" "$PID" "$DIR" \
    >/dev/null 2>&1 </dev/null &
fi

cat <<EOF
export AWS_ACCESS_KEY_ID=$KEY_ID
export AWS_SECRET_ACCESS_KEY=$SECRET
export AWS_ENDPOINT_URL=http://127.0.0.1:$S3_PORT
export AWS_REGION=$REGION
export GARAGE_BUCKET=$BUCKET
export GARAGE_PID=$PID
export GARAGE_DIR=$DIR
EOF
