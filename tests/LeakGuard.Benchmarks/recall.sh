#!/usr/bin/env bash
# Recall on a labelled corpus of realistic files: how many of the secrets people actually leak
# LeakGuard finds, and how often it flags what only looks like one.
#
#   tests/LeakGuard.Benchmarks/recall.sh [LEAKGUARD SCAN ARGS…]      e.g. --engine managed
#
# The corpus is tests/LeakGuard.Benchmarks/recall-corpus/ (its README says what is in it):
#   tree/         the files that are scanned: configuration of many frameworks, credential files,
#                 shell profiles, CI configs, source code, infrastructure, notes; folders under
#                 tree/containers/ named like an archive (site-backup.tar.xz/) become that archive
#   labels.tsv    path, line (N or N-M), class, expected (secret | not-secret), fragment (text the
#                 line must contain, so a label that no longer points at its line is an error)
#   files.tsv     path, kind, group of every file in tree/
# Labels live beside the files, never in them, so they do not change what is scanned.
#
# 1. Checks the labels against the files (exit 2 on any mismatch).
# 2. Copies tree/ to a temporary folder (its path must not look like a test folder, which lowers
#    confidence) and packs each archive-named folder, innermost first, with the real tool:
#    tar, gzip, xz, zstd, bzip2, zip, 7zz (Debian's 7zip; as root, missing tools are installed).
# 3. Scans it with this checkout's ./leakguard:
#      ./leakguard scan corpus --format json --output REPORT --fail-on critical --no-progress ARGS…
# 4. Scores by line. A finding counts where it has a line; archive members are matched by their
#    path with '!' read as '/'. A labelled secret is found when a finding is on its line (or in
#    its range); a finding on a not-secret line, or on a line with no label, is a false positive.
#    Findings are those the report shows, so --min-confidence (default medium) applies.
#      recall          = secrets found / labelled secrets
#      false positives = flagged not-secret lines / not-secret lines, where the not-secret lines
#                        are the labelled look-alikes plus every unlabelled line that was flagged
#    Prints a table by class (what the secret is), by group (where it is) and by file kind, then
#    the missed secrets and the false positives (RECALL_SHOW of each, default 40; all are in the
#    summary), and writes reports/recall-<commit>-<time>.json (the summary) and .scan.json (the
#    scan report) at the repository root, or in $RECALL_REPORTS.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
corpus_src="$root/tests/LeakGuard.Benchmarks/recall-corpus"
reports="${RECALL_REPORTS:-$root/reports}"
show="${RECALL_SHOW:-40}"
say() { echo "recall.sh: $*" >&2; }

# --- tools ---------------------------------------------------------------------------------------
need=()
for tool in jq:jq tar:tar gzip:gzip xz:xz-utils zstd:zstd bzip2:bzip2 zip:zip 7zz:7zip; do
  command -v "${tool%%:*}" >/dev/null || need+=("${tool#*:}")
