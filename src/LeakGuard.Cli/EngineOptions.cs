using System.CommandLine;
using LeakGuard.Core.Rules;
using LeakGuard.Matching;

namespace LeakGuard.Cli;

/// <summary>Options every matching command shares: which engine and which rules.</summary>
internal sealed class EngineOptions
{
    public Option<EngineKind> Engine { get; } = new("--engine")
    {
        Description = "Matching engine: auto (Hyperscan when libhs is present), hyperscan, managed",
        DefaultValueFactory = _ => EngineKind.Auto,
    };

    public Option<string[]> Rules { get; } = new("--rules")
    {
        Description = "Extra rule file or folder (repeatable)",
        AllowMultipleArgumentsPerToken = false,
    };

    public Option<bool> NoBuiltinRules { get; } = new("--no-builtin-rules")
    {
        Description = "Use only the rules given with --rules",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Engine);
        command.Options.Add(Rules);
        command.Options.Add(NoBuiltinRules);
    }

    public RuleSet LoadRules(ParseResult parsed)
    {
        var rules = new List<Rule>();
        try
        {
            if (!parsed.GetValue(NoBuiltinRules))
            {
                rules.AddRange(RuleLoader.LoadBuiltIn());
            }
            foreach (string path in parsed.GetValue(Rules) ?? [])
            {
                rules.AddRange(RuleLoader.LoadPath(path));
            }
            return new RuleSet(rules);
        }
        catch (RuleLoadException e)
        {
            throw new UsageException(e.Message);
        }
    }

    public IMatchEngine CreateEngine(ParseResult parsed, RuleSet rules)
    {
        try
        {
            return MatchEngineFactory.Create(parsed.GetValue(Engine), rules.Patterns, CacheDirectory(),
                note => Console.Error.WriteLine($"note: {note}"));
        }
        catch (InvalidOperationException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>$LEAKGUARD_CACHE, else $XDG_CACHE_HOME/leakguard, else ~/.cache/leakguard.</summary>
    public static string CacheDirectory()
    {
        if (Environment.GetEnvironmentVariable("LEAKGUARD_CACHE") is { Length: > 0 } explicitDir)
        {
            return explicitDir;
        }
        string xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME") is { Length: > 0 } x
            ? x
            : Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".cache");
        return Path.Join(xdg, "leakguard");
    }
}
