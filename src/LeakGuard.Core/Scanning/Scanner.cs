using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO.Hashing;
using System.Text;
using System.Text.RegularExpressions;
using LeakGuard.Core.CredentialFiles;
using LeakGuard.Core.Expansion;
using LeakGuard.Core.Exposure;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Protection;
using LeakGuard.Core.Precision;
using LeakGuard.Core.Rules;
using LeakGuard.Core.Rules.Import;
using LeakGuard.Matching;

namespace LeakGuard.Core.Scanning;

/// <summary>
/// The pipeline: source items are read on all cores; each blob is checked by path rules, noted by
/// its input's release context and any observer, expanded (archives, PDBs, source maps), skipped if
/// binary, matched, validated, and decoded for another round. Identical content is matched once (by
/// content hash) wherever it appears. Exposures are settled when their input is done, or, for loose
/// files, when the run is. Commands build scanners through <see cref="ScanSession"/>.
/// Every item, blob, expander and decoder is isolated: whatever one of them throws is one warning
/// naming that blob (<see cref="ScanFailure"/>), and the rest of the run goes on.
/// </summary>
public sealed partial class Scanner
{
    private readonly RuleSet _rules;
    private readonly IMatchEngine _engine;
    private readonly ScanOptions _options;
    private readonly IBlobObserver? _observer;
    private readonly IReadOnlyList<IDecoder> _decoders = Decoders.Default;
    private readonly IReadOnlyList<IBlobExpander> _expanders;
    private readonly ConcurrentDictionary<UInt128, PatternMatch[]> _matchCache = new();

    /// <summary>Content rules that fire only in a credential context (<c>context: configuration</c>),
    /// by pattern index: not confirmed in a file that cannot be one, where the judge would drop
    /// every match (their keywords, <c>token</c>, <c>key</c>, <c>secret</c>, are everywhere in code).</summary>
    private readonly bool[] _configurationOnly;
    private readonly MemoryGate _memory;

    private readonly bool _foldRepeats;

    /// <param name="observer">Sees every file and member before it is expanded; null for none.</param>
    /// <param name="foldRepeats">Report one secret found several times in one input once, with its
    /// places in details (what people read); without it every place is a finding of its own.</param>
    public Scanner(RuleSet rules, IMatchEngine engine, ScanOptions options, IBlobObserver? observer = null, bool foldRepeats = false)
    {
        _foldRepeats = foldRepeats;
        _rules = rules;
        _configurationOnly = [.. rules.ContentRules.Select(r => r.ConfigurationOnly)];
        _engine = engine;
        _options = options;
        _observer = observer;
        _expanders = Expanders.Default(options);
        _memory = new MemoryGate(options.MemoryBudget);
    }

    /// <summary>Called after each top-level item with (items done, bytes so far).</summary>
    public Action<long, long>? Progress { get; init; }

    /// <summary>Secrets not to report (a configuration's value and stopword allowlists); null for none.</summary>
    public ISecretAllowlist? Allowlist { get; init; }

    /// <summary>Which archive members are scanned (include and exclude globs); null for all.
    /// Top-level items are filtered by their sources.</summary>
    public Func<Blob, bool>? Members { get; init; }

    /// <summary>Told each reported secret (<c>--validate</c>, which keeps those it can validate); null for none.</summary>
    public ISecretKeeper? Secrets { get; init; }

    /// <summary>What secrets are fingerprinted with; a process-wide random key unless given.</summary>
    public FingerprintKey FingerprintKey { get; init; } = FingerprintKey.Ephemeral;

    public ScanResult Run(IEnumerable<SourceItem> items, CancellationToken cancellation = default)
    {
        var clock = Stopwatch.StartNew();
        var run = new ScanRun(this, cancellation);
        long done = 0;
        Parallel.ForEach(items,
            new ParallelOptions { MaxDegreeOfParallelism = Math.Max(1, _options.Threads), CancellationToken = cancellation },
            () => new Worker(run),
            (item, _, worker) =>
            {
                run.Cores.Take();
                try
                {
                    worker.ScanItem(item);
                }
                finally
                {
                    run.Cores.Give();
                }
                Progress?.Invoke(Interlocked.Increment(ref done), run.Stats.Bytes);
                return worker;
            },
            _ => { });
        // Exposures in loose files wait for every loose manifest (a folder's package.json may be
        // scanned after the map beside it).
        foreach (var (path, settle) in run.Deferred)
        {
            try
            {
                if (settle(run.LooseManifests) is { } finding)
                {
                    run.Findings.Add(finding);
                }
            }
            catch (Exception e) when (ScanFailure.IsIsolated(e, cancellation))
            {
                run.Warnings.Add(new ScanWarning(path, $"exposure could not be settled ({ScanFailure.Describe(e)})"));
            }
        }
        run.Stats.Seconds = clock.Elapsed.TotalSeconds;
        var findings = run.Findings
            .OrderBy(f => f.Location.Path, StringComparer.Ordinal)
            .ThenBy(f => f.Location.Line ?? 0)
            .ThenBy(f => f.Location.Column ?? 0)
            .ThenBy(f => f.RuleId, StringComparer.Ordinal)
            // The same place in blobs of several commits or repositories: still one order.
            .ThenBy(f => f.Fingerprint, StringComparer.Ordinal)
            .ThenBy(f => f.Location.Commit, StringComparer.Ordinal)
            .ToList();
        var warnings = run.Warnings.OrderBy(w => w.Path, StringComparer.Ordinal).ThenBy(w => w.Message, StringComparer.Ordinal).ToList();
        var notes = new List<string>();
        if (run.Limits.Note() is { } limits)
        {
            notes.Add(limits);
        }
        if (StreamedNote(run.Streamed) is { } streamed)
        {
            notes.Add(streamed);
        }
        return new ScanResult(_engine.Name, findings, warnings, run.Stats) { Notes = notes };
    }

