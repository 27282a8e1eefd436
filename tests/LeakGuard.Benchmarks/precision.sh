#!/usr/bin/env bash
# Precision on clean code: how many findings LeakGuard reports per GB of real, public code that
# holds no secrets. Every finding on this corpus is a false positive (or, at best, a documented
# example key), so fewer is better.
#
#   tests/LeakGuard.Benchmarks/precision.sh [LEAKGUARD SCAN ARGS…]     e.g. --engine managed
#   tests/LeakGuard.Benchmarks/precision.sh --assemble-only            build the corpus, scan nothing
#
# 1. Assembles (once; each part is rebuilt only when its pinned list or source version changes)
#    a corpus of about 3.3 GB under ${LEAKGUARD_PRECISION_CORPUS:-~/.cache/leakguard-precision}/corpus:
#      python-stdlib/   the files of Debian's libpython3.X-stdlib, -minimal, python3-distutils and
#                       python3-lib2to3 under /usr/lib/python3.X (no .pyc, no test suite)
#      c-headers/       /usr/include files of the Debian -dev packages in $header_packages
#      dotnet-sdk/      a copy of the installed .NET SDK folder (dirname of readlink -f dotnet)
#      nuget-packages/  a NuGet global-packages folder: a throwaway net10.0 project referencing
#                       $nuget_packages (exact versions), restored into it
#      npm/             package.json, package-lock.json and node_modules of a fresh
#                       `npm install --ignore-scripts` of $npm_packages (exact versions; with
#                       --before=$npm_before so transitive versions are fixed too)
#    System files are copied, so the corpus is a stable tree. $cache/manifest.txt lists each part,
#    where it came from, its files and bytes. Registries used: Debian's, NuGet, npm; nothing else.
# 2. Scans it with this checkout's ./leakguard (so it measures the current code):
#      ./leakguard scan corpus --format json --output REPORT --fail-on critical --no-progress ARGS…
#    REPORT defaults to $cache/reports/<commit>-<time>.json (LEAKGUARD_PRECISION_REPORT overrides).
# 3. Prints the corpus size, total findings, findings per GB at severity >= medium and >= high
#    (and, when findings carry `confidence`, those with confidence >= medium too), a table by rule
#    (count at >= medium, at >= high; sorted descending; also written to REPORT's name with
#    .by-rule.tsv, to compare runs with diff) and example locations for the top rules.
#    PRECISION_TOP (25) rules are printed; PRECISION_EXAMPLES (3) examples for each of the first
#    PRECISION_EXAMPLE_RULES (10).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cache="${LEAKGUARD_PRECISION_CORPUS:-${XDG_CACHE_HOME:-$HOME/.cache}/leakguard-precision}"
corpus="$cache/corpus"
stamps="$cache/stamps"
assemble_only=false
if [ "${1:-}" = "--assemble-only" ]; then assemble_only=true; shift; fi

# --- what the corpus is made of (change a list and only that part is rebuilt) -------------------
header_packages="libc6-dev linux-libc-dev g++ libssl-dev zlib1g-dev libsqlite3-dev
  libcurl4-openssl-dev libxml2-dev libx11-dev libncurses-dev libicu-dev libpython3-dev
  libglib2.0-dev libgnutls28-dev libnss3-dev libpq-dev libeigen3-dev libboost-dev"
nuget_packages="Newtonsoft.Json/13.0.4 Serilog/4.4.0 Dapper/2.1.86 Polly/8.9.1
  FluentValidation/12.2.0 Microsoft.EntityFrameworkCore.SqlServer/10.0.15 Npgsql/10.0.3
  AWSSDK.S3/4.1.0.1 Azure.Storage.Blobs/12.30.1 Azure.Identity/1.21.0
  Google.Cloud.Storage.V1/5.0.0 Stripe.net/53.1.0 MongoDB.Driver/3.14.0 Grpc.Net.Client/2.85.0
  Google.Protobuf/3.36.2 Microsoft.Graph/6.10.0 Microsoft.Identity.Client/4.92.0
  BouncyCastle.Cryptography/2.7.0 System.IdentityModel.Tokens.Jwt/8.23.0 Twilio/8.2.0
  SendGrid/9.29.3 Octokit/14.0.0 Humanizer.Core/3.0.10 xunit/2.9.3 Moq/4.21.0"
