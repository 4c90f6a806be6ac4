#!/bin/sh
# Whole-process benchmark of the image commands (issue 13): generates the images with
# tests/bench/dev/pvmfw/bench/ImageGenerator.java (seed 13), then times every image command on each, output to
# /dev/null, with /usr/bin/time (wall and CPU seconds, peak resident memory); translate --batch of 10,000 addresses
# (half mapped, the generator's "addresses" file) on each sparse image. Prints uptime first and last: the machine's
# load belongs next to the figures.
#
#   tests/bench/image-commands.sh [OUT_DIR]
#
# PVMFW_PAGING: the tool to time (default: the distribution's launcher, target/pvmfw-paging-*/bin/pvmfw-paging, built
# by ./mvnw package -DskipTests); JAVA: a JDK 25 java for the generator (default: $JAVA_HOME/bin/java, else java).
# SIZES: the sparse images' sizes in MiB (default "1 2 4 8 16 32 64"); DENSE_SIZES the dense ones' (default "64").
set -eu
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-target/bench-images}
tool=${PVMFW_PAGING:-$(ls -d target/pvmfw-paging-*/bin/pvmfw-paging 2>/dev/null | head -n 1)}
java=${JAVA:-${JAVA_HOME:+$JAVA_HOME/bin/}java}
sizes=${SIZES:-1 2 4 8 16 32 64}
dense_sizes=${DENSE_SIZES:-64}
[ -n "$tool" ] || { echo "no tool: build it (./mvnw package -DskipTests) or set PVMFW_PAGING" >&2; exit 2; }
mkdir -p "$out"
gen() {
    f=$out/$1-$2.img
    [ "$1" = addresses ] && f=$out/$1-$2.txt
    [ -f "$f" ] || "$java" "$here/dev/pvmfw/bench/ImageGenerator.java" "$1" "$2" 13 "$f"
}
for m in $sizes; do gen sparse "$m"; gen addresses "$m"; done
for m in $dense_sizes; do gen dense "$m"; done
for m in $sizes $dense_sizes; do [ -f "$out/zero-$m.img" ] || head -c $((m * 1024 * 1024)) /dev/zero > "$out/zero-$m.img"; done

# The launcher's first run trains its start-up cache in the background: let it finish before timing anything.
"$tool" --version > /dev/null
n=0
while ls -d "${XDG_CACHE_HOME:-$HOME/.cache}"/pvmfw-paging/*.lock > /dev/null 2>&1 && [ $n -lt 300 ]; do
    sleep 1; n=$((n + 1))
done
uptime
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
    run sparse "$m" "translate --batch 10000" translate --batch "$out/addresses-$m.txt" "$f"
done
for m in $dense_sizes; do
    f=$out/dense-$m.img
    for fmt in ranges tree json; do run dense "$m" "dump --format $fmt" dump "$f" --format "$fmt"; done
    run dense "$m" check check "$f"
    run dense "$m" "diff (against zeros)" diff "$out/zero-$m.img" "$f"
done
"$tool" dump "$f" --format json 2>/dev/null | wc -c | awk -v m="$m" '{print "dense " m " MiB: dump --format json writes " $1 " bytes"}'
"$tool" dump "$f" --format tree 2>/dev/null | wc -c | awk -v m="$m" '{print "dense " m " MiB: dump --format tree writes " $1 " bytes"}'
uptime