    /// <summary>E.g. "1 file over 64 MiB was matched in windows; archives, source maps, credential
    /// files and encoded text inside it were not expanded, parsed or decoded: dump.sql"; null when none was.</summary>
    private string? StreamedNote(IReadOnlyCollection<string> streamed)
    {
        if (streamed.Count == 0)
        {
            return null;
        }
        const int Examples = 3;
        var named = streamed.Order(StringComparer.Ordinal).Take(Examples).ToList();
        string more = streamed.Count > Examples ? $" and {streamed.Count - Examples:N0} more" : "";
        string files = streamed.Count == 1 ? "1 file" : $"{streamed.Count:N0} files";
        string threshold = _options.StreamAbove % ScanOptions.MiB == 0 ? $"{_options.StreamAbove / ScanOptions.MiB:N0} MiB" : $"{_options.StreamAbove:N0} bytes";
        return $"{files} over {threshold} {(streamed.Count == 1 ? "was" : "were")} matched in windows; "
            + $"archives, source maps, credential files and encoded text inside {(streamed.Count == 1 ? "it" : "them")} were not expanded, parsed or decoded: "
            + string.Join(", ", named) + more;
    }

    /// <summary>Scans blobs already in memory (tests, rule examples).</summary>
    public ScanResult Run(IEnumerable<Blob> blobs)
    {
        return Run(blobs.Select(SourceItem.InMemory));
    }

    private sealed class ScanRun(Scanner scanner, CancellationToken cancellation)
    {
        public Scanner Scanner { get; } = scanner;
        public CancellationToken Cancellation { get; } = cancellation;
        public ConcurrentBag<Finding> Findings { get; } = [];
        public ConcurrentBag<ScanWarning> Warnings { get; } = [];
        public ScanStats Stats { get; } = new();
        public ManifestIndex LooseManifests { get; } = new();
        public ConcurrentQueue<(string Path, Func<ManifestIndex, Finding?> Settle)> Deferred { get; } = [];
        public FindingLimitTally Limits { get; } = new(scanner._options.MaxFindingsPerRule, scanner._options.MaxFindingsPerFile);

        /// <summary>Items matched in windows (<see cref="StreamWindows"/>), for the run's note.</summary>
        public ConcurrentBag<string> Streamed { get; } = [];

        /// <summary>Threads at work (items' workers and member helpers), against the run's count.</summary>
        public CoreCount Cores { get; } = new(Math.Max(1, scanner._options.Threads));

        /// <summary>Workers of helpers that finished, for the next helper to reuse.</summary>
        public ConcurrentBag<Worker> IdleHelpers { get; } = [];
    }

    /// <summary>One window of a streamed file, with what was judged of the file from its first
    /// window, and the patterns not to confirm in it (<see cref="Skip"/>: configuration-only rules
    /// outside configuration, and those that timed out in an earlier window, warned about once).</summary>
    private readonly record struct Streamed(StreamWindows Windows, FileKind Kind, bool[] Skip);

    /// <summary>One file or member being scanned, with the text decoded from it: what it has
    /// reported (a decoded view must not report a match again), its finding limit, and whether
    /// it has had its one failure warning.</summary>
    private sealed class BlobScan(Blob blob, ScanOptions options)
    {
        public Blob Blob { get; } = blob;
        public HashSet<(string, long, string?)> Reported { get; } = [];
        public BlobFindingLimit Limit { get; } = new(options.MaxFindingsPerRule, options.MaxFindingsPerFile);
        public bool Warned { get; set; }
    }

