using LeakGuard.Core.Configuration;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Reporting;
using LeakGuard.Core.Rules;
using LeakGuard.Core.Rules.Import;
using LeakGuard.Core.Suppression;
using LeakGuard.Matching;

namespace LeakGuard.Core.Scanning;

/// <summary>
/// One way to run a scan: the rules, the engine built from them, the limits and the suppressions,
/// assembled once from <see cref="ScanSettings"/>. Every command and the service scan through a
/// session, so what an option means cannot drift between them. A session may run many scans (the
/// service scans each new release with the same one); the engine is disposed with it.
/// </summary>
public sealed class ScanSession : IDisposable
{
    private readonly FindingFilter _filter;
    private readonly FindingPolicy? _policy;
    private readonly Func<Blob, bool>? _members;

    private ScanSession(ScanSettings settings, RuleSet rules, IMatchEngine engine, FindingFilter filter)
    {
        Settings = settings;
        Rules = rules;
        Engine = engine;
        _filter = filter;
        _policy = FindingPolicy.For(settings, rules);
        // A member is known by its path inside its archive and by its whole path ('!' read as '/'),
        // so 'src/**' keeps what is inside src/app.zip and '**/test/**' drops package/test/ in any package.
        _members = PathGlobs.Filter(settings.Include, settings.Exclude) is { } globs
            ? member => globs.Matches(member.MemberPath, PathGlobs.Relative(member.Path, settings.ScanRoots).Replace('!', '/'))
            : null;
    }

    public ScanSettings Settings { get; }

    public RuleSet Rules { get; }

    public IMatchEngine Engine { get; }