npm_packages="typescript@7.0.2 rxjs@7.8.2 firebase@13.2.0 @aws-sdk/client-s3@3.1175.0
  googleapis@188.0.0 @angular/core@22.2.6 react@19.3.1 react-dom@19.3.1 next@16.4.6
  lodash@4.18.1 axios@1.21.1 zod@4.6.7 @babel/core@8.1.2 webpack@5.112.2 eslint@10.15.0
  prettier@3.10.1 date-fns@4.4.0 @mui/material@9.5.0 @emotion/react@11.14.0
  @emotion/styled@11.14.1 three@0.187.0 vue@3.5.45 @sentry/node@11.12.0 stripe@23.1.0
  openai@7.55.0 @google-cloud/storage@8.4.0 moment@2.31.0"
npm_before="2026-12-04"
# --------------------------------------------------------------------------------------------------

mkdir -p "$corpus" "$stamps" "$cache/build" "$cache/reports"
rm -rf "$corpus"/*.tmp   # left by an interrupted run
say() { echo "precision.sh: $*" >&2; }
fresh() { [ -d "$corpus/$1" ] && [ -f "$stamps/$1" ] && [ "$(cat "$stamps/$1")" = "$2" ]; }
part_start=$(date +%s)
done_part() { printf '%s' "$2" > "$stamps/$1"; say "$1: done in $(( $(date +%s) - part_start )) s"; part_start=$(date +%s); }
apt_install() {  # installs the packages that are not installed yet
  local missing=()
  for p; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep 'install ok installed' >/dev/null || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  [ "$(id -u)" = 0 ] || { say "needs root to apt-get install ${missing[*]}"; exit 2; }
  say "apt-get install ${missing[*]}"
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }
}
# A meta-package (libboost-dev, g++, libpython3-dev, …) owns no file under PREFIX: take instead the
# packages it depends on that do (two levels down at most), so a part names the packages whose
# files it holds.
owners() { local prefix=$1 p; shift; for p; do owners_of "$prefix" 2 "$p"; done | sort -u; }
owners_of() {
  local prefix=$1 depth=$2 p=$3 d
  if dpkg -L "$p" 2>/dev/null | grep "^$prefix/" >/dev/null; then echo "$p"; return; fi
  [ "$depth" -gt 0 ] || return 0
  for d in $(dpkg-query -W -f='${Depends}' "$p" 2>/dev/null | tr ',' '\n' | sed 's/|.*//; s/(.*)//; s/:any//; s/ //g'); do
    owners_of "$prefix" $((depth - 1)) "$d"
  done
}
versions() { for p; do dpkg-query -W -f='${Package}=${Version}\n' "$p"; done; }
copy_package_files() {  # copy_package_files PREFIX DEST PACKAGE…: the regular files they own under PREFIX
  local prefix=$1 dest=$2; shift 2
  rm -rf "$dest.tmp"; mkdir -p "$dest.tmp"
  for p; do dpkg -L "$p"; done | grep "^$prefix/" | sort -u | while read -r f; do [ -f "$f" ] && [ ! -L "$f" ] && echo "${f#"$prefix"/}"; done \
    > "$cache/build/files.txt"
  tar -C "$prefix" -cf - --files-from="$cache/build/files.txt" | tar -C "$dest.tmp" -xf -
  rm -rf "$dest"; mv "$dest.tmp" "$dest"
}

assemble_start=$(date +%s.%N)