    /// <summary>One thread's state: reused match buffers, the sink for archive members, and the
    /// release context of the top-level input it is scanning.</summary>
    private sealed class Worker(ScanRun run) : IExpansionSink
    {
        private readonly Scanner _s = run.Scanner;
        private readonly List<PatternMatch> _matches = [];
        private readonly List<int> _timedOut = [];
        private readonly List<Blob> _decoded = [];
        private readonly List<FindingMerge.Candidate> _candidates = [];
        private readonly List<ParsedCredential> _parsed = [];
        private readonly List<Rule> _pathMatched = [];
        private readonly List<Rule> _pathTimedOut = [];
        private readonly List<Finding> _itemFindings = [];
        private readonly List<(Blob Blob, ProtectedMatch Match)> _protectedMatches = [];
        private ExpansionBudget _budget = new(run.Scanner._options);
        private (Blob? Blob, int Start, int End) _expandedRegion;

        /// <summary>Members of the item being scanned that wait for another core; null until one does.</summary>
        private MemberQueue? _waiting;

        public ReleaseContext Release { get; private set; } = new([]);

        /// <summary>Reads one top-level item within the limits, scans it and everything inside it,
        /// then settles its release context.</summary>
        public void ScanItem(SourceItem item)
        {
            var options = _s._options;
            if (item.Length > options.MaxFileSize)
            {
                Warn(item.Path, $"skipped: {item.Length:N0} bytes is larger than --max-file-size ({options.MaxFileSize:N0} bytes)");
                return;
            }
            // A streamed item holds one window, well within what a whole one may.
            long inMemory = ItemReader.InMemory(options);
            long reserved = Math.Min(item.Length ?? inMemory, inMemory);
            _s._memory.Acquire(reserved);
            ItemReader.ItemContent? read = null;
            try
            {
                try
                {
                    read = ItemReader.Read(item, options);
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Warn(item.Path, $"could not be read: {e.Message}");
                    return;
                }
                catch (Exception e) when (ScanFailure.IsIsolated(e, run.Cancellation))
                {
                    Warn(item.Path, $"could not be read ({ScanFailure.Describe(e)})");
                    return;
                }
                if (read is null)
                {
                    Warn(item.Path, $"skipped: larger than --max-file-size ({options.MaxFileSize:N0} bytes)");
                    return;
                }
                _itemFindings.Clear();
                _protectedMatches.Clear();
                _budget = new ExpansionBudget(options);
                Release = new ReleaseContext(options.ProtectedPackages);
                if (read.Buffer is { } whole)
                {
                    // The buffer is held until the item is done: its members' slices last.
                    ScanBlob(item.ToBlob(whole.Content, lasting: true));
                    if (_waiting is { } waiting)
                    {
                        _waiting = null;
                        waiting.Finish(this);
                    }
                }
                else if (!ScanStreamed(item, read.Stream!))
                {
                    return;
                }
                try
                {
                    foreach (var settle in Release.Complete(Report, message => Warn(item.Path, message), run.LooseManifests))
                    {
                        run.Deferred.Enqueue((item.Path, settle));
                    }
                }
                catch (Exception e) when (ScanFailure.IsIsolated(e, run.Cancellation))
                {
                    Warn(item.Path, $"exposures could not be settled ({ScanFailure.Describe(e)})");
                }
                if (_protectedMatches.Count > 0)
                {
                    _itemFindings.AddRange(ProtectedCodeFindings.Of(item, _protectedMatches));
                }
                foreach (var finding in _s._foldRepeats ? FindingMerge.SameSecret(_itemFindings) : _itemFindings)
                {
                    run.Findings.Add(finding);
                }
            }
            finally
            {
                if (_waiting is { } abandoned)
                {
                    _waiting = null;
                    abandoned.Abandon();
                }
                read?.Dispose();
                _s._memory.Release(reserved);
            }
        }

        /// <summary>A text item too large to hold: path rules see it, then its content is matched
        /// window by window (<see cref="StreamWindows"/>). Nothing else runs on it (observers,
        /// expanders, credential-file parsers, decoders): they need the whole file; the run's
        /// note names what was streamed.</summary>
        /// <returns>False when the item turned out larger than --max-file-size, its findings dropped.</returns>
        private bool ScanStreamed(SourceItem item, Stream stream)
        {
            var file = item.ToBlob(ReadOnlyMemory<byte>.Empty);
            var scan = new BlobScan(file, _s._options);
            using var windows = new StreamWindows(stream, _s._rules.MaxMatchWidth, _s._options.StreamWindowSize);
            FileKind kind = default;
            bool[] skip = [];
            try
            {
                CheckPath(file);
                while (windows.Next())
                {
                    if (windows.Length > _s._options.MaxFileSize)
                    {
                        Warn(item.Path, $"skipped: larger than --max-file-size ({_s._options.MaxFileSize:N0} bytes)");
                        _itemFindings.Clear();
                        return false;
                    }
                    var window = item.ToBlob(windows.Window);
                    if (windows.Start == 0)
                    {
                        if (TextPosition.LooksBinary(window.Content.Span))
                        {
                            run.Stats.CountBinary();
                            Warn(item.Path, $"skipped: binary and larger than {ItemReader.InMemory(_s._options):N0} bytes, so not opened as an archive");
                            return true;
                        }
                        kind = FileKinds.Of(file.RootedMemberPath, window.Content.Span);
                        skip = CredentialContext.CanHold(kind, file.RootedMemberPath)
                            ? new bool[_s._configurationOnly.Length]
                            : [.. _s._configurationOnly];
                    }
                    Match(window, scan, new Streamed(windows, kind, skip));
                }
                run.Streamed.Add(item.Path);
            }
            catch (Exception e) when (ScanFailure.IsIsolated(e, run.Cancellation))
            {
                Fail(scan, e is IOException ? "could not be read to its end" : "could not be scanned", e);
            }
            finally
            {
                run.Stats.CountBlob(windows.Length);
                if (scan.Limit.Over is { } over)
                {
                    run.Limits.Add(item.Path, over);
                }
            }
            return true;
        }

