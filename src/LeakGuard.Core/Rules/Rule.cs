using System.Text.RegularExpressions;
using LeakGuard.Core.Findings;

namespace LeakGuard.Core.Rules;

/// <summary>One detection rule, as written in rules/*.yaml (see rules/README.md).</summary>
public sealed class Rule
{
    public required string Id { get; init; }
    public required string Name { get; init; }
    public required FindingKind Kind { get; init; }
    public required Severity Severity { get; init; }

    /// <summary>How likely a match is real: high for a distinctive format (a prefix, a checksum);
    /// the starting point for <see cref="JudgedByContext"/> rules.</summary>
    public Confidence Confidence { get; init; } = Confidence.High;

    /// <summary>A generic assignment rule (<c>password = "…"</c>): each match earns its confidence
    /// from the file kind, the key and the value's shape, and code or placeholders are dropped
    /// (<see cref="Precision.AssignmentJudge"/>).</summary>
    public bool JudgedByContext { get; init; }

    /// <summary>A configuration rule (<c>context: configuration</c>): judged like an assignment
    /// rule, but it fires only in a credential context (a configuration file, or a configuration
    /// statement such as a shell <c>export</c> or a PHP <c>define</c>), where a literal value under
    /// a secret-naming key is the leak whatever its strength (<see cref="Precision.CredentialContext"/>).</summary>
    public bool ConfigurationOnly { get; init; }

    /// <summary>Words that group rules (<c>generic</c>, <c>cloud</c>…), for configuration files.</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Tagged <c>generic</c>: matches any value after a keyword, so a rule that knows a
    /// provider's token format is more specific when both match one secret.</summary>
    public bool IsGeneric => Tags.Contains("generic");

    /// <summary>Content pattern in the shared dialect; null for a path rule.</summary>
    public string? Pattern { get; init; }

    public IReadOnlyList<string> Keywords { get; init; } = [];

    /// <summary>The credential-file parser that reads the files <see cref="Path"/> names
    /// (<see cref="CredentialFiles.CredentialFileParsers"/>); null for pattern and path rules.</summary>
    public string? Parser { get; init; }

    /// <summary>Minimum Shannon entropy (bits per byte) of the secret.</summary>
    public double? Entropy { get; init; }

    /// <summary>The checksum the provider builds into its tokens, when it documents one: a match
    /// whose checksum holds is high confidence, and each match says whether it holds
    /// (<c>details.checksum</c>).</summary>
    public TokenChecksum? Checksum { get; init; }

    /// <summary>.NET regex on the member path ('/' separators).</summary>
    public Regex? Path { get; init; }

    public IReadOnlyList<string> Examples { get; init; } = [];
    public IReadOnlyList<string> NegativeExamples { get; init; } = [];
    public IReadOnlyList<string> References { get; init; } = [];

    /// <summary>An imported gitleaks rule's allowlists (its own and the file's global ones): a match
    /// any of them allows is not reported. Empty for LeakGuard's own rules.</summary>
    public IReadOnlyList<Import.ImportedAllowlist> Allowlists { get; init; } = [];

    private Lazy<ValidatorSpec>? _validator;

    /// <summary>How <c>--validate</c> asks the provider whether a found secret works; null when it cannot.</summary>
    /// <exception cref="RuleLoadException">A built-in rule's <c>validate:</c> block is wrong (see <see cref="MakeValidator"/>).</exception>
    public ValidatorSpec? Validator
    {
        get => _validator?.Value;
        init
        {
            if (value is not null)
            {
                _validator = new(value);
            }
        }
    }

    /// <summary>Makes <see cref="Validator"/> when it is first asked for: a built-in rule's block was
    /// checked by `rules check` and the tests, and checking its URLs on every load cost start-up
    /// ~8 ms (the first use of <see cref="Uri"/>) for what only <c>--validate</c> reads.</summary>
    public Func<ValidatorSpec>? MakeValidator
    {
        init
        {
            if (value is not null)
            {
                _validator = new(value);
            }
        }
    }

    /// <summary>Where the rule was read from, for messages.</summary>
    public string Source { get; init; } = "";

    /// <summary>Shipped in rules/*.yaml: its pattern is known to compile in .NET (every built-in rule's
    /// examples run through its regex in `rules check` and the tests), so loading it need not prove
    /// that again.</summary>
    public bool BuiltIn { get; init; }

    public bool IsPathOnly => Pattern is null && Parser is null;

    /// <summary>The same rule firing on any path: what its content examples are checked with.</summary>
    public Rule WithoutPathCondition() => Copy(Severity, path: null);

    /// <summary>The same rule firing only on paths <paramref name="path"/> matches.</summary>
    public Rule WithPathCondition(Regex path) => Copy(Severity, path);

    /// <summary>The same rule at another severity (a configuration file's override).</summary>
    public Rule WithSeverity(Severity severity) => Copy(severity, Path);

    private Rule Copy(Severity severity, Regex? path) => new()
    {
        Id = Id,
        Name = Name,
        Kind = Kind,
        Severity = severity,
        Confidence = Confidence,
        JudgedByContext = JudgedByContext,
        ConfigurationOnly = ConfigurationOnly,
        Tags = Tags,
        Pattern = Pattern,
        Keywords = Keywords,
        Parser = Parser,
        Entropy = Entropy,
        Checksum = Checksum,
        Path = path,
        Examples = Examples,
        NegativeExamples = NegativeExamples,
        References = References,
        Allowlists = Allowlists,
        _validator = _validator,
        Source = Source,
    };
}