    /// <summary>Loads the rules the settings name, without those they disable, at the severities
    /// they override.</summary>
    /// <exception cref="UsageException">A rule file is missing or invalid, or a rule id or tag the
    /// settings name matches no rule.</exception>
    /// <param name="warn">Told about each imported peer rule that is left out, and why.</param>
    public static RuleSet LoadRules(ScanSettings settings, Action<string>? warn = null)
    {
        try
        {
            var rules = settings.BuiltInRules ? [.. RuleLoader.LoadBuiltIn(settings.CacheDirectory)] : new List<Rule>();
            foreach (string path in settings.ExtraRules)
            {
                rules.AddRange(RuleLoader.LoadPath(path, warn ?? (_ => { })));
            }
            if (settings.Limits.ProtectedCode is { } protectedCode)
            {
                rules.AddRange(Protection.Canaries.Rules(protectedCode.Index));
            }
            return new RuleSet(RuleTuning.Apply(rules, settings));
        }
        catch (RuleLoadException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <param name="note">Told what a person may want to know about the engine (a fallback, a
    /// pattern Hyperscan refused).</param>
    /// <param name="rules">Rules to use instead of those the settings name (rule self-checks).</param>
    /// <exception cref="UsageException">Rules, engine or a suppression file cannot be used.</exception>
    public static ScanSession Open(ScanSettings settings, Action<string>? note = null, RuleSet? rules = null)
    {
        rules ??= LoadRules(settings, note);
        var filter = LoadFilter(settings);
        IMatchEngine engine;
        try
        {
            // Configuration-only rules are left out of files that cannot hold configuration (Scanner).
            engine = MatchEngineFactory.Create(settings.Engine, rules.Patterns, [.. rules.ContentRules.Select(r => r.ConfigurationOnly)],
                settings.CacheDirectory, note);
        }
        catch (InvalidOperationException e)
        {
            throw new UsageException(e.Message);
        }
        try
        {
            // An index file loaded with its tables checked in the background, while the rules loaded.
            settings.Limits.ProtectedCode?.Index.WaitChecked();
        }
        catch (InvalidDataException e)
        {
            engine.Dispose();
            throw new UsageException(e.Message);
        }
        return new ScanSession(settings, rules, engine, filter);
    }

    /// <summary>Runs the pipeline over <paramref name="items"/> (archive members filtered by the
    /// settings' include and exclude globs), folds a git history's repeats of one leak into the
    /// commit that introduced it (<see cref="HistoryFindings"/>), applies the configuration's
    /// allowlists and overrides, and drops suppressed findings and those below the minimum confidence.</summary>
    /// <param name="observer">Sees every file and archive member before it is expanded (a release's inventory).</param>
    /// <param name="progress">Called after each top-level item with (items done, bytes so far).</param>
    /// <param name="secrets">Told each secret a rule with a validator reports (<c>--validate</c>).</param>
    /// <param name="keepCompanions">Keep the findings of <see cref="CompanionRules"/> for validation to pair
    /// (which then drops them); otherwise they are dropped here.</param>
    public SessionScan Scan(IEnumerable<SourceItem> items, IBlobObserver? observer = null, Action<long, long>? progress = null,
        CancellationToken cancellation = default, ISecretKeeper? secrets = null, bool keepCompanions = false)
    {
        var allowlist = _policy?.ForScan();
        var scanner = new Scanner(Rules, Engine, Settings.Limits, observer, foldRepeats: true)
        {
            Progress = progress, Allowlist = allowlist, Secrets = secrets, Members = _members, FingerprintKey = Settings.FingerprintKey,
        };
        var history = new HistoryFindings();
        var result = scanner.Run(history.Watch(items), cancellation);
        var collapsed = ServedToBrowsers.Lower(history.Collapse(result.Findings), Rules);
        result = result with { Findings = keepCompanions ? collapsed : CompanionRules.Drop(collapsed, Rules) };
        var notes = new List<string>();
        if (Settings.ConfigurationFile is { } configuration)
        {
            notes.Add($"configuration: {configuration}");
        }
        notes.AddRange(result.Notes);
        if (_policy is not null)
        {
            var (findings, byPath) = _policy.Apply(result.Findings);
            result = result with { Findings = findings };
            byPath += allowlist?.AllowedByPath ?? 0;
            int bySecret = allowlist?.Allowed ?? 0;
            if (byPath + bySecret > 0)
            {
                notes.Add($"allowlisted: {Count(byPath, "finding")} by path, {Count(bySecret, "secret")} by value or stopword");
            }
        }
        var confident = result.Findings.Where(f => f.Confidence >= Settings.MinConfidence).ToList();
        if (confident.Count < result.Findings.Count)
        {
            int below = result.Findings.Count - confident.Count;
            notes.Add($"{below} {(below == 1 ? "finding" : "findings")} below --min-confidence {Settings.MinConfidence.Name()} not shown");
        }
        var filtered = _filter.Apply(result with { Findings = confident });
        if (filtered.Removed > 0)
        {
            notes.Add($"suppressed {filtered.RemovedByIgnoreFile} by ignore file, {filtered.RemovedByBaseline} by baseline");
        }
        return new SessionScan(filtered.Result, notes);
    }

    private static string Count(int count, string noun) => $"{count} {noun}{(count == 1 ? "" : "s")}";

    /// <summary>The report of a scan of this session: its rules describe the findings.</summary>
    public ScanReport Report(ScanResult result, IReadOnlyList<string> notes) =>
        new("leakguard", ScanReport.ToolVersion, result, [.. Rules.All, .. _policy?.Analyzers ?? AnalyzerRules.All], notes);

    public void Dispose() => Engine.Dispose();

    private static FindingFilter LoadFilter(ScanSettings settings)
    {
        try
        {
            string? ignore = settings.IgnoreFile ?? settings.IgnoreFileFolders
                .Select(dir => Path.Join(dir, Suppression.IgnoreFile.DefaultName))
                .FirstOrDefault(File.Exists);
            return new FindingFilter(
                ignore is null ? null : Suppression.IgnoreFile.Load(ignore),
                settings.Baseline is null ? null : Baseline.Load(settings.Baseline));
        }
        catch (SuppressionFileException e)
        {
            throw new UsageException(e.Message);
        }
    }
}

/// <summary>A scan's result without suppressed findings, and notes on what was suppressed.</summary>
public sealed record SessionScan(ScanResult Result, IReadOnlyList<string> Notes);
