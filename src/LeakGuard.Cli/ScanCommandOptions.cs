using System.CommandLine;
using LeakGuard.Core;
using LeakGuard.Core.Configuration;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Reporting;
using LeakGuard.Cli.Commands;
using LeakGuard.Core.Protection;
using LeakGuard.Core.Scanning;
using LeakGuard.Matching;
using LeakGuard.Sources.FileSystem;

namespace LeakGuard.Cli;

/// <summary>The groups of scan options a command takes.</summary>
[Flags]
internal enum ScanOptionGroups
{
    /// <summary>--engine, --rules, --no-builtin-rules.</summary>
    Rules = 1,

    /// <summary>--max-file-size, --max-archive-depth, --threads, --protect, --protected, --min-lines, --min-similarity.</summary>
    Limits = 2,

    /// <summary>--ignore-file, --baseline.</summary>
    Suppressions = 4,

    /// <summary>--format, --output, --fail-on, --min-confidence, --quiet, --verbose.</summary>
    Report = 8,

    /// <summary>--include, --exclude, --respect-gitignore, --follow-symlinks.</summary>
    Paths = 16,

    /// <summary>--config (else .leakguard.yaml in the scanned folder).</summary>
    Configuration = 32,

    /// <summary>--validate, --only-live, --show-secrets: what only `scan` does with the secrets it
    /// found in clear (never `gate`, `git --staged` or the service, whose output lands in logs).</summary>
    Secrets = 64,

    Scanning = Rules | Limits | Suppressions | Report | Configuration,
}

/// <summary>
/// Every option that shapes a scan, defined once: each command adds the groups it takes, and they
/// are read back into one <see cref="ScanSettings"/>, so an option means the same in every command.
/// </summary>
internal sealed class ScanCommandOptions
{
    private readonly ScanOptionGroups _groups;

    private readonly Option<EngineKind> _engine = new("--engine")
    {
        Description = "Matching engine: auto (Hyperscan when libhs is present), hyperscan, managed",
        DefaultValueFactory = _ => EngineKind.Auto,
    };
    private readonly Option<string[]> _rules = new("--rules") { Description = "Extra rule file or folder (repeatable)" };
    private readonly Option<bool> _noBuiltinRules = new("--no-builtin-rules") { Description = "Use only the rules given with --rules" };

    private readonly Option<string> _maxFileSize = new("--max-file-size")
    {
        Description = "Skip files (and archive members, and packages) larger than this, e.g. 100MB (default: no limit; "
            + "text over 64 MiB is matched in windows, members and packages over 256 MiB are skipped)",
    };
    private readonly Option<int> _maxDepth = new("--max-archive-depth")
    {
        Description = "How deep archives inside archives are expanded",
        DefaultValueFactory = _ => 4,
    };
    private readonly Option<int> _threads = new("--threads")
    {
        Description = "Scanning threads",
        DefaultValueFactory = _ => Environment.ProcessorCount,
    };
    private readonly Option<string[]> _protect = new("--protect")
    {
        Description = "A package name (npm or NuGet id) whose exposed source is critical whatever its licence says (repeatable)",
    };

    private readonly Option<string?> _protectedIndex = new("--protected")
    {
        Description = "A protected-code index (made by `leakguard protect add`): report copies of its codebases and their canaries",
    };
    private readonly Option<int> _minLines = new("--min-lines")
    {
        Description = "Lines of code an unbroken copied passage must hold to be reported",
        DefaultValueFactory = _ => ProtectedCodeMatcher.DefaultMinLines,
    };
    private readonly Option<double> _minSimilarity = new("--min-similarity")
    {
        Description = "Share (0 to 1) of a file's code that must match a protected file to be reported",
        DefaultValueFactory = _ => 0,
    };
    private readonly Option<string?> _ignoreFile = new("--ignore-file")
    {
        Description = "Fingerprints to suppress, one per line (default: .leakguardignore in the current directory or a scanned directory)",
    };
    private readonly Option<string?> _baseline = new("--baseline") { Description = "A previous JSON report: report only findings not in it" };

