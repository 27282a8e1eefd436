using System.Text.RegularExpressions;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Rules;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Core.Configuration;

/// <summary>
/// A scan configuration file (<c>.leakguard.yaml</c> in the scanned folder, or <c>--config FILE</c>):
/// rules to add, disable or re-grade, allowlists, and path filters. It is read into
/// <see cref="ScanSettings"/> (<see cref="ApplyTo"/>), so a session applies it like any option.
/// </summary>
public sealed record ScanConfiguration
{
    /// <summary>The name a scanned folder's configuration file has.</summary>
    public const string FileName = ".leakguard.yaml";

    /// <summary>The file, as named: messages start with it.</summary>
    public required string Source { get; init; }

    /// <summary>Path globs added to <c>--include</c>.</summary>
    public IReadOnlyList<string> Include { get; init; } = [];

    /// <summary>Path globs added to <c>--exclude</c>.</summary>
    public IReadOnlyList<string> Exclude { get; init; } = [];

    /// <summary>Rule files or folders added to <c>--rules</c>, resolved against the file's folder.</summary>
    public IReadOnlyList<string> ExtraRules { get; init; } = [];

    public IReadOnlyList<RuleSelector> Disable { get; init; } = [];

    public IReadOnlyList<RuleOverride> Overrides { get; init; } = [];

    /// <summary>What no rule reports.</summary>
    public Allowlist Allowlist { get; init; } = Allowlist.None;

    /// <summary>The configuration file in <paramref name="folder"/>, or null when it has none.</summary>
    public static string? Find(string folder)
    {
        string path = Path.Join(folder, FileName);
        return File.Exists(path) ? path : null;
    }

    /// <exception cref="UsageException">The file cannot be read or used; the message names each
    /// problem with file, line and key.</exception>
    public static ScanConfiguration Load(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"{path}: cannot be read: {e.Message}");
        }
        return Parse(text, path, Path.GetDirectoryName(Path.GetFullPath(path))!);
    }

    /// <param name="source">The file name messages use.</param>
    /// <param name="folder">What relative rule paths are resolved against.</param>
    /// <exception cref="UsageException">The text is not a usable configuration.</exception>
    public static ScanConfiguration Parse(string yaml, string source, string folder) =>
        ScanConfigurationParser.Parse(yaml, source, folder);

    /// <summary>The settings with this file's rules, filters, rule changes and allowlists added.</summary>
    public ScanSettings ApplyTo(ScanSettings settings) => settings with
    {
        ConfigurationFile = Source,
        ExtraRules = [.. settings.ExtraRules, .. ExtraRules],
        Include = [.. settings.Include, .. Include],
        Exclude = [.. settings.Exclude, .. Exclude],
        DisabledRules = [.. settings.DisabledRules, .. Disable],
        RuleOverrides = [.. settings.RuleOverrides, .. Overrides],
        Allowlist = settings.Allowlist.With(Allowlist),
    };
}

/// <summary>A rule id or tag as a configuration file names it, with where (for messages).</summary>
/// <param name="Where">"file:line: key", e.g. <c>.leakguard.yaml:4: rules.disable[0]</c>.</param>
public sealed record RuleSelector(string Name, string Where)
{
    /// <summary>True for the rule with this id, and for every rule with this tag; a rule's family
    /// (its id up to the first dot) is always one of its tags.</summary>
    public bool Selects(Rule rule) =>
        rule.Id == Name || rule.Tags.Contains(Name, StringComparer.Ordinal) || rule.Id.Split('.')[0] == Name;

    /// <summary>True when the selector names the rule by its id, not by a tag.</summary>
    public bool IsIdOf(Rule rule) => rule.Id == Name;
}

/// <summary>Changes to the rules a selector names: severity and confidence of their findings, and
/// an allowlist of their own.</summary>
public sealed record RuleOverride(RuleSelector Rules, Severity? Severity, Confidence? Confidence, Allowlist Allowlist);

/// <summary>
/// Findings not to report: those in files or members matching <see cref="Paths"/>, and secrets
/// that <see cref="Values"/> match whole or that contain a <see cref="Stopwords"/> word (ignoring case).
/// </summary>
public sealed record Allowlist
{
    /// <summary>How long one value pattern may take on one secret; past it, the secret is reported.</summary>
    public static readonly TimeSpan ValueTimeout = TimeSpan.FromMilliseconds(250);

    public static Allowlist None { get; } = new();

    /// <summary>Globs (the <c>--include</c> syntax), matched against the path relative to the
    /// scanned folder and against each archive member's path.</summary>
    public IReadOnlyList<string> Paths { get; init; } = [];

    /// <summary>.NET regexes anchored to the whole secret.</summary>
    public IReadOnlyList<Regex> Values { get; init; } = [];

    public IReadOnlyList<string> Stopwords { get; init; } = [];

    public bool IsEmpty => Paths.Count == 0 && Values.Count == 0 && Stopwords.Count == 0;

    /// <summary>Both allowlists in one.</summary>
    public Allowlist With(Allowlist other) => other.IsEmpty ? this : IsEmpty ? other : new Allowlist
    {
        Paths = [.. Paths, .. other.Paths],
        Values = [.. Values, .. other.Values],
        Stopwords = [.. Stopwords, .. other.Stopwords],
    };

    /// <summary>True when the secret is allowed: a value pattern matches all of it, or it contains a
    /// stopword. A pattern that runs out of time allows nothing.</summary>
    public bool AllowsSecret(string secret)
    {
        foreach (string word in Stopwords)
        {
            if (secret.Contains(word, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }
        foreach (var value in Values)
        {
            try
            {
                if (value.IsMatch(secret))
                {
                    return true;
                }
            }
            catch (RegexMatchTimeoutException)
            {
                // Reported rather than silently allowed.
            }
        }
        return false;
    }

    /// <summary>A value pattern that must match the whole secret.</summary>
    /// <exception cref="ArgumentException">Not a valid .NET regex.</exception>
    public static Regex ValuePattern(string pattern)
    {
        _ = new Regex(pattern, RegexOptions.CultureInvariant, ValueTimeout);
        return new Regex($@"\A(?:{pattern})\z", RegexOptions.CultureInvariant, ValueTimeout);
    }
}
