using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using LeakGuard.Core.Configuration;
using LeakGuard.Core.Findings;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace LeakGuard.Service.Configuration;

/// <summary>
/// Reads <c>leakguard.yaml</c>. It walks the YAML node tree rather than deserializing into classes
/// because every message must name the line and key at fault, and a typo'd key must be reported,
/// not silently ignored. All problems are collected so one run shows them all. A value that
/// cannot be used is an error; an unknown key is a warning: the service still starts, so a key
/// this version does not know (or a stray one) does not stop every other target from being watched.
/// </summary>
public sealed partial class ServiceConfigurationParser
{
    private static readonly string[] TopLevelKeys = ["store", "targets", "alerts", "api", "cluster"];
    private static readonly string[] TargetKindKeys = [.. Enum.GetValues<TargetKind>().Select(kind => kind.ToString().ToLowerInvariant())];
    private static readonly string[] AlertKindKeys = ["webhook", "slack", "file"];
    private static readonly string[] ApiKeys = ["listen"];
    private static readonly string[] ClusterKeys = ["listen", "jobs"];

    /// <summary>A week: a longer poll is a typo, and the scheduler's timers stay well within range.</summary>
    private static readonly TimeSpan LongestInterval = TimeSpan.FromDays(7);

    /// <summary>Five minutes: the outbox lease is twice the longest timeout, and a longer one would
    /// hold back an alert that a killed worker was sending for that long.</summary>
    private static readonly TimeSpan LongestAlertTimeout = TimeSpan.FromMinutes(5);

    /// <summary>A day: the most Polly's per-attempt timeout accepts.</summary>
    private static readonly TimeSpan LongestTargetTimeout = TimeSpan.FromDays(1);

    private readonly string source;
    private readonly Func<string, string?> environment;
    private readonly List<string> problems = [];
    private readonly List<string> warnings = [];

    /// <param name="source">The file name used in messages.</param>
    /// <param name="environment">Looks up environment variables (a webhook's <c>secret-env</c>).</param>
    private ServiceConfigurationParser(string source, Func<string, string?> environment)
    {
        this.source = source;
        this.environment = environment;
    }

    public static ServiceSettings Load(string path) =>
        Parse(File.ReadAllText(path), path, Environment.GetEnvironmentVariable);

    /// <summary>The settings, with a warning for each unknown key.</summary>
    /// <exception cref="ServiceConfigurationException">The text is not a usable configuration.</exception>
    public static ServiceSettings Parse(string yaml, string source, Func<string, string?> environment)
    {
        var parser = new ServiceConfigurationParser(source, environment);
        var settings = parser.ParseDocument(yaml);
        if (parser.problems.Count > 0 || settings is null)
        {
            throw new ServiceConfigurationException(parser.problems, parser.warnings);
        }
        return settings with { Warnings = parser.warnings };
    }