        /// <summary>A file or archive member: path rules, observers, expansion; then its text is
        /// matched and decoded (decoded text goes through those two steps only), here or, for a
        /// member that <paramref name="mayWait"/>, on another core (<see cref="MemberQueue"/>).
        /// Whatever throws here is this blob's one warning; its members were isolated in their own calls.</summary>
        /// <param name="release">Called once nothing reads the blob's bytes any more.</param>
        private void ScanBlob(Blob blob, Action? release = null, bool mayWait = false)
        {
            run.Stats.CountBlob(blob.Content.Length);
            var scan = new BlobScan(blob, _s._options);
            bool handedOver = false;
            try
            {
                if (!Unpack(scan, out var expanded))
                {
                    return;
                }
                if (mayWait && (_waiting ??= new MemberQueue()).TryAdd(run, new MemberQueue.Waiting(scan, expanded, release)))
                {
                    handedOver = true;
                    return;
                }
                MatchAndDecode(scan, expanded);
            }
            finally
            {
                if (!handedOver)
                {
                    release?.Invoke();
                }
            }
        }

        /// <summary>What must happen in order, on the item's worker: path rules, the release context
        /// and observers, expansion. False when nothing is left to match: a container its members
        /// stand for, binary content, or a failure (warned about).</summary>
        /// <param name="expanded">The bytes an expander turned into members; decoding skips them.</param>
        private bool Unpack(BlobScan scan, out (int Start, int End) expanded)
        {
            var blob = scan.Blob;
            expanded = default;
            try
            {
                CheckPath(blob);
                Release.Observe(blob);
                _s._observer?.Observe(blob);
                if (!Expand(scan, out expanded))
                {
                    return false;
                }
                if (TextPosition.LooksBinary(blob.Content.Span))
                {
                    run.Stats.CountBinary();
                    return false;
                }
                return true;
            }
            catch (Exception e) when (ScanFailure.IsIsolated(e, run.Cancellation))
            {
                Fail(scan, "could not be scanned", e);
                return false;
            }
        }

        /// <summary>What needs only the blob's bytes: matching, protected code, decoding. A large
        /// blob has its decoders' text produced on a free core while it is matched (<see cref="DecodedAhead"/>).</summary>
        private void MatchAndDecode(BlobScan scan, (int Start, int End) expanded)
        {
            var blob = scan.Blob;
            DecodedAhead? ahead = null;
            try
            {
                if (blob.Content.Length >= DecodedAhead.From && blob.DecodingDepth < _s._options.MaxDecodeDepth && run.Cores.TryTake())
                {
                    ahead = DecodedAhead.Start(blob, _s._decoders, run.Cores);
                }
                Match(blob, scan);
                if (_s._options.ProtectedCode is { } protectedCode)
                {
                    foreach (var match in protectedCode.Match(blob.Path, blob.Content.Span))
                    {
                        _protectedMatches.Add((blob, match));
                    }
                }
                if (blob.DecodingDepth < _s._options.MaxDecodeDepth)
                {
                    Decode(blob, scan, expanded, ahead);
                }
            }
            catch (Exception e) when (ScanFailure.IsIsolated(e, run.Cancellation))
            {
                Fail(scan, "could not be scanned", e);
            }
            finally
            {
                // The other core reads the blob's bytes, which may be released once this returns.
                ahead?.WaitQuietly();
                if (scan.Limit.Over is { } over)
                {
                    run.Limits.Add(blob.Path, over);
                }
            }
        }

        /// <summary>A member taken off a <see cref="MemberQueue"/>, by a helper or by the item's worker.</summary>
        public void MatchWaiting(MemberQueue.Waiting member)
        {
            try
            {
                MatchAndDecode(member.Scan, member.Expanded);
            }
            finally
            {
                member.Release?.Invoke();
            }
        }

        /// <summary>Moves what this worker found while helping with an item into that item's lists.</summary>
        public void HandOver(List<Finding> findings, List<(Blob Blob, ProtectedMatch Match)> protectedMatches)
        {
            findings.AddRange(_itemFindings);
            _itemFindings.Clear();
            protectedMatches.AddRange(_protectedMatches);
            _protectedMatches.Clear();
        }

