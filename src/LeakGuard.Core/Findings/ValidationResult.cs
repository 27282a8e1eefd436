namespace LeakGuard.Core.Findings;

/// <summary>What the provider said when a found credential was shown to it (<c>scan --validate</c>).</summary>
public enum ValidationStatus
{
    /// <summary>The provider accepted it: the credential works.</summary>
    Live,

    /// <summary>The provider refused it: revoked, expired or never real.</summary>
    Invalid,

    /// <summary>No clear answer (rate-limited, an answer of another shape): nothing is concluded.</summary>
    Unknown,

    /// <summary>The provider could not be asked (timeout, connection refused, 5xx).</summary>
    Error,
}

/// <summary>A finding's validation: the answer, when it was asked, and whose credential it is as far
/// as the provider says (login, account id, ARN, team) with its scopes when the provider lists them.</summary>
public sealed record ValidationResult
{
    public required ValidationStatus Status { get; init; }

    public required DateTimeOffset CheckedAt { get; init; }

    /// <summary>Named facts about the credential's owner, in the validator's order.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Identity { get; init; } = [];

    /// <summary>Scopes or permissions, when the provider says; empty otherwise.</summary>
    public IReadOnlyList<string> Scopes { get; init; } = [];

    /// <summary>Why the status is what it is (the HTTP status, a timeout), for people.</summary>
    public string? Message { get; init; }

    /// <summary>One line for people: <c>live login=octocat scopes=repo,gist</c>.</summary>
    public string Describe()
    {
        var parts = new List<string> { Status.Name() };
        parts.AddRange(Identity.Select(fact => $"{fact.Key}={fact.Value}"));
        if (Scopes.Count > 0)
        {
            parts.Add($"scopes={string.Join(',', Scopes)}");
        }
        if (Status != ValidationStatus.Live && Message is not null)
        {
            parts.Add($"({Message})");
        }
        return string.Join(' ', parts);
    }
}

public static class ValidationStatusNames
{
    public static string Name(this ValidationStatus status) => status.ToString().ToLowerInvariant();
}
