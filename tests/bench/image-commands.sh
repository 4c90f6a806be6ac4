#!/bin/sh
# Whole-process benchmark of the image commands (issue 13): generates the images with
# tests/bench/dev/pvmfw/bench/ImageGenerator.java (seed 13), then times every image command on each, output to
# /dev/null, with /usr/bin/time (wall and CPU seconds, peak resident memory).
#
#   tests/bench/image-commands.sh [OUT_DIR]
#
# PVMFW_PAGING: the tool to time (default: the distribution's launcher, target/pvmfw-paging-*/bin/pvmfw-paging, built
# by ./mvnw package -DskipTests); JAVA: a JDK 25 java for the generator (default: $JAVA_HOME/bin/java, else java).
# SIZES: the sparse images' sizes in MiB (default "1 2 4 8 16 32 64"); the dense image is 64 MiB.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-target/bench-images}
tool=${PVMFW_PAGING:-$(ls -d target/pvmfw-paging-*/bin/pvmfw-paging 2>/dev/null | head -n 1)}
java=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
sizes=${SIZES:-1 2 4 8 16 32 64}
[ -n "$tool" ] || { echo "no tool: build it (./mvnw package -DskipTests) or set PVMFW_PAGING" >&2; exit 2; }
mkdir -p "$out"
gen() { [ -f "$out/$1-$2.img" ] || "$java" "$here/dev/pvmfw/bench/ImageGenerator.java" "$1" "$2" 13 "$out/$1-$2.img"; }
for m in $sizes; do gen sparse "$m"; done
gen dense 64
for m in $sizes 64; do [ -f "$out/zero-$m.img" ] || head -c $((m * 1024 * 1024)) /dev/zero > "$out/zero-$m.img"; done

printf '%-8s %-10s %-24s %8s %8s %10s\n' image MiB command wall_s cpu_s peak_MiB
run() { # image size label args...
    img=$1; mib=$2; label=$3; shift 3
    /usr/bin/time -f '%e %U %S %M' -o "$out/time.txt" "$tool" "$@" > /dev/null 2> "$out/err.txt" || true
    tail -n 1 "$out/time.txt" > "$out/time1.txt"
    read -r wall user sys kb < "$out/time1.txt" || true
    printf '%-8s %-10s %-24s %8s %8.2f %10d\n' "$img" "$mib" "$label" "$wall" "$(echo "$user + $sys" | bc)" \
        $((kb / 1024))
}
for m in $sizes; do
    f=$out/sparse-$m.img
    for fmt in ranges tree json svg; do run sparse "$m" "dump --format $fmt" dump "$f" --format "$fmt"; done
    run sparse "$m" check check "$f"
    run sparse "$m" "diff (against zeros)" diff "$out/zero-$m.img" "$f"
done
f=$out/dense-64.img
for fmt in ranges tree json; do run dense 64 "dump --format $fmt" dump "$f" --format "$fmt"; done
run dense 64 check check "$f"
run dense 64 "diff (against zeros)" diff "$out/zero-64.img" "$f"
"$tool" dump "$f" --format json 2>/dev/null | wc -c | awk '{print "dense dump --format json writes " $1 " bytes"}'