        /// <summary>Takes over what helpers found in the item being scanned.</summary>
        public void TakeOver(List<Finding> findings, List<(Blob Blob, ProtectedMatch Match)> protectedMatches)
        {
            _itemFindings.AddRange(findings);
            _protectedMatches.AddRange(protectedMatches);
        }

        /// <summary>The blob's one warning for something that threw.</summary>
        private void Fail(BlobScan scan, string what, Exception e)
        {
            if (!scan.Warned)
            {
                scan.Warned = true;
                Warn(scan.Blob.Path, $"{what} ({ScanFailure.Describe(e)})");
            }
        }

        private void CheckPath(Blob blob)
        {
            if (blob.IsCheckoutMetadata)
            {
                return;
            }
            _pathMatched.Clear();
            _pathTimedOut.Clear();
            _s._rules.PathRuleFilter.Match(blob.MemberPath, _pathMatched, _pathTimedOut);
            WarnPathTimeouts(blob);
            foreach (var rule in _pathMatched)
            {
                Report(FindingFactory.ForPath(rule, blob));
            }
        }

        /// <summary>Runs the expanders; the first that handles the blob wins. One that throws is as
        /// if it had not handled the blob, after a warning: what it expanded before was scanned,
        /// and the blob is still scanned as it is.</summary>
        /// <param name="expanded">The bytes an expander turned into members; decoding skips them.</param>
        /// <returns>False when the blob is a container whose members stand for it.</returns>
        private bool Expand(BlobScan scan, out (int Start, int End) expanded)
        {
            var blob = scan.Blob;
            expanded = default;
            foreach (var expander in _s._expanders)
            {
                ExpansionResult outcome;
                try
                {
                    outcome = expander.Expand(blob, _budget, this);
                }
                catch (Exception e) when (ScanFailure.IsIsolated(e, run.Cancellation))
                {
                    Fail(scan, "could not be expanded; scanned as it is", e);
                    continue;
                }
                if (outcome == ExpansionResult.Replaced)
                {
                    _expandedRegion = default;
                    return false;
                }
                if (outcome == ExpansionResult.ExpandedAndScan)
                {
                    break;
                }
            }
            if (_expandedRegion.Blob == blob)
            {
                expanded = (_expandedRegion.Start, _expandedRegion.End);
            }
            _expandedRegion = default;
            return true;
        }