    private readonly Option<string> _format = new("--format", "-f") { DefaultValueFactory = _ => "text" };
    private readonly Option<string?> _output = new("--output", "-o") { Description = "Write the report to this file instead of stdout" };
    private readonly Option<string> _failOn = new("--fail-on")
    {
        Description = "Exit 1 when a finding is at or above this severity: critical, high, medium, low, info",
        DefaultValueFactory = _ => "medium",
    };

    private readonly Option<string> _minConfidence = new("--min-confidence")
    {
        Description = "Report only findings at least this likely to be real: high, medium, low (--fail-on counts only those)",
        DefaultValueFactory = _ => "medium",
    };

    private readonly Option<bool> _quiet = new("--quiet", "-q") { Description = "Print only the number of warnings, not the warnings" };
    private readonly Option<bool> _verbose = new("--verbose") { Description = "Print every warning (by default a few of each kind and a count)" };

    private readonly Option<string[]> _include = new("--include")
    {
        Description = "Only scan paths matching this glob: files in a directory, archive and package members, git paths (repeatable)",
    };
    private readonly Option<string[]> _exclude = new("--exclude")
    {
        Description = "Do not scan paths matching this glob: files in a directory, archive and package members, git paths (repeatable)",
    };
    private readonly Option<bool> _gitignore = new("--respect-gitignore") { Description = "Skip what .gitignore files ignore (off: build output often is)" };
    private readonly Option<bool> _follow = new("--follow-symlinks") { Description = "Follow symbolic links (loops are detected)" };

    private readonly Option<bool> _validate = new("--validate")
    {
        Description = "Ask each found secret's provider whether it works and whose it is (sends the secret to that provider's fixed endpoint)",
    };
    private readonly Option<bool> _onlyLive = new("--only-live") { Description = "Report only findings --validate proved live" };
    private readonly Option<bool> _showSecrets = new("--show-secrets")
    {
        Description = "Write each found secret in full in the report, for whoever must rotate it (reports are redacted without it)",
    };

    private readonly Option<string?> _config = new("--config")
    {
        Description = $"Scan configuration file: rules to add, disable or re-grade, allowlists, include/exclude (default: {ScanConfiguration.FileName} in the scanned directory)",
    };

    /// <param name="formats">The report formats the command writes; all of them by default.</param>
    public ScanCommandOptions(ScanOptionGroups groups, IReadOnlyList<string>? formats = null)
    {
        _groups = groups;
        formats ??= ReportWriters.Formats;
        _format.Description = $"Report format: {string.Join(", ", formats)}";
        _format.AcceptOnlyFromAmong(formats.ToArray());
        _failOn.AcceptOnlyFromAmong(SeverityNames.All.ToArray());
        _minConfidence.AcceptOnlyFromAmong(SeverityNames.AllConfidences.ToArray());
    }

    public void AddTo(Command command)
    {
        void Add(ScanOptionGroups group, params Option[] options)
        {
            if (_groups.HasFlag(group))
            {
                foreach (var option in options)
                {
                    command.Options.Add(option);
                }
            }
        }
        Add(ScanOptionGroups.Rules, _engine, _rules, _noBuiltinRules);
        Add(ScanOptionGroups.Limits, _maxFileSize, _maxDepth, _threads, _protect, _protectedIndex, _minLines, _minSimilarity);
        Add(ScanOptionGroups.Suppressions, _ignoreFile, _baseline);
        Add(ScanOptionGroups.Report, _format, _output, _failOn, _minConfidence, _quiet, _verbose);
        Add(ScanOptionGroups.Paths, _include, _exclude, _gitignore, _follow);
        Add(ScanOptionGroups.Configuration, _config);
        Add(ScanOptionGroups.Secrets, _validate, _onlyLive, _showSecrets);
    }

    /// <summary>Where <c>.leakguard.yaml</c> is looked for: the first target that is a directory, or
    /// the folder of a local <c>git:</c> or <c>git-staged:</c> repository.</summary>
    public static string? ConfigurationFolder(IEnumerable<string> targets) => targets
        .Select(target => target.StartsWith("git:", StringComparison.Ordinal) ? target["git:".Length..]
            : target.StartsWith("git-staged:", StringComparison.Ordinal) ? target["git-staged:".Length..]
            : target)
        .FirstOrDefault(Directory.Exists);