    private ServiceSettings? ParseDocument(string yaml)
    {
        YamlStream stream;
        try
        {
            stream = YamlLoader.Load(yaml);
        }
        catch (YamlException e)
        {
            problems.Add($"{source}:{e.Start.Line}: not valid YAML: {e.InnerException?.Message ?? e.Message}");
            return null;
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            problems.Add($"{source}:1: expected a mapping with 'targets', 'alerts', 'store' and 'api'");
            return null;
        }

        string store = ServiceSettings.DefaultStore;
        var targets = new List<TargetSettings>();
        var alerts = new List<AlertSettings>();
        var api = new ApiSettings(ApiSettings.DefaultListen);
        var cluster = new ClusterSettings(null, null);
        foreach (var (keyNode, value) in root.Children)
        {
            string key = KeyOf(keyNode);
            switch (key)
            {
                case "store":
                    if (Scalar(value, key) is { } storeText)
                    {
                        if (string.IsNullOrWhiteSpace(storeText))
                        {
                            problems.Add($"{source}:{keyNode.Start.Line}: store: names no store (sqlite:PATH or a PostgreSQL connection string)");
                        }
                        else
                        {
                            store = storeText;
                        }
                    }
                    break;
                case "targets":
                    foreach (var (item, index) in Items(value, key))
                    {
                        if (ParseTarget(item, $"targets[{index}]") is { } target)
                        {
                            targets.Add(target);
                        }
                    }
                    break;
                case "alerts":
                    foreach (var (item, index) in Items(value, key))
                    {
                        if (ParseAlert(item, $"alerts[{index}]") is { } alert)
                        {
                            alerts.Add(alert);
                        }
                    }
                    break;
                case "api":
                    api = ParseApi(value) ?? api;
                    break;
                case "cluster":
                    cluster = ParseCluster(value) ?? cluster;
                    break;
                default:
                    UnknownKey(keyNode, key, "", TopLevelKeys);
                    break;
            }
        }
        if (targets.Count == 0 && !problems.Any(p => p.Contains("targets", StringComparison.Ordinal)))
        {
            problems.Add($"{source}:{root.Start.Line}: 'targets' lists nothing to watch");
        }
        return new ServiceSettings(store, targets, alerts, api) { Cluster = cluster };
    }

    private TargetSettings? ParseTarget(YamlNode node, string where)
    {
        if (node is not YamlMappingNode map)
        {
            problems.Add($"{source}:{node.Start.Line}: {where}: expected a mapping such as 'npm: \"@acme/*\"'");
            return null;
        }
        var kinds = map.Children.Where(c => TargetKindKeys.Contains(KeyOf(c.Key))).ToList();
        if (kinds.Count != 1)
        {
            problems.Add(kinds.Count == 0
                ? $"{source}:{map.Start.Line}: {where}: target without a kind: name one of npm, nuget, git, github or web"
                : $"{source}:{kinds[1].Key.Start.Line}: {where}: a target has one kind, not both '{KeyOf(kinds[0].Key)}' and '{KeyOf(kinds[1].Key)}'");
            return null;
        }
        string kindKey = KeyOf(kinds[0].Key);
        var kind = TargetSettings.KindNamed(kindKey)!.Value;
        // Each kind accepts only the feed key its source understands.
        string? feedKey = kind switch
        {
            TargetKind.Npm => "registry",
            TargetKind.NuGet => "source",
            TargetKind.GitHub => "api-url",
            _ => null,
        };
        bool downloads = kind is TargetKind.Npm or TargetKind.NuGet;
        string? name = Scalar(kinds[0].Value, $"{where}.{kindKey}");
        var every = TargetSettings.DefaultEvery;
        var timeout = TargetSettings.DefaultTimeout;
        bool openSource = false;
        bool validate = false;
        var revalidate = TargetSettings.DefaultRevalidate;
        var backfill = Backfill.All;
        Uri? feed = null;
        foreach (var (keyNode, value) in map.Children)
        {
            string key = KeyOf(keyNode);
            if (key == kindKey)
            {
                continue;
            }
            if (key == "every")
            {
                every = ParseInterval(value, $"{where}.every", LongestInterval, "30s, 2m, 1h or 1d (at most 7d)") ?? every;
            }
            else if (key == feedKey)
            {
                feed = HttpUrl(value, $"{where}.{key}");
            }
            // Only package targets download over HTTP; git runs its own transport.
            else if (key == "timeout" && downloads)
            {
                timeout = ParseInterval(value, $"{where}.timeout", LongestTargetTimeout, "30s, 2m or 1h (at most 1d)") ?? timeout;
            }
            else if (key == "backfill" && downloads)
            {
                string? mode = Scalar(value, $"{where}.backfill");
                if (mode is "all" or "latest" or "none")
                {
                    backfill = Enum.Parse<Backfill>(mode, ignoreCase: true);
                }
                else if (mode is not null)
                {
                    problems.Add($"{source}:{value.Start.Line}: {where}.backfill: expected all, latest or none, not '{mode}'");
                }
            }
            // A site whose served code is open source: its maps are low, as an open-source package's are.
            else if (key == "open-source" && kind == TargetKind.Web)
            {
                openSource = Flag(value, $"{where}.open-source") ?? openSource;
            }
            // Opt-in: validating sends each found secret to its provider.
            else if (key == "validate")
            {
                validate = Flag(value, $"{where}.validate") ?? validate;
            }
            else if (key == "revalidate")
            {
                revalidate = ParseInterval(value, $"{where}.revalidate", LongestInterval, "30s, 2m, 1h or 1d (at most 7d)") ?? revalidate;
            }
            else
            {
                UnknownKey(keyNode, key, $"{where}: ", kind == TargetKind.Web ? [kindKey, "every", "validate", "revalidate", "open-source"]
                    : feedKey is null ? [kindKey, "every", "validate", "revalidate"]
                    : downloads ? [kindKey, "every", "validate", "revalidate", feedKey, "timeout", "backfill"]
                    : [kindKey, "every", "validate", "revalidate", feedKey]);
            }
        }
        if (string.IsNullOrWhiteSpace(name))
        {
            problems.Add($"{source}:{kinds[0].Key.Start.Line}: {where}.{kindKey}: names no {kindKey} target");
            return null;
        }
        if (downloads && TargetSettings.SplitVersion(name) is (_, { } spec) && VersionSpecProblem(spec) is { } problem)
        {
            problems.Add($"{source}:{kinds[0].Value.Start.Line}: {where}.{kindKey}: '{spec}' {problem}");
            return null;
        }
        return new TargetSettings(kind, name, every, feed, map.Start.Line) { Timeout = timeout, OpenSource = openSource, Validate = validate, Revalidate = revalidate, Backfill = backfill };
    }

