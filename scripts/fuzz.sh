#!/usr/bin/env bash
# fuzz.sh <duration>: run every Go fuzz target in the repository for <duration> each.
#
#   ./scripts/fuzz.sh 3s      the short run in `make test`
#   ./scripts/fuzz.sh 10m     a long run (make fuzz FUZZTIME=10m)
#
# It finds each `func FuzzXxx(f *testing.F)` in the module's _test.go files and runs
#   go test -run='^$' -fuzz='^FuzzXxx$' -fuzztime=<duration> <package>
# one target at a time (go test -fuzz takes one target in one package). A finding fails the
# run; Go saves the input under <package>/testdata/fuzz/FuzzXxx/, and committing that file makes
# it a regression case that every plain `go test` runs from then on.
#
# Env: GO (default go), FUZZ_PARALLEL (-parallel for the fuzzer; default: number of CPUs),
#      FUZZ_FILTER (a grep -E pattern on target names, to run only some).
set -euo pipefail

dur=${1:-}
if [ -z "$dur" ]; then
	echo "usage: $0 <duration>   (for example 3s, 1m, 10m)" >&2
	exit 2
fi
GO=${GO:-go}
cd "$(dirname "$0")/.."

# target lines "pkgdir<TAB>FuzzName", from _test.go files outside node_modules, testdata, build.
mapfile -t targets < <(
	find . \( -name node_modules -o -name testdata -o -name .git -o -path ./build -o -path ./bin \) -prune -o \
		-name '*_test.go' -type f -print |
	sort |
	while read -r file; do
		# Skip files built only for js/wasm: go test -fuzz runs natively.
		if head -n 5 "$file" | grep -qE '^//go:build .*\bjs\b' && ! head -n 5 "$file" | grep -qE '!js'; then
			continue
		fi
		sed -nE 's/^func (Fuzz[A-Za-z0-9_]*)\(.*\*testing\.F\).*/\1/p' "$file" |
		while read -r name; do
			printf '%s\t%s\n' "$(dirname "$file")" "$name"
		done
	done | sort -u
)

if [ -n "${FUZZ_FILTER:-}" ]; then
	mapfile -t targets < <(printf '%s\n' "${targets[@]}" | grep -E "	${FUZZ_FILTER}" || true)
fi

if [ ${#targets[@]} -eq 0 ] || [ -z "${targets[0]}" ]; then
	echo "fuzz.sh: no fuzz targets found (func FuzzXxx(f *testing.F) in a _test.go file)"
	exit 0
fi

par=()
[ -n "${FUZZ_PARALLEL:-}" ] && par=(-parallel="$FUZZ_PARALLEL")

failed=()
start=$(date +%s)
for t in "${targets[@]}"; do
	dir=${t%%	*}
	name=${t#*	}
	echo "=== fuzz $name in $dir for $dur"
	if ! "$GO" test -run='^$' -fuzz="^${name}\$" -fuzztime="$dur" "${par[@]}" "$dir"; then
		failed+=("$name ($dir)")
		echo "--- FAIL fuzz $name: the failing input is saved under $dir/testdata/fuzz/$name/;"
		echo "    fix the code, then commit that file as a regression case."
	fi
done

echo "fuzz.sh: ${#targets[@]} target(s), $dur each, $(( $(date +%s) - start )) s in all"
if [ ${#failed[@]} -gt 0 ]; then
	printf 'fuzz.sh: FAILED: %s\n' "${failed[@]}"
	exit 1
fi
echo "fuzz.sh: no findings"
