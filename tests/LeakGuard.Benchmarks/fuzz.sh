#!/usr/bin/env bash
# The long fuzz run: every parser fuzz test (tests/LeakGuard.Core.Tests/Fuzzing, git's pack and pack
# index readers in tests/LeakGuard.Sources.Tests/Git, and the packument's in
# tests/LeakGuard.Cli.Tests/Registry, which needs Verdaccio: tests/setup/verdaccio.sh) for as long as
# asked instead of CI's fixed 1,500 inputs each, from a random seed, collecting failures.
#
#   tests/LeakGuard.Benchmarks/fuzz.sh [SECONDS_PER_PARSER] [SEED]     default 75 s, a random seed
#
# Parsers: zip, tar, gzip, xz, zstd, bzip2, 7z, source map, inline source map, .leakguard.yaml,
# portable PDB (standalone and embedded in a DLL), git pack and pack index, npm packument — 15 runs,
# so the default is about 19 minutes in all.
# Prints one line per parser: executions, seed, most allocated by one input, and each distinct
# failure (exception type and place, or an allocation past the cap) with the input that caused it,
# saved under $LEAKGUARD_FUZZ_CRASHES (default: a folder under the temp folder). Rerun a failure
# with the same seed: LEAKGUARD_FUZZ_SEED=SEED LEAKGUARD_FUZZ_SECONDS=N dotnet test … --filter ….
# Exit status: that of dotnet test (non-zero when any parser failed).
set -euo pipefail
cd "$(dirname "$0")/../.."
seconds="${1:-75}"
seed="${2:-$RANDOM$RANDOM}"
report="$(mktemp)"
trap 'rm -f "$report"' EXIT
dotnet build tests/LeakGuard.Core.Tests -c Release -v quiet -nologo >/dev/null
dotnet build tests/LeakGuard.Sources.Tests -c Release -v quiet -nologo >/dev/null
dotnet build tests/LeakGuard.Cli.Tests -c Release -v quiet -nologo >/dev/null
status=0
LEAKGUARD_FUZZ_SECONDS="$seconds" LEAKGUARD_FUZZ_SEED="$seed" LEAKGUARD_FUZZ_REPORT="$report" \
  dotnet test tests/LeakGuard.Core.Tests -c Release --no-build --filter "FullyQualifiedName~LeakGuard.Core.Tests.Fuzzing" \
  -- xUnit.ParallelizeTestCollections=false >/dev/null || status=$?
LEAKGUARD_FUZZ_SECONDS="$seconds" LEAKGUARD_FUZZ_SEED="$seed" LEAKGUARD_FUZZ_REPORT="$report" \
  dotnet test tests/LeakGuard.Sources.Tests -c Release --no-build --filter "FullyQualifiedName~PackFuzzTests" \
  -- xUnit.ParallelizeTestCollections=false >/dev/null || status=$?
LEAKGUARD_FUZZ_SECONDS="$seconds" LEAKGUARD_FUZZ_SEED="$seed" LEAKGUARD_FUZZ_REPORT="$report" \
  dotnet test tests/LeakGuard.Cli.Tests -c Release --no-build --filter "FullyQualifiedName~PackumentFuzzTests" >/dev/null || status=$?
cat "$report"
exit "$status"