done
if [ ${#need[@]} -gt 0 ]; then
  [ "$(id -u)" = 0 ] || { say "needs ${need[*]} (Debian packages); install them or run as root"; exit 2; }
  say "apt-get install ${need[*]}"
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null 2>&1 \
    || { apt-get update -qq >/dev/null 2>&1 && apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null; }
fi

# --- 1. labels against files -----------------------------------------------------------------------
problems="$(
  cd "$corpus_src" && awk -F'\t' '
  FNR == 1 { next }
  FILENAME == "files.tsv" { listed[$1] = 1; if ($3 == "") print "files.tsv:" FNR ": no group for " $1; next }
  FILENAME == "labels.tsv" {
    where = "labels.tsv:" FNR ": " $1 ":" $2
    if (!($1 in listed)) { print where ": not in files.tsv"; next }
    if ($4 != "secret" && $4 != "not-secret") print where ": expected is \"" $4 "\", not secret or not-secret"
    if ($3 == "") print where ": no class"
    n = split($2, range, "-"); first = range[1] + 0; last = (n > 1 ? range[2] : range[1]) + 0
    if (first < 1 || last < first) { print where ": bad line"; next }
    for (l = first; l <= last; l++) { if ((($1, l) in taken)) print where ": line " l " labelled twice"; taken[$1, l] = 1 }
    file = "tree/" $1; line = ""; for (i = 1; i <= first && (getline line < file) > 0; i++) ;
    close(file)
    if (i <= first) print where ": the file has fewer lines"
    else if (index(line, $5) == 0) {
      found = 0
      for (i = 1; (getline line < file) > 0; i++) if (!found && index(line, $5) > 0) found = i
      close(file)
      print where ": line does not contain \"" $5 "\"" (found ? " (it is on line " found ")" : "")
    }
  }' files.tsv labels.tsv
  listed="$(tail -n +2 files.tsv | cut -f1 | sort)"
  present="$(cd tree && find . -type f | sed 's|^\./||' | sort)"
  comm -13 <(echo "$listed") <(echo "$present") | sed 's/^/files.tsv: not listed: /'
  comm -23 <(echo "$listed") <(echo "$present") | sed 's/^/files.tsv: no such file: /'
)"
if [ -n "$problems" ]; then echo "$problems" >&2; say "the labels do not match the corpus"; exit 2; fi

# --- 2. the scanned copy, archives packed ----------------------------------------------------------
work="$(mktemp -d "${TMPDIR:-/tmp}/leakguard-recall.XXXXXX")"
trap 'rm -rf "$work"' EXIT
cp -a "$corpus_src/tree" "$work/corpus"
# pack DIR: DIR (named like the archive) becomes that archive of its contents
pack() {
  local dir=$1 name out members
  name="$(basename "$dir")"; out="$work/packing.$$"
  members=$(cd "$dir" && ls -A)
  case "$name" in
    *.tar) tar -C "$dir" --sort=name --owner=0 --group=0 --mtime=@0 -cf "$out" $members;;
    *.tgz|*.tar.gz) tar -C "$dir" --sort=name --owner=0 --group=0 --mtime=@0 -cf - $members | gzip -n > "$out";;
    *.tar.xz) tar -C "$dir" --sort=name --owner=0 --group=0 --mtime=@0 -cf - $members | xz -T1 > "$out";;
    *.tar.zst) tar -C "$dir" --sort=name --owner=0 --group=0 --mtime=@0 -cf - $members | zstd -q > "$out";;
    *.tar.bz2) tar -C "$dir" --sort=name --owner=0 --group=0 --mtime=@0 -cf - $members | bzip2 > "$out";;
    *.zip) (cd "$dir" && zip -qrX "$out" $members);;
    *.7z) (cd "$dir" && 7zz a -bso0 -bsp0 "$out.7z" $members && mv "$out.7z" "$out");;
    *.gz|*.xz|*.zst|*.bz2)  # one file, named as the archive without its suffix
      local inner="${name%.*}"
      [ "$members" = "$inner" ] || { say "$dir must hold exactly one file, $inner"; exit 2; }
      case "$name" in
        *.gz) gzip -nc "$dir/$inner" > "$out";; *.xz) xz -T1 -c "$dir/$inner" > "$out";;
        *.zst) zstd -qc "$dir/$inner" > "$out";; *.bz2) bzip2 -c "$dir/$inner" > "$out";;
      esac;;
    *) return 0;;
  esac
  rm -rf "$dir" && mv "$out" "$dir"
}
archive_dirs="$(find "$work/corpus/containers" -mindepth 1 -type d \( -name '*.tar' -o -name '*.tgz' -o -name '*.tar.gz' \
  -o -name '*.tar.xz' -o -name '*.tar.zst' -o -name '*.tar.bz2' -o -name '*.zip' -o -name '*.7z' -o -name '*.gz' \
  -o -name '*.xz' -o -name '*.zst' -o -name '*.bz2' \) 2>/dev/null | awk -F/ '{ print NF "\t" $0 }' | sort -rn | cut -f2-)"