        /// <param name="streamed">Set when <paramref name="blob"/> is one window of a streamed file:
        /// only the matches the window owns count, and positions are the file's.</param>
        private void Match(Blob blob, BlobScan scan, Streamed? streamed = null)
        {
            var content = blob.Content.Span;
            PatternMatch[] matches;
            // What the file is, judged once from the file itself (decoded text is a view of it).
            FileKind? kind = null;
            long windowStart = 0;
            if (streamed is { } s)
            {
                kind = s.Kind;
                windowStart = s.Windows.Start;
                matches = FindMatches(blob, content, s.Skip);
                // "The rest of this file was not searched for it": nor are the next windows.
                foreach (int pattern in _timedOut)
                {
                    s.Skip[pattern] = true;
                }
            }
            else if (blob.DecodedFrom is null)
            {
                kind = FileKinds.Of(blob.RootedMemberPath, content);
                // Decoded text is judged by the file it came from, so only a file's own text skips.
                bool configuration = CredentialContext.CanHold(kind.Value, blob.RootedMemberPath);
                var key = XxHash128.HashToUInt128(content);
                // The same bytes under another name may be matched with other rules skipped.
                key = configuration ? key : ~key;
                if (!_s._matchCache.TryGetValue(key, out matches!))
                {
                    matches = FindMatches(blob, content, configuration ? default : _s._configurationOnly);
                    // A crafted file's million matches are not worth keeping for a copy of it; what a
                    // timeout left unsearched is searched again in a copy (and warned about there too).
                    if (matches.Length <= _s._options.MaxFindingsPerFile && _timedOut.Count == 0)
                    {
                        _s._matchCache.TryAdd(key, matches);
                    }
                }
            }
            else
            {
                matches = FindMatches(blob, content);
            }
            var lines = new LineCounter();
            _candidates.Clear();
            foreach (var m in matches)
            {
                if (streamed is { } owner && (m.Start < owner.Windows.OwnedFrom || m.Start >= owner.Windows.OwnedTo))
                {
                    continue;
                }
                var rule = _s._rules.ContentRules[m.PatternIndex];
                if (rule.Path is not null && !PathMatches(rule, blob))
                {
                    continue;
                }
                var secretBytes = content.Slice(m.SecretStart, m.SecretLength);
                if (rule.Entropy is { } minimum && SecretText.Entropy(secretBytes) < minimum)
                {
                    continue;
                }
                var (root, rootOffset) = Root(blob, m.Start);
                if (TextPosition.HasAllowComment(content, m.Start, m.End) ||
                    (root != blob && TextPosition.HasAllowComment(root.Content.Span, rootOffset, rootOffset)))
                {
                    run.Stats.CountSuppressed();
                    continue;
                }
                string secret = Encoding.UTF8.GetString(secretBytes);
                if (rule.Allowlists.Count > 0 && ImportedAllowlist.AnyAllows(rule.Allowlists, secret, content, m.Start, m.End, blob.MemberPath))
                {
                    continue;
                }
                var confidence = rule.JudgedByContext
                    ? AssignmentJudge.Judge(rule, kind ??= FileKinds.Of(root.RootedMemberPath, root.Content.Span), blob.RootedMemberPath,
                        content, m.Start, m.End, m.SecretStart, secret)
                    : PublishedExamples.Contains(secret) || LiteralValues.IsElided(secret)
                        || (SpacedValue.IsSpaced(content, m.Start, m.SecretStart) && !SpacedValue.LooksGenerated(secret)
                            && !rule.Tags.Contains(CompanionRules.Tag))
                        ? Confidence.Low : rule.Confidence;
                if (confidence > Confidence.Low && StatusBadge.IsBadgeToken(content, m.SecretStart))
                {
                    confidence = Confidence.Low;
                }
                // Past its limit a match is only counted: the set of what was reported stays small too.
                var key = (rule.Id, windowStart + rootOffset, secret);
                if (confidence is null || _s.Allowlist?.Allows(rule, blob.Path, secret) == true
                    || scan.Reported.Contains(key) || !scan.Limit.TryTake(rule))
                {
                    continue;
                }
                scan.Reported.Add(key);
                // The secret's own position: a match may begin at the delimiter or line break before
                // its key. Root offsets rise with the matches, so one counter serves decoded text too.
                var (line, column) = lines.At(root.Content.Span, Root(blob, m.SecretStart).Offset);
                if (streamed is { } at)
                {
                    (line, column) = at.Windows.InStream((line, column));
                }
                var details = root.Origin?.Details ?? NoDetails;
                if (blob.DecodingChain is { } chain)
                {
                    details = new Dictionary<string, object?>(details) { ["decoded"] = chain };
                }
                if (rule.Checksum is { } checksum && TokenChecksums.Holds(checksum, secret) is { } holds)
                {
                    // Only the provider's generator (or someone computing it) makes a token whose checksum holds.
                    details = new Dictionary<string, object?>(details) { ["checksum"] = holds ? "valid" : "invalid" };
                    confidence = holds ? Confidence.High : confidence;
                }
                _candidates.Add(new FindingMerge.Candidate(m.SecretStart, m.SecretStart + m.SecretLength, rule,
                    Kept(rule, secret, FindingFactory.ForSecret(rule, blob, secret, _s.FingerprintKey, confidence.Value, (line, column), details,
                        content, m.SecretStart, m.SecretLength))));
            }
            if (blob.DecodedFrom is null && streamed is null)
            {
                ReadCredentialFile(blob, scan, kind!.Value);
            }
            var others = _candidates.Count > 1 ? SecretsOf(_candidates, content) : null;
            foreach (var finding in FindingMerge.MostSpecific(_candidates))
            {
                Report(others is null ? finding : WithOthersRedacted(finding, others));
            }
        }

        /// <summary>Each candidate's secret in clear, with its redaction, longest first (so a secret
        /// inside another is not redacted first and the longer one left half shown).</summary>
        private static List<(string Secret, string Redacted)> SecretsOf(List<FindingMerge.Candidate> candidates, ReadOnlySpan<byte> content)
        {
            var secrets = new List<(string, string)>(candidates.Count);
            foreach (var c in candidates)
            {
                string secret = System.Text.Encoding.UTF8.GetString(content[c.Start..Math.Min(c.End, content.Length)]);
                if (secret.Length > 0)
                {
                    secrets.Add((secret, SecretText.Redact(secret)));
                }
            }
            return [.. secrets.Distinct().OrderByDescending(s => s.Item1.Length)];
        }

        /// <summary>A long line is cut around its own secret ("…" at a cut end): a part of another
        /// secret left at a cut end is dropped too.</summary>
        private static string CutEnds(string line, string secret)
        {
            const int Shown = 4;
            if (line.EndsWith('…'))
            {
                string body = line[..^1];
                for (int n = Math.Min(secret.Length - 1, body.Length); n >= Shown; n--)
                {
                    if (body.EndsWith(secret.AsSpan(0, n), StringComparison.Ordinal))
                    {
                        line = body[..^n] + "…";
                        break;
                    }
                }
            }
            if (line.StartsWith('…'))
            {
                string body = line[1..];
                for (int n = Math.Min(secret.Length - 1, body.Length); n >= Shown; n--)
                {
                    if (body.StartsWith(secret.AsSpan(secret.Length - n), StringComparison.Ordinal))
                    {
                        line = "…" + body[n..];
                        break;
                    }
                }
            }
            return line;
        }