# Python's standard library, as Debian ships it
command -v dpkg-query >/dev/null || { say "needs a Debian system (dpkg, apt-get)"; exit 2; }
apt_install libpython3-stdlib
py_stdlib="$(owners /usr/lib libpython3-stdlib | grep -E '^libpython3\.[0-9]+-stdlib$' | head -1)"
[ -n "$py_stdlib" ] || { say "cannot find Debian's libpython3.X-stdlib"; exit 2; }
py_packages="$py_stdlib ${py_stdlib%-stdlib}-minimal"
for extra in python3-distutils python3-lib2to3; do   # stdlib modules Debian ships apart (up to 3.11)
  apt-cache policy "$extra" 2>/dev/null | grep 'Candidate: [0-9]' >/dev/null && apt_install "$extra" && py_packages="$py_packages $extra"
done
py_dir="/usr/lib/python${py_stdlib#libpython}"; py_dir="${py_dir%-stdlib}"
spec="$(versions $py_packages)"
if ! fresh python-stdlib "$spec"; then
  say "python-stdlib: copying $py_dir from $py_packages"
  copy_package_files "$py_dir" "$corpus/python-stdlib" $py_packages
  done_part python-stdlib "$spec"
fi

part_start=$(date +%s)
# C headers of common -dev packages
apt_install $header_packages
header_owners="$(owners /usr/include $header_packages)"
spec="$(versions $header_owners)"
if ! fresh c-headers "$spec"; then
  say "c-headers: copying /usr/include from $(echo $header_owners | wc -w) packages"
  copy_package_files /usr/include "$corpus/c-headers" $header_owners
  done_part c-headers "$spec"
fi

part_start=$(date +%s)
# The installed .NET SDK
dotnet_dir="$(dirname "$(readlink -f "$(command -v dotnet)")")"
spec="$dotnet_dir
$(dotnet --list-sdks)
$(dotnet --list-runtimes)"
if ! fresh dotnet-sdk "$spec"; then
  say "dotnet-sdk: copying $dotnet_dir"
  rm -rf "$corpus/dotnet-sdk.tmp" && cp -a "$dotnet_dir" "$corpus/dotnet-sdk.tmp"
  rm -rf "$corpus/dotnet-sdk" && mv "$corpus/dotnet-sdk.tmp" "$corpus/dotnet-sdk"
  done_part dotnet-sdk "$spec"
fi

part_start=$(date +%s)
# NuGet packages: restore a throwaway project into an empty global-packages folder
spec="net10.0 $(echo $nuget_packages)"
if ! fresh nuget-packages "$spec"; then
  say "nuget-packages: restoring $(echo $nuget_packages | wc -w) packages"
  proj="$cache/build/nuget-restore"; rm -rf "$proj"; mkdir -p "$proj"
  # Stop MSBuild's upward search for Directory.*.props/targets (central versions, analyzers).
  echo '<Project />' > "$proj/Directory.Build.props"; echo '<Project />' > "$proj/Directory.Build.targets"
  echo '<Project><PropertyGroup><ManagePackageVersionsCentrally>false</ManagePackageVersionsCentrally></PropertyGroup></Project>' > "$proj/Directory.Packages.props"
  {
    echo '<Project Sdk="Microsoft.NET.Sdk"><PropertyGroup><TargetFramework>net10.0</TargetFramework><NuGetAudit>false</NuGetAudit></PropertyGroup><ItemGroup>'
    for p in $nuget_packages; do echo "  <PackageReference Include=\"${p%/*}\" Version=\"[${p#*/}]\" />"; done
    echo '</ItemGroup></Project>'
  } > "$proj/restore.csproj"
  rm -rf "$corpus/nuget-packages.tmp"
  NUGET_PACKAGES="$corpus/nuget-packages.tmp" dotnet restore "$proj/restore.csproj" --nologo -v q \
    > "$cache/build/nuget-restore.log" 2>&1 || { cat "$cache/build/nuget-restore.log" >&2; exit 2; }
  rm -rf "$corpus/nuget-packages" && mv "$corpus/nuget-packages.tmp" "$corpus/nuget-packages"
  done_part nuget-packages "$spec"