    /// <summary>Why a package target's version spec cannot be watched; null when it can: <c>all</c>,
    /// a version, a semver range with npm's semantics (<c>&gt;=1.3.0</c>, <c>^2</c>, <c>1.x</c>) or a
    /// dist-tag (<c>latest</c>: whatever it points to on each poll).</summary>
    private static string? VersionSpecProblem(string spec) =>
        spec.Length == 0 ? "is empty: name versions after the '@' (all, 1.2.3, >=1.3.0, ^2, latest) or leave the '@' out"
        : spec == "all" || Semver.SemVersionRange.TryParseNpm(spec, out _) || DistTag().IsMatch(spec) ? null
        : "is neither a version, a semver range (>=1.3.0, ^2, 1.x), a dist-tag nor 'all'";

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z][A-Za-z0-9._-]{0,63}$")]
    private static partial System.Text.RegularExpressions.Regex DistTag();

    /// <summary>true or false; null (with a problem) for anything else.</summary>
    private bool? Flag(YamlNode value, string where)
    {
        string? flag = Scalar(value, where);
        if (flag is "true" or "false")
        {
            return flag == "true";
        }
        if (flag is not null)
        {
            problems.Add($"{source}:{value.Start.Line}: {where}: expected true or false, not '{flag}'");
        }
        return null;
    }

    private AlertSettings? ParseAlert(YamlNode node, string where)
    {
        if (node is not YamlMappingNode map)
        {
            problems.Add($"{source}:{node.Start.Line}: {where}: expected a mapping such as 'webhook: https://…'");
            return null;
        }
        var kinds = map.Children.Where(c => AlertKindKeys.Contains(KeyOf(c.Key))).ToList();
        if (kinds.Count != 1)
        {
            problems.Add(kinds.Count == 0
                ? $"{source}:{map.Start.Line}: {where}: alert without a channel: name one of webhook, slack or file"
                : $"{source}:{kinds[1].Key.Start.Line}: {where}: an alert has one channel, not both '{KeyOf(kinds[0].Key)}' and '{KeyOf(kinds[1].Key)}'");
            return null;
        }
        string kindKey = KeyOf(kinds[0].Key);
        var kind = kindKey switch
        {
            "webhook" => AlertChannelKind.Webhook,
            "slack" => AlertChannelKind.Slack,
            _ => AlertChannelKind.File,
        };
        string? destination = kind == AlertChannelKind.File
            ? Scalar(kinds[0].Value, $"{where}.file")
            : HttpUrl(kinds[0].Value, $"{where}.{kindKey}")?.AbsoluteUri;
        var minSeverity = Severity.Info;
        string? secret = null;
        TimeSpan? timeout = null;
        string[] knownKeys = kind switch
        {
            AlertChannelKind.Webhook => [kindKey, "min-severity", "secret-env", "timeout"],
            AlertChannelKind.Slack => [kindKey, "min-severity", "timeout"],
            _ => [kindKey, "min-severity"],
        };
        foreach (var (keyNode, value) in map.Children)
        {
            string key = KeyOf(keyNode);
            if (key == kindKey)
            {
                continue;
            }
            if (key == "min-severity")
            {
                string? text = Scalar(value, $"{where}.min-severity");
                if (SeverityNames.TryParse(text, out var parsed))
                {
                    minSeverity = parsed;
                }
                else if (text is not null)
                {
                    problems.Add($"{source}:{value.Start.Line}: {where}.min-severity: unknown severity '{text}' (critical, high, medium, low or info)");
                }
            }
            else if (key == "secret-env" && kind == AlertChannelKind.Webhook)
            {
                secret = ReadSecret(value, $"{where}.secret-env");
            }
            else if (key == "timeout" && kind != AlertChannelKind.File)
            {
                timeout = ParseInterval(value, $"{where}.timeout", LongestAlertTimeout, "5s, 30s or 2m (at most 5m)");
            }
            else
            {
                UnknownKey(keyNode, key, $"{where}: ", knownKeys);
            }
        }
        if (string.IsNullOrWhiteSpace(destination))
        {
            if (kind == AlertChannelKind.File)
            {
                problems.Add($"{source}:{kinds[0].Key.Start.Line}: {where}.file: names no file");
            }
            return null;
        }
        return new AlertSettings(kind, destination, minSeverity, secret, map.Start.Line, timeout);
    }

    private ApiSettings? ParseApi(YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            problems.Add($"{source}:{node.Start.Line}: api: expected a mapping such as 'listen: 127.0.0.1:8088'");
            return null;
        }
        ApiSettings? api = null;
        foreach (var (keyNode, value) in map.Children)
        {
            string key = KeyOf(keyNode);
            if (key != "listen")
            {
                UnknownKey(keyNode, key, "api: ", ApiKeys);
                continue;
            }
            api = Endpoint(value, "api.listen", ApiSettings.DefaultListen.Port) is { } endPoint ? new ApiSettings(endPoint) : api;
        }
        return api;
    }

    private ClusterSettings? ParseCluster(YamlNode node)
    {
        if (node is not YamlMappingNode map)
        {
            problems.Add($"{source}:{node.Start.Line}: cluster: expected a mapping such as 'listen: 10.0.0.5:11111'");
            return null;
        }
        var cluster = new ClusterSettings(null, null);
        foreach (var (keyNode, value) in map.Children)
        {
            switch (KeyOf(keyNode))
            {
                case "listen":
                    cluster = cluster with { Listen = Endpoint(value, "cluster.listen", ClusterSettings.DefaultListen.Port) ?? cluster.Listen };
                    break;
                case "jobs":
                    string? text = Scalar(value, "cluster.jobs");
                    if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int jobs) && jobs is > 0 and <= MostJobs)
                    {
                        cluster = cluster with { Jobs = jobs };
                    }
                    else if (text is not null)
                    {
                        problems.Add($"{source}:{value.Start.Line}: cluster.jobs: '{text}' is not a number of scans from 1 to {MostJobs}");
                    }
                    break;
                default:
                    UnknownKey(keyNode, KeyOf(keyNode), "cluster: ", ClusterKeys);
                    break;
            }
        }
        return cluster;
    }

    /// <summary>Scans one silo may be told to run at once: more would only queue on its cores.</summary>
    private const int MostJobs = 64;

    /// <summary>An address with an explicit port (IPEndPoint would otherwise take port 0, a random one).</summary>
    private IPEndPoint? Endpoint(YamlNode value, string where, int examplePort)
    {
        string? text = Scalar(value, where);
        if (text is not null && IPEndPoint.TryParse(text, out var endPoint) && endPoint.Port != 0 && HasExplicitPort(text))
        {
            return endPoint;
        }
        if (text is not null)
        {
            problems.Add($"{source}:{value.Start.Line}: {where}: '{text}' is not an address and port such as 127.0.0.1:{examplePort} or [::1]:{examplePort}");
        }
        return null;
    }

    private static bool HasExplicitPort(string text) =>
        text.StartsWith('[') ? text.Contains("]:", StringComparison.Ordinal) : text.Count(c => c == ':') == 1;

    /// <param name="examples">How the message describes a good value, bound included.</param>
    private TimeSpan? ParseInterval(YamlNode node, string where, TimeSpan longest, string examples)
    {
        string? text = Scalar(node, where);
        if (text is null)
        {
            return null;
        }
        var match = IntervalPattern().Match(text);
        if (match.Success && long.TryParse(match.Groups["count"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out long count) && count > 0)
        {
            var unit = match.Groups["unit"].Value switch
            {
                "s" => TimeSpan.FromSeconds(1),
                "m" => TimeSpan.FromMinutes(1),
                "h" => TimeSpan.FromHours(1),
                _ => TimeSpan.FromDays(1),
            };
            // Compared before multiplying so a huge count cannot overflow.
            if (count <= longest / unit)
            {
                return unit * count;
            }
        }
        problems.Add($"{source}:{node.Start.Line}: {where}: '{text}' is not an interval such as {examples}");
        return null;
    }

    private Uri? HttpUrl(YamlNode node, string where)
    {
        string? text = Scalar(node, where);
        if (text is null)
        {
            return null;
        }
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp))
        {
            return uri;
        }
        problems.Add($"{source}:{node.Start.Line}: {where}: '{RedactedUrl.Of(text)}' is not an http or https URL");
        return null;
    }

    private string? ReadSecret(YamlNode node, string where)
    {
        string? variable = Scalar(node, where);
        if (variable is null)
        {
            return null;
        }
        string? secret = environment(variable);
        if (string.IsNullOrEmpty(secret))
        {
            // Names the variable, never a value: the config file holds no secrets.
            problems.Add($"{source}:{node.Start.Line}: {where}: environment variable {variable} is not set");
            return null;
        }
        return secret;
    }

    private string? Scalar(YamlNode node, string where)
    {
        if (node is YamlScalarNode { Value: { } value })
        {
            return value;
        }
        problems.Add($"{source}:{node.Start.Line}: {where}: expected a single value");
        return null;
    }

    private IEnumerable<(YamlNode Item, int Index)> Items(YamlNode node, string where)
    {
        if (node is YamlSequenceNode sequence)
        {
            return sequence.Children.Select((item, index) => (item, index));
        }
        problems.Add($"{source}:{node.Start.Line}: {where}: expected a list ('- …' entries)");
        return [];
    }

    private void UnknownKey(YamlNode keyNode, string key, string where, IEnumerable<string> known) =>
        warnings.Add($"{source}:{keyNode.Start.Line}: {where}unknown key '{key}' (known: {string.Join(", ", known)})");

    private static string KeyOf(YamlNode node) => node is YamlScalarNode { Value: { } value } ? value : node.ToString();

    [GeneratedRegex(@"^(?<count>[0-9]{1,9})(?<unit>[smhd])$")]
    private static partial Regex IntervalPattern();
}