        /// <summary>A finding's context redacts the secret of every finding of the blob, not only its
        /// own: two tokens on neighbouring lines must not show each other in clear.</summary>
        private static Finding WithOthersRedacted(Finding finding, List<(string Secret, string Redacted)> secrets)
        {
            if (finding.Context is not { } context)
            {
                return finding;
            }
            var lines = context.Lines.Select(line =>
            {
                foreach (var (secret, redacted) in secrets)
                {
                    line = CutEnds(line.Replace(secret, redacted, StringComparison.Ordinal), secret);
                }
                return line;
            }).ToList();
            return lines.SequenceEqual(context.Lines) ? finding : finding with { Context = context with { Lines = lines } };
        }

        /// <summary>Runs the parser of each credential-file rule whose path names the blob and adds
        /// what it finds to the candidates, so a secret a pattern rule matched too is one finding.</summary>
        private void ReadCredentialFile(Blob blob, BlobScan scan, FileKind kind)
        {
            _pathMatched.Clear();
            _pathTimedOut.Clear();
            _s._rules.ParserRuleFilter.Match(blob.MemberPath, _pathMatched, _pathTimedOut);
            WarnPathTimeouts(blob);
            foreach (var rule in _pathMatched)
            {
                if (blob.Content.Length > CredentialFileText.MaxBytes)
                {
                    Warn(blob.Path, $"not read as a {rule.Parser} file: larger than {CredentialFileText.MaxBytes:N0} bytes (its content was still matched)");
                    continue;
                }
                _parsed.Clear();
                if (CredentialFileParsers.Get(rule.Parser!).Parse(new CredentialFileText(blob.Content), _parsed) is { } warning)
                {
                    Warn(blob.Path, $"not read as a {rule.Parser} file: {warning}");
                }
                var content = blob.Content.Span;
                var lines = new LineCounter();
                _parsed.Sort((a, b) => a.Start.CompareTo(b.Start));
                foreach (var credential in _parsed)
                {
                    if (TextPosition.HasAllowComment(content, credential.Start, credential.Start + credential.Length))
                    {
                        run.Stats.CountSuppressed();
                        continue;
                    }
                    var confidence = CredentialValue.Judge(rule, kind, credential);
                    var key = (rule.Id, credential.Start, credential.Secret);
                    if (confidence is null || _s.Allowlist?.Allows(rule, blob.Path, credential.Secret) == true
                        || scan.Reported.Contains(key) || !scan.Limit.TryTake(rule))
                    {
                        continue;
                    }
                    scan.Reported.Add(key);
                    var details = blob.Origin?.Details is { } known ? new Dictionary<string, object?>(known) : [];
                    if (credential.Encoding is { } encoding)
                    {
                        details["decoded"] = encoding;
                    }
                    _candidates.Add(new FindingMerge.Candidate(credential.Start, credential.Start + credential.Length, rule,
                        Kept(rule, credential.Secret, FindingFactory.ForSecret(rule, blob, credential.Secret, _s.FingerprintKey, confidence.Value, lines.At(content, credential.Start), details,
                            content, credential.Start, credential.Length))));
                }
            }
        }

        private Finding Kept(Rule rule, string secret, Finding finding)
        {
            _s.Secrets?.Keep(rule, finding.SecretDigest!, secret);
            return finding;
        }

        /// <summary>A content rule's path regex on <paramref name="blob"/>'s path. Path regexes that
        /// need backtracking (look-arounds) run with a time limit; one that runs out does not apply.</summary>
        private bool PathMatches(Rule rule, Blob blob)
        {
            try
            {
                return rule.Path!.IsMatch(blob.MemberPath);
            }
            catch (RegexMatchTimeoutException)
            {
                Warn(blob.Path, $"rule {rule.Id}: its path regex ran longer than {Seconds(rule.Path!.MatchTimeout)} on this path; the rule was not applied to it");
                return false;
            }
        }

        /// <summary>Path conditions that need backtracking (look-arounds) run with a time limit;
        /// one that ran out did not apply, and says so.</summary>
        private void WarnPathTimeouts(Blob blob)
        {
            foreach (var rule in _pathTimedOut)
            {
                Warn(blob.Path, $"rule {rule.Id}: its path regex ran longer than {Seconds(rule.Path!.MatchTimeout)} on this path; the rule was not applied to it");
            }
        }