fi

part_start=$(date +%s)
# npm packages: a fresh install into a throwaway folder
spec="before=$npm_before $(echo $npm_packages)"
if ! fresh npm "$spec"; then
  say "npm: installing $(echo $npm_packages | wc -w) packages"
  rm -rf "$corpus/npm.tmp"; mkdir -p "$corpus/npm.tmp"
  echo '{ "name": "leakguard-precision-corpus", "version": "1.0.0", "private": true }' > "$corpus/npm.tmp/package.json"
  (cd "$corpus/npm.tmp" && npm install --ignore-scripts --no-audit --no-fund --save-exact --loglevel error \
    --before="$npm_before" $npm_packages) > "$cache/build/npm-install.log" 2>&1 \
    || { cat "$cache/build/npm-install.log" >&2; exit 2; }
  rm -rf "$corpus/npm" && mv "$corpus/npm.tmp" "$corpus/npm"
  done_part npm "$spec"
fi

# Manifest: what each part is, its files and bytes
bytes_of() { find "$1" -type f -printf '%s\n' | awk '{ s += $1 } END { printf "%.0f", s }'; }
files_of() { find "$1" -type f | wc -l; }
{
  printf '%-15s %10s %15s  %s\n' part files bytes source
  for part in python-stdlib c-headers dotnet-sdk nuget-packages npm; do
    case $part in
      python-stdlib) src="Debian $(versions $py_packages | tr '\n' ' ')";;
      c-headers) src="Debian /usr/include of: $(versions $header_owners | tr '\n' ' ')";;
      dotnet-sdk) src="$dotnet_dir (SDK $(dotnet --version))";;
      nuget-packages) src="NuGet restore (net10.0): $(echo $nuget_packages)";;
      npm) src="npm install --ignore-scripts --before=$npm_before: $(echo $npm_packages)";;
    esac
    printf '%-15s %10s %15s  %s\n' "$part" "$(files_of "$corpus/$part")" "$(bytes_of "$corpus/$part")" "$src"
  done
  printf '%-15s %10s %15s\n' total "$(files_of "$corpus")" "$(bytes_of "$corpus")"
} > "$cache/manifest.txt"
assemble_end=$(date +%s.%N)
corpus_bytes="$(bytes_of "$corpus")"
gb=$(awk "BEGIN { printf \"%.3f\", $corpus_bytes / 1e9 }")
cut -c1-200 "$cache/manifest.txt"
echo "corpus: $corpus, $gb GB (10^9 bytes); assembled/checked in $(awk "BEGIN { printf \"%.1f\", $assemble_end - $assemble_start }") s"
awk "BEGIN { exit !($corpus_bytes >= 1.5e9) }" || say "warning: the corpus is under 1.5 GB"
$assemble_only && exit 0

# --- scan ------------------------------------------------------------------------------------------
command -v jq >/dev/null || apt_install jq
commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
report="${LEAKGUARD_PRECISION_REPORT:-$cache/reports/$commit-$(date +%Y%m%d-%H%M%S).json}"
table="${report%.json}.by-rule.tsv"
"$root/leakguard" scan "$root/README.md" --format json -o /dev/null --fail-on critical >/dev/null 2>&1 || true   # build + cache the rule database
scan_start=$(date +%s.%N)
rc=0
"$root/leakguard" scan "$corpus" --format json --output "$report" --fail-on critical --no-progress "$@" \
  2> "${report%.json}.log" || rc=$?
scan_end=$(date +%s.%N)
[ "$rc" -le 1 ] || { cat "${report%.json}.log" >&2; say "leakguard scan exited $rc"; exit "$rc"; }
echo "scan warnings: $(grep -c '^warning' "${report%.json}.log" || true) (in ${report%.json}.log)"

