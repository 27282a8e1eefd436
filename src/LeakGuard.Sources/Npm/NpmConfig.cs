using System.Text.RegularExpressions;

namespace LeakGuard.Sources.Npm;

/// <summary>
/// The parts of an <c>.npmrc</c> that decide where packages come from and how to authenticate:
/// <c>registry=</c>, <c>@scope:registry=</c> and <c>//host[:port]/path/:_authToken=</c>, with
/// <c>${VAR}</c> expanded from the environment as npm does (CI files keep tokens in variables).
/// </summary>
public sealed partial class NpmConfig
{
    public const string PublicRegistry = "https://registry.npmjs.org/";

    private readonly Dictionary<string, string> _scopeRegistries = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _tokens = new(StringComparer.Ordinal);

    public string Registry { get; private set; } = PublicRegistry;

    /// <summary>The user's configuration: $NPM_CONFIG_USERCONFIG, else ~/.npmrc; defaults when
    /// neither exists.</summary>
    public static NpmConfig LoadUserConfig()
    {
        string? path = Environment.GetEnvironmentVariable("NPM_CONFIG_USERCONFIG")
            ?? Environment.GetEnvironmentVariable("npm_config_userconfig");
        path ??= Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".npmrc");
        return File.Exists(path) ? Parse(File.ReadAllText(path)) : new NpmConfig();
    }

    public static NpmConfig Parse(string text)
    {
        var config = new NpmConfig();
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.Trim();
            if (line.Length == 0 || line[0] is '#' or ';')
            {
                continue;
            }
            int equals = line.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }
            string key = line[..equals].Trim();
            string value = Expand(line[(equals + 1)..].Trim().Trim('"'));
            if (key == "registry")
            {
                config.Registry = WithSlash(value);
            }
            else if (key.StartsWith('@') && key.EndsWith(":registry", StringComparison.Ordinal))
            {
                config._scopeRegistries[key[..^":registry".Length]] = WithSlash(value);
            }
            else if (key.StartsWith("//", StringComparison.Ordinal) && key.EndsWith(":_authToken", StringComparison.Ordinal))
            {
                config._tokens[key[..^":_authToken".Length]] = value;
            }
        }
        return config;
    }

    /// <summary>The registry for <paramref name="packageName"/> (or a whole scope, <c>@acme/*</c>):
    /// its scope's, else the default.</summary>
    public string RegistryFor(string packageName)
    {
        if (packageName.StartsWith('@') && packageName.IndexOf('/', StringComparison.Ordinal) is > 1 and var slash
            && _scopeRegistries.TryGetValue(packageName[..slash], out string? scoped))
        {
            return scoped;
        }
        return Registry;
    }

    /// <summary>The token npm would send to <paramref name="url"/>: the one whose
    /// <c>//host[:port]/path/</c> key is the longest prefix of the URL without its scheme.</summary>
    public string? TokenFor(Uri url)
    {
        string port = url.IsDefaultPort ? "" : $":{url.Port}";
        string target = $"//{url.Host}{port}{url.AbsolutePath}";
        string? best = null;
        int bestLength = -1;
        foreach (var (prefix, token) in _tokens)
        {
            string withSlash = prefix.EndsWith('/') ? prefix : prefix + "/";
            if (target.StartsWith(withSlash, StringComparison.OrdinalIgnoreCase) && withSlash.Length > bestLength)
            {
                best = token;
                bestLength = withSlash.Length;
            }
        }
        return best;
    }

    private static string WithSlash(string url) => url.EndsWith('/') ? url : url + "/";

    private static string Expand(string value) =>
        EnvironmentReference().Replace(value, m => Environment.GetEnvironmentVariable(m.Groups[1].Value) ?? "");

    [GeneratedRegex(@"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")]
    private static partial Regex EnvironmentReference();
}
