#!/bin/bash
# IR-6: captures the volatile state of an EKS node into the evidence bucket. Runs as root through the product's own
# Command document; Run Command fills in the {{ }} references, each restricted by its parameter (allowedValues or an
# allowedPattern without quotes or spaces inside a URL), so no value can break out of its quotes. The AVML checksum is
# the one configured for the product (incidentResponse.avmlSha256): whoever runs the command cannot choose another.
# Writes into a private working directory, checks AVML's SHA-256 before running it, and uploads each file to its
# presigned URL (evidence bucket, incidents/ only) with Content-MD5 (Object Lock buckets refuse PUTs without a checksum).
set -euo pipefail
umask 077
CAPTURE_MEMORY='{{ CaptureMemory }}'
AVML_SHA256='{{ AvmlSha256 }}'
AVML_URL='{{ AvmlUrl }}'
UPLOAD_URLS='{{ UploadUrls }}'
MEMORY_PARTS=16

fail() { echo "CAPTURE FAILED: $*" >&2; exit 1; }
run() { local out=$1; shift; { "$@" || echo "command failed ($?): $*"; } > "$out" 2>&1; }

[ -n "$AVML_SHA256" ] || fail "no AVML SHA-256 is configured for the product (incidentResponse.avmlSha256): IR-6 refuses to run"
WORK_DIR=$(mktemp -d /var/tmp/incident-capture.XXXXXX)
trap 'rm -rf "$WORK_DIR"' EXIT
cd "$WORK_DIR"

if [ "$CAPTURE_MEMORY" = "true" ]; then
  curl --fail --silent --show-error --proto =https --max-time 300 -o avml "$AVML_URL" || fail "cannot download AVML from the evidence bucket"
  echo "$AVML_SHA256  avml" | sha256sum --check --status || fail "AVML SHA-256 mismatch: expected $AVML_SHA256, got $(sha256sum avml | cut -d' ' -f1)"
  chmod 700 avml
  needed_kb=$(awk '/^MemTotal:/ {print $2}' /proc/meminfo)
  free_kb=$(df --output=avail -k "$WORK_DIR" | tail -n 1)
  [ "$free_kb" -gt "$needed_kb" ] || fail "not enough disk for the memory image: $free_kb KiB free, $needed_kb KiB needed"
  ./avml --compress memory.lime || fail "AVML failed"
  rm -f avml
  # One S3 PUT takes at most 5 GB: upload the image in 4 GiB parts (cat memory.lime.part* restores it).
  image_kb=$(du -k memory.lime | cut -f1)
  free_kb=$(df --output=avail -k "$WORK_DIR" | tail -n 1)
  [ "$free_kb" -gt "$image_kb" ] || fail "not enough disk to split the memory image: $free_kb KiB free, $image_kb KiB needed"
  split -b 4G -d -a 2 memory.lime memory.lime.part || fail "cannot split the memory image"
  rm -f memory.lime
  parts=$(ls memory.lime.part* | wc -l)
  [ "$parts" -le "$MEMORY_PARTS" ] || fail "the memory image needs $parts parts of 4 GiB, more than the $MEMORY_PARTS upload URLs"
fi

run processes.txt ps auxfww
run connections-tcp.txt ss -tanp
run connections-udp.txt ss -uanp
run ip-addr.txt ip addr
run ip-route.txt ip route
run containers.txt ctr -n k8s.io containers list
run container-tasks.txt ctr -n k8s.io tasks list
run logins.txt last -F
run kernel-modules.txt lsmod

sha256sum -- *.txt $(ls memory.lime.part* 2>/dev/null) > manifest.sha256

# UploadUrls is "name url name url …" (read splits on spaces without expanding the URLs' '?' as a pattern).
read -r -a uploads <<< "$UPLOAD_URLS"
for ((i = 0; i + 1 < ${#uploads[@]}; i += 2)); do
  name=${uploads[i]}
  url=${uploads[i + 1]}
  # Memory has as many parts as its size needs; the unused part URLs stay unused.
  case "$name" in memory.lime.part*) [ -f "$name" ] || continue ;; esac
  [ -f "$name" ] || fail "artifact $name was not produced"
  md5=$(openssl dgst -md5 -binary "$name" | openssl base64 -A)
  curl --fail --silent --show-error --proto =https --max-time 1800 -X PUT -T "$name" -H "Content-MD5: $md5" "$url" \
    || fail "upload of $name failed"
  echo "uploaded $name"
done
cat manifest.sha256
