namespace LeakGuard.Storage;

/// <summary>What a person decided about a stored finding.</summary>
public enum TriageStatus
{
    Open,
    Acknowledged,
    FalsePositive,
    Resolved,
}

/// <summary>The spelling of each <see cref="TriageStatus"/> in the database and the HTTP API.</summary>
public static class TriageStatusNames
{
    public static string ToName(TriageStatus status) => status switch
    {
        TriageStatus.Open => "open",
        TriageStatus.Acknowledged => "acknowledged",
        TriageStatus.FalsePositive => "false-positive",
        TriageStatus.Resolved => "resolved",
        _ => throw new ArgumentOutOfRangeException(nameof(status), status, "not a triage status"),
    };

    /// <summary>Exact, lower-case names only: the API rejects anything else with 400.</summary>
    public static bool TryParse(string? name, out TriageStatus status)
    {
        (var known, status) = name switch
        {
            "open" => (true, TriageStatus.Open),
            "acknowledged" => (true, TriageStatus.Acknowledged),
            "false-positive" => (true, TriageStatus.FalsePositive),
            "resolved" => (true, TriageStatus.Resolved),
            _ => (false, TriageStatus.Open),
        };
        return known;
    }
}