# --- figures ---------------------------------------------------------------------------------------
# Severity ranks: info 0, low 1, medium 2, high 3, critical 4. Confidence ranks: low 1, medium 2,
# high 3 (a finding without the field counts as confident, as today's reports have none).
jq -r --arg gb "$gb" --arg corpus "$corpus/" --arg secs "$(awk "BEGIN { printf \"%.1f\", $scan_end - $scan_start }")" \
   --argjson top "${PRECISION_TOP:-25}" --argjson ex "${PRECISION_EXAMPLES:-3}" --argjson exrules "${PRECISION_EXAMPLE_RULES:-10}" '
  def sev: {"info":0,"low":1,"medium":2,"high":3,"critical":4}[.severity // "info"] // 0;
  def conf: if has("confidence") and .confidence != null then ({"low":1,"medium":2,"high":3}[.confidence|tostring] // 0) else 3 end;
  def pergb(n): (n / ($gb|tonumber) * 10 | round / 10);
  (.findings // []) as $f
  | ($f | any(has("confidence"))) as $hasconf
  | ($f | map(select(sev >= 2))) as $med
  | ($f | map(select(sev >= 3))) as $high
  | "scan: \(.stats.bytes) bytes, \(.stats.blobs) blobs in \(.stats.seconds) s of scanning (\($secs) s wall), engine \(.engine)",
    "findings: \($f|length) in all; by severity: \($f | group_by(.severity) | map("\(.[0].severity) \(length)") | join(", "))",
    "per GB: \(pergb($med|length)) at >= medium (\($med|length)), \(pergb($high|length)) at >= high (\($high|length))",
    (if $hasconf then
      ($med | map(select(conf >= 2))) as $mc | ($high | map(select(conf >= 2))) as $hc
      | "per GB with confidence >= medium: \(pergb($mc|length)) at >= medium (\($mc|length)), \(pergb($hc|length)) at >= high (\($hc|length))"
     else "per GB with confidence >= medium: n/a (the report has no confidence field)" end),
    "",
    "by rule (top \($top)):",
    ($f | group_by(.ruleId)
        | map({rule: .[0].ruleId, kind: .[0].kind, all: length, med: map(select(sev >= 2)) | length, high: map(select(sev >= 3)) | length})
        | sort_by(-.med, -.high, -.all) | .[:$top][]
        | "  \(.med|tostring|.+"        "|.[:8]) \(.high|tostring|.+"        "|.[:8]) \(.all|tostring|.+"        "|.[:8]) \(.rule) (\(.kind))"),
    "  (columns: >= medium, >= high, all)",
    "",
    "examples (a few distinct files each):",
    ($f | map(select(sev >= 2)) | group_by(.ruleId) | sort_by(-length) | .[:$exrules][]
        | "  \(.[0].ruleId):",
          (unique_by(.location.path) | .[:$ex][]
           | "    \(.location.path | ltrimstr($corpus)):\(.location.line // "-")  \(.severity)  \(.secret // ((.details.licenseVerdict // "") + (if .details.manifest then ", manifest " + (.details.manifest | ltrimstr($corpus)) else "" end)) | tostring | gsub("\n"; " ") | .[:110])"))
' "$report"
{
  printf 'rule\tkind\tmedium_or_more\thigh_or_more\tall\n'
  jq -r 'def sev: {"info":0,"low":1,"medium":2,"high":3,"critical":4}[.severity // "info"] // 0;
    (.findings // []) | group_by(.ruleId)
    | map([.[0].ruleId, .[0].kind, (map(select(sev >= 2)) | length), (map(select(sev >= 3)) | length), length])
    | sort_by(-.[2], -.[3], -.[4]) | .[] | @tsv' "$report"
} > "$table"
echo
echo "report: $report"
echo "by rule: $table   (compare two runs: diff OLD.by-rule.tsv NEW.by-rule.tsv)"
