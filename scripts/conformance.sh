#!/bin/sh
# Regenerates the numerical-fidelity artefacts, in order:
#   1. core/testdata/reference/params.json   the registry's parameters and slider ranges (Go)
#   2. core/testdata/reference/reference.json the 50-digit reference (Python 3 + mpmath)
#   3. docs/conformance.md                    the conformance page (go test -update)
# then runs the reference test. CI never needs mpmath: it only reads the committed files.
#   scripts/conformance.sh          all three steps
#   scripts/conformance.sh --docs   step 3 only (after a change to a function)
set -eu
cd "$(dirname "$0")/.."
GO=${GO:-go}
if [ "${1:-}" != "--docs" ]; then
	python3 -c 'import mpmath' 2>/dev/null || {
		echo "conformance.sh: needs mpmath (apt-get install python3-mpmath)" >&2
		exit 1
	}
	$GO run ./core/testdata/reference/dumpparams >core/testdata/reference/params.json
	python3 core/testdata/reference/gen.py
fi
$GO test ./core -count=1 -run 'TestConformance$' -update
$GO test ./core -count=1 -run 'TestReference|TestConformance'