    /// <summary>The matcher of --protected, or null when none is given.</summary>
    private ProtectedCodeMatcher? ProtectedCode(ParseResult parsed) =>
        parsed.GetValue(_protectedIndex) is { } path ? ProtectedCode(parsed, ProtectCommand.LoadIndex(path, mustExist: true, checkInBackground: true)) : null;

    /// <summary>Whether --protected names an index file.</summary>
    public bool HasProtectedIndex(ParseResult parsed) => parsed.GetValue(_protectedIndex) is not null;

    /// <summary>A matcher for <paramref name="index"/> with --min-lines and --min-similarity.</summary>
    public ProtectedCodeMatcher ProtectedCode(ParseResult parsed, ProtectedIndex index)
    {
        if (parsed.GetValue(_minLines) < 1)
        {
            throw new UsageException("--min-lines must be at least 1");
        }
        if (parsed.GetValue(_minSimilarity) is < 0 or > 1 or double.NaN)
        {
            throw new UsageException("--min-similarity must be between 0 and 1");
        }
        return new ProtectedCodeMatcher(index)
        {
            MinLines = parsed.GetValue(_minLines),
            MinSimilarity = parsed.GetValue(_minSimilarity),
        };
    }

    /// <summary>The largest file, member or package to scan (--max-file-size): no limit unless given.</summary>
    private long MaxFileSize(ParseResult parsed)
    {
        if (parsed.GetValue(_maxFileSize) is not { } text)
        {
            return ScanOptions.Unlimited;
        }
        if (!ByteSize.TryParse(text, out long bytes) || bytes == 0)
        {
            throw new UsageException($"--max-file-size: '{text}' is not a size (e.g. 100MB)");
        }
        return bytes;
    }

    /// <param name="ignoreFileFolders">Where a <c>.leakguardignore</c> is looked for when
    /// --ignore-file is not given, in order.</param>
    /// <param name="scanRoots">The scanned directories: path allowlists see paths relative to them.</param>
    /// <param name="configurationFolder">Where <c>.leakguard.yaml</c> is looked for when --config is
    /// not given (see <see cref="ConfigurationFolder"/>); null for nowhere.</param>
    public ScanSettings Read(ParseResult parsed, IEnumerable<string> ignoreFileFolders, IReadOnlyList<string>? scanRoots = null,
        string? configurationFolder = null)
    {
        var settings = new ScanSettings();
        if (_groups.HasFlag(ScanOptionGroups.Rules))
        {
            settings = settings with
            {
                Engine = parsed.GetValue(_engine),
                BuiltInRules = !parsed.GetValue(_noBuiltinRules),
                ExtraRules = parsed.GetValue(_rules) ?? [],
            };
        }
        if (_groups.HasFlag(ScanOptionGroups.Limits))
        {
            if (parsed.GetValue(_maxDepth) is < 0 or > 32)
            {
                throw new UsageException("--max-archive-depth must be between 0 and 32");
            }
            if (parsed.GetValue(_threads) is < 1 or > 256)
            {
                throw new UsageException("--threads must be between 1 and 256");
            }
            settings = settings with
            {
                Limits = new ScanOptions
                {
                    MaxFileSize = MaxFileSize(parsed),
                    MaxArchiveDepth = parsed.GetValue(_maxDepth),
                    Threads = parsed.GetValue(_threads),
                    ProtectedPackages = parsed.GetValue(_protect) ?? [],
                    ProtectedCode = ProtectedCode(parsed),
                },
            };
        }
        if (_groups.HasFlag(ScanOptionGroups.Report))
        {
            SeverityNames.TryParseConfidence(parsed.GetValue(_minConfidence), out var minConfidence);
            // A report's fingerprints are kept (baselines, ignore files): they need the installation's key.
            settings = settings with
            {
                MinConfidence = minConfidence,
                FingerprintKey = UserFingerprintKey.Load(note => Stderr.Line($"note: {note}")),
            };
        }
        if (_groups.HasFlag(ScanOptionGroups.Suppressions))
        {
            settings = settings with
            {
                IgnoreFile = parsed.GetValue(_ignoreFile),
                IgnoreFileFolders = [.. ignoreFileFolders],
                Baseline = parsed.GetValue(_baseline),
            };
        }
        if (_groups.HasFlag(ScanOptionGroups.Paths))
        {
            settings = settings with { Include = Globs(parsed, _include), Exclude = Globs(parsed, _exclude) };
        }
        settings = settings with { ScanRoots = scanRoots ?? [] };
        if (_groups.HasFlag(ScanOptionGroups.Configuration))
        {
            string? file = parsed.GetValue(_config);
            if (file is not null && !File.Exists(file))
            {
                throw new UsageException($"--config: '{file}': no such file");
            }
            file ??= configurationFolder is null ? null : ScanConfiguration.Find(configurationFolder);
            if (file is not null)
            {
                settings = ScanConfiguration.Load(file).ApplyTo(settings);
            }
        }
        return settings;
    }

