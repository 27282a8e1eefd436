#!/usr/bin/env bash
# The GitHub Action's steps (action.yml): install the LeakGuard .NET tool, run the command, write
# SARIF, set the outputs `findings`, `exit-code` and `sarif`, and exit with the step's verdict.
# Inputs come as INPUT_* variables (action.yml maps them); GITHUB_OUTPUT and GITHUB_PATH are files
# GitHub gives every step, so a test can run this script with its own.
set -uo pipefail

command="${INPUT_COMMAND:-scan}"
sarif="${INPUT_SARIF:-leakguard.sarif}"
tools="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/leakguard-tool"
: "${GITHUB_OUTPUT:?GITHUB_OUTPUT is not set (run as a GitHub Action step)}"

# Targets and extra options are split on whitespace, never glob-expanded.
set -f
read -r -a target <<< "${INPUT_TARGET:-.}"
read -r -a extra <<< "${INPUT_ARGS:-}"
set +f

error() { echo "::error title=LeakGuard::$1"; echo "exit-code=2" >> "$GITHUB_OUTPUT"; exit 2; }

if [ ! -x "$tools/leakguard" ]; then
  install=(tool install --tool-path "$tools" LeakGuard)
  [ -n "${INPUT_VERSION:-}" ] && install+=(--version "$INPUT_VERSION")
  [ -n "${INPUT_SOURCE:-}" ] && install+=(--add-source "$INPUT_SOURCE")
  dotnet "${install[@]}" >&2 || error "could not install the LeakGuard .NET tool (dotnet ${install[*]})"
fi
# Later steps of the job can run `leakguard` too.
[ -n "${GITHUB_PATH:-}" ] && echo "$tools" >> "$GITHUB_PATH"

case "$command" in
  scan) line=(scan "${target[@]}" --no-progress) ;;
  gate) line=(gate "${target[@]}") ;;
  git) line=(scan "${target[@]/#/git:}" --no-progress) ;;
  *) error "unknown command '$command' (scan, gate or git)" ;;
esac

rm -f "$sarif"
"$tools/leakguard" "${line[@]}" "${extra[@]}" --format sarif --output "$sarif"
rc=$?

findings=0
if [ -s "$sarif" ]; then
  findings=$(jq '[.runs[].results[]] | length' "$sarif") || error "the SARIF report $sarif cannot be read"
fi
{ echo "findings=$findings"; echo "exit-code=$rc"; echo "sarif=$sarif"; } >> "$GITHUB_OUTPUT"

case "$rc" in
  0) echo "LeakGuard: $findings finding(s), none at or above --fail-on" ;;
  1) if [ "${INPUT_FAIL_ON_FINDINGS:-true}" = false ]; then
       echo "::warning title=LeakGuard::$findings finding(s) at or above --fail-on (fail-on-findings: false)"
       exit 0
     fi
     echo "::error title=LeakGuard::$findings finding(s) at or above --fail-on (report: $sarif)" ;;
  *) echo "::error title=LeakGuard::leakguard failed (exit $rc)" ;;
esac
exit "$rc"