for dir in $archive_dirs; do pack "$dir"; done

# --- 3. scan -----------------------------------------------------------------------------------------
command -v git >/dev/null && commit="$(git -C "$root" rev-parse --short HEAD 2>/dev/null)" || commit=unknown
stamp="$(date +%Y%m%d-%H%M%S)"
mkdir -p "$reports"
summary="$reports/recall-$commit-$stamp.json"
report="${summary%.json}.scan.json"
rc=0
(cd "$work" && "${LEAKGUARD:-$root/leakguard}" scan corpus --format json --output "$report" --fail-on critical --no-progress "$@") \
  2> "$work/scan.log" || rc=$?
[ "$rc" -le 1 ] || { cat "$work/scan.log" >&2; say "leakguard scan exited $rc"; exit "$rc"; }

# --- 4. score --------------------------------------------------------------------------------------
jq --rawfile labels "$corpus_src/labels.tsv" --rawfile files "$corpus_src/files.tsv" \
   --arg commit "$commit" --arg args "$*" --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" '
  def rows($text): $text | split("\n") | .[1:] | map(select(length > 0) | split("\t"));
  (rows($files) | map({key: .[0], value: {kind: .[1], group: .[2]}}) | from_entries) as $fileinfo
  | (rows($labels) | map((.[1] | split("-") | map(tonumber)) as $r
      | {path: .[0], first: $r[0], last: ($r[1] // $r[0]), class: .[2], expected: .[3], fragment: .[4]}
      + $fileinfo[.[0]])) as $labels
  # findings with a line, keyed by corpus path ("!" read as "/") and line
  | ((.findings // []) | map(select(.location.line != null)
      | {path: (.location.path | ltrimstr("corpus/") | gsub("!"; "/")), line: .location.line, rule: .ruleId, confidence, severity})) as $hits
  | ($hits | group_by(.path) | map({key: .[0].path, value: .}) | from_entries) as $hitsByPath
  | ($labels | map(. as $l | . + {rules: ([$hitsByPath[$l.path][]? | select(.line >= $l.first and .line <= $l.last) | .rule] | unique)}
      | .flagged = (.rules | length > 0))) as $scored
  | ($labels | group_by(.path) | map({key: .[0].path, value: .}) | from_entries) as $labelsByPath
  | ($hits | map(. as $h | select([$labelsByPath[$h.path][]? | select($h.line >= .first and $h.line <= .last)] | length == 0))
      | group_by([.path, .line]) | map({path: .[0].path, line: .[0].line, rules: (map(.rule) | unique), class: "unlabelled"}
      + ($fileinfo[.[0].path] // {kind: "unknown", group: "unknown"}))) as $unlabelled
  | def pct(a; b): if b == 0 then null else (a * 1000 / b | round / 10) end;
    def tally(key):
      ($scored + ($unlabelled | map(. + {expected: "not-secret", flagged: true})))
      | group_by(.[key]) | map({name: .[0][key],
          secrets: map(select(.expected == "secret")) | length,
          found: map(select(.expected == "secret" and .flagged)) | length,
          lookalikes: map(select(.expected == "not-secret" and .class != "unlabelled")) | length,
          flaggedLookalikes: map(select(.expected == "not-secret" and .class != "unlabelled" and .flagged)) | length,
          unlabelledLines: map(select(.class == "unlabelled")) | length}
        | .recall = pct(.found; .secrets)
        | .falsePositives = pct(.flaggedLookalikes + .unlabelledLines; .lookalikes + .unlabelledLines));
  {
    tool: "leakguard recall benchmark", commit: $commit, date: $date, scanArgs: $args, engine: .engine,
    corpus: {files: ($fileinfo | length), secrets: ($labels | map(select(.expected == "secret")) | length),
             lookalikes: ($labels | map(select(.expected == "not-secret")) | length)},
    overall: (($scored | map(select(.expected == "secret"))) as $s | ($scored | map(select(.expected == "not-secret"))) as $n
      | {secrets: ($s | length), found: ($s | map(select(.flagged)) | length),
         lookalikes: ($n | length), flaggedLookalikes: ($n | map(select(.flagged)) | length), unlabelledLines: ($unlabelled | length)}
      | .recall = pct(.found; .secrets)
      | .falsePositives = pct(.flaggedLookalikes + .unlabelledLines; .lookalikes + .unlabelledLines)),
    byClass: tally("class"), byGroup: tally("group"), byKind: tally("kind"),
    findings: {withLine: ($hits | length), withoutLine: ((.findings // []) | map(select(.location.line == null)) | length),
               byConfidence: ((.findings // []) | group_by(.confidence) | map({key: (.[0].confidence // "none"), value: length}) | from_entries)},
    warnings: (.warnings // []),
    missed: ($scored | map(select(.expected == "secret" and (.flagged | not)) | {path, line: (if .first == .last then .first else "\(.first)-\(.last)" end), class, kind, fragment})),
    falsePositives: (($scored | map(select(.expected == "not-secret" and .flagged) | {path, line: .first, class, kind, rules}))
      + ($unlabelled | map({path, line, class, kind, rules})))
  }' "$report" > "$summary"

jq -r --argjson show "$show" '
  def cell(w): tostring | if length >= w then . else . + (" " * (w - length)) end;
  def rcell(w): tostring | if length >= w then . else (" " * (w - length)) + . end;
  def p: if . == null then "-" else "\(.) %" end;
  def table(key; title; rows):
    "", (title | cell(24)) + ("secrets" | rcell(8)) + ("found" | rcell(7)) + ("recall" | rcell(9)) + ("look-alikes" | rcell(13))
        + ("flagged" | rcell(9)) + ("unlabelled" | rcell(12)) + ("false pos." | rcell(12)),
    (.[key][] | select(rows) as $r | ($r.name | cell(24)) + ($r.secrets | rcell(8)) + ($r.found | rcell(7)) + ($r.recall | p | rcell(9))
        + ($r.lookalikes | rcell(13)) + ($r.flaggedLookalikes | rcell(9)) + ($r.unlabelledLines | rcell(12)) + ($r.falsePositives | p | rcell(12))),
    ("all" | cell(24)) + (.overall.secrets | rcell(8)) + (.overall.found | rcell(7)) + (.overall.recall | p | rcell(9))
        + (.overall.lookalikes | rcell(13)) + (.overall.flaggedLookalikes | rcell(9)) + (.overall.unlabelledLines | rcell(12)) + (.overall.falsePositives | p | rcell(12));
  "corpus: \(.corpus.files) files, \(.corpus.secrets) labelled secrets, \(.corpus.lookalikes) look-alikes; engine \(.engine); commit \(.commit)",
  "findings: \(.findings.withLine) with a line (scored), \(.findings.withoutLine) without (path rules; not scored); scan warnings: \(.warnings | length)",
  table("byClass"; "class"; true), table("byGroup"; "group"; true),
  "", "file kinds with a miss or a false positive (every kind is in the summary):",
  table("byKind"; "file kind"; .found < .secrets or .flaggedLookalikes + .unlabelledLines > 0),
  "",
  "recall \(.overall.recall | p) (\(.overall.found)/\(.overall.secrets)); false positives \(.overall.falsePositives | p) (\(.overall.flaggedLookalikes) of \(.overall.lookalikes) look-alikes, \(.overall.unlabelledLines) unlabelled lines)",
  "",
  "missed (\(.missed | length); first \($show)):",
  (.missed[:$show][] | "  \(.path):\(.line)  \(.class)  \(.fragment)"),
  "false positives (\(.falsePositives | length); first \($show)):",
  (.falsePositives[:$show][] | "  \(.path):\(.line)  \(.class)  \(.rules | join(","))"),
  (if (.warnings | length) > 0 then "scan warnings (first 10):", (.warnings[:10][] | "  \(. | tostring | .[:160])") else empty end)
' "$summary"
echo
echo "summary: $summary"
echo "scan report: $report"