    private static string[] Globs(ParseResult parsed, Option<string[]> option)
    {
        string[] globs = parsed.GetValue(option) ?? [];
        foreach (string glob in globs)
        {
            if (PathGlobs.Problem(glob) is { } problem)
            {
                throw new UsageException($"{option.Name}: {problem}");
            }
        }
        return globs;
    }

    /// <summary>Reads the settings and opens the session.</summary>
    public ScanSession Open(ParseResult parsed, IEnumerable<string> ignoreFileFolders, IReadOnlyList<string>? scanRoots = null,
        string? configurationFolder = null) =>
        Open(Read(parsed, ignoreFileFolders, scanRoots, configurationFolder));

    /// <summary>Opens the session; engine notes go to stderr.</summary>
    public static ScanSession Open(ScanSettings settings) =>
        ScanSession.Open(settings, note => Stderr.Line($"note: {note}"));

    public ReportSettings ReadReport(ParseResult parsed)
    {
        SeverityNames.TryParse(parsed.GetValue(_failOn), out var failOn);
        if (parsed.GetValue(_quiet) && parsed.GetValue(_verbose))
        {
            throw new UsageException("--quiet and --verbose contradict each other; give one");
        }
        var warnings = parsed.GetValue(_quiet) ? WarningDetail.Count : parsed.GetValue(_verbose) ? WarningDetail.All : WarningDetail.ByKind;
        return new ReportSettings(parsed.GetValue(_format)!, parsed.GetValue(_output), failOn, warnings);
    }

    /// <summary>Whether found secrets are validated, whether only live ones are reported, and
    /// whether they are shown in full.</summary>
    public SecretHandling ReadSecretHandling(ParseResult parsed)
    {
        if (!_groups.HasFlag(ScanOptionGroups.Secrets))
        {
            return new SecretHandling(false, false, false);
        }
        bool validate = parsed.GetValue(_validate);
        bool onlyLive = parsed.GetValue(_onlyLive);
        if (onlyLive && !validate)
        {
            throw new UsageException("--only-live needs --validate: without it no finding is known to be live");
        }
        return new SecretHandling(validate, onlyLive, parsed.GetValue(_showSecrets));
    }

    /// <summary>How sources list files: the include and exclude globs of <paramref name="settings"/>
    /// (--include and --exclude with the configuration file's), and the walk's switches.</summary>
    public FileSystemOptions ReadPaths(ParseResult parsed, ScanSettings settings) => new()
    {
        Include = settings.Include,
        Exclude = settings.Exclude,
        RespectGitignore = _groups.HasFlag(ScanOptionGroups.Paths) && parsed.GetValue(_gitignore),
        FollowSymlinks = _groups.HasFlag(ScanOptionGroups.Paths) && parsed.GetValue(_follow),
    };
}

/// <summary>--validate, --only-live and --show-secrets.</summary>
internal sealed record SecretHandling(bool Validate, bool OnlyLive, bool ShowSecrets);

/// <summary>Where a report goes, which findings fail the run, and how warnings are printed.</summary>
internal sealed record ReportSettings(string Format, string? OutputPath, Severity FailOn, WarningDetail Warnings = WarningDetail.ByKind);

/// <summary>How much of the warnings stderr gets: their number, a few of each kind, or all.</summary>
internal enum WarningDetail
{
    Count,
    ByKind,
    All,
}
