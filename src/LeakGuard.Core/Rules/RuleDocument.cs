namespace LeakGuard.Core.Rules;

/// <summary>One rule as its YAML file spells it, before <see cref="RuleLoader"/> checks it.</summary>
internal sealed class RuleDocument
{
    public string? Id { get; set; }
    public string? Name { get; set; }
    public string? Kind { get; set; }
    public string? Severity { get; set; }
    public string? Confidence { get; set; }
    public string? Context { get; set; }
    public List<string>? Tags { get; set; }
    public string? Pattern { get; set; }
    public List<string>? Keywords { get; set; }
    public string? Parser { get; set; }
    public double? Entropy { get; set; }
    public string? Checksum { get; set; }
    public string? Path { get; set; }
    public string? Description { get; set; }
    public List<string>? Examples { get; set; }
    public List<string>? NegativeExamples { get; set; }
    public List<string>? References { get; set; }
    public ValidateDocument? Validate { get; set; }

    // Read from the binary rule cache instead of the three lists above, and decoded when first
    // read: only `rules check` and conformance read them, and they are half the cache's bytes.
    internal IReadOnlyList<string>? CachedExamples { get; set; }
    internal IReadOnlyList<string>? CachedNegativeExamples { get; set; }
    internal IReadOnlyList<string>? CachedReferences { get; set; }
}

/// <summary>The rules of one file, named as messages name it.</summary>
internal sealed record RuleDocumentFile(string Source, List<RuleDocument> Rules);