        private PatternMatch[] FindMatches(Blob blob, ReadOnlySpan<byte> content, ReadOnlySpan<bool> skip = default)
        {
            _matches.Clear();
            _timedOut.Clear();
            _s._engine.Scan(content, _matches, _timedOut, skip);
            foreach (int pattern in _timedOut)
            {
                Warn(blob.Path, $"rule {_s._rules.ContentRules[pattern].Id}: confirming its pattern took longer than "
                    + $"{Seconds(_s._engine.Patterns[pattern].ConfirmationTimeout)} in one place; the rest of this file was not searched for it "
                    + "(`leakguard rules check` shows whether the pattern backtracks exponentially)");
            }
            if (_matches.Count == 0)
            {
                return [];
            }
            var array = _matches.ToArray();
            Array.Sort(array, static (a, b) => a.Start != b.Start ? a.Start.CompareTo(b.Start) : a.PatternIndex.CompareTo(b.PatternIndex));
            return array;
        }

        /// <summary>Decodes <paramref name="blob"/> and scans what comes out, except children that
        /// start inside <paramref name="expanded"/>: bytes an expander already turned into members.</summary>
        /// <param name="ahead">What the decoders made of <paramref name="blob"/> on another core, or null.</param>
        private void Decode(Blob blob, BlobScan scan, (int Start, int End) expanded = default, DecodedAhead? ahead = null)
        {
            for (int d = 0; d < _s._decoders.Count; d++)
            {
                var decoder = _s._decoders[d];
                _decoded.Clear();
                try
                {
                    if (ahead is null)
                    {
                        decoder.Decode(blob, _decoded);
                    }
                    else
                    {
                        ahead.TakeInto(d, _decoded);
                    }
                }
                catch (Exception e) when (ScanFailure.IsIsolated(e, run.Cancellation))
                {
                    Fail(scan, $"could not be decoded as {decoder.Name}", e);
                    continue;
                }
                // Copy: scanning a child decodes it again into the same list.
                // Decoded text is not counted in the stats: it is a view of bytes already counted.
                foreach (var child in _decoded.ToArray())
                {
                    int origin = child.DecodedFrom!.Map.ToOriginal(0);
                    if (origin >= expanded.Start && origin < expanded.End)
                    {
                        continue;
                    }
                    if (!TextPosition.LooksBinary(child.Content.Span))
                    {
                        Match(child, scan);
                        if (child.DecodingDepth < _s._options.MaxDecodeDepth)
                        {
                            Decode(child, scan);
                        }
                    }
                }
            }
        }

        /// <summary>The non-decoded blob a decoded one came from, and the offset there.</summary>
        private static (Blob Root, int Offset) Root(Blob blob, int offset)
        {
            while (blob.DecodedFrom is { } from)
            {
                offset = from.Map.ToOriginal(offset);
                blob = from.Parent;
            }
            return (blob, offset);
        }

        public void Member(Blob member) => Scan(member, release: null);

        public void Member(Blob member, Action release) => Scan(member, release);

        private void Scan(Blob member, Action? release)
        {
            // A member filtered out is not scanned, observed or opened further (an archive in an archive).
            bool wanted = false;
            try
            {
                wanted = _s.Members?.Invoke(member) != false;
            }
            catch (Exception e) when (ScanFailure.IsIsolated(e, run.Cancellation))
            {
                Warn(member.Path, $"could not be filtered ({ScanFailure.Describe(e)})");
            }
            if (wanted)
            {
                ScanBlob(member, release, mayWait: member.Lasting || release is not null);
            }
            else
            {
                release?.Invoke();
            }
        }

        public void Expanded(Blob blob, int start, int length) => _expandedRegion = (blob, start, start + length);

        public void Warn(string path, string message) => run.Warnings.Add(new ScanWarning(path, message));

        /// <summary>Findings of the item being scanned; merged when the item is done.</summary>
        public void Report(Finding finding) => _itemFindings.Add(finding);
    }

    private static string Seconds(TimeSpan time) => time.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " s";

    private static readonly IReadOnlyDictionary<string, object?> NoDetails = new Dictionary<string, object?>();

    /// <summary>Counts lines incrementally while offsets increase (matches come sorted by start;
    /// their secrets nearly so): each position costs the bytes since the last one, however long
    /// the line (a minified file's thousands of matches on one 30 MB line must not cost 30 MB each).
    /// Only a step back past the current line's start counts again from the top.</summary>
    private struct LineCounter
    {
        private int _offset;
        private int _line;
        private int _lineStart;

        public (int Line, int Column) At(ReadOnlySpan<byte> content, int offset)
        {
            if (offset < _offset && offset >= _lineStart && _line > 0)
            {
                return (_line, offset - _lineStart + 1);
            }
            if (offset < _offset || _line == 0)
            {
                _offset = 0;
                _line = 1;
                _lineStart = 0;
            }
            var since = content[_offset..offset];
            int newlines = since.Count((byte)'\n');
            if (newlines > 0)
            {
                _line += newlines;
                _lineStart = _offset + since.LastIndexOf((byte)'\n') + 1;
            }
            _offset = offset;
            return (_line, offset - _lineStart + 1);
        }
    }
}
