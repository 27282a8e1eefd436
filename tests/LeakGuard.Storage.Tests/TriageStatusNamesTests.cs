namespace LeakGuard.Storage.Tests;

public sealed class TriageStatusNamesTests
{
    [Theory]
    [InlineData("open", TriageStatus.Open)]
    [InlineData("acknowledged", TriageStatus.Acknowledged)]
    [InlineData("false-positive", TriageStatus.FalsePositive)]
    [InlineData("resolved", TriageStatus.Resolved)]
    public void Triage_status_names_round_trip(string name, TriageStatus status)
    {
        Assert.True(TriageStatusNames.TryParse(name, out var parsed));
        Assert.Equal(status, parsed);
        Assert.Equal(name, TriageStatusNames.ToName(status));
    }

    [Theory]
    [InlineData("Open")]
    [InlineData("closed")]
    [InlineData("FalsePositive")]
    [InlineData("")]
    [InlineData(null)]
    public void Unknown_triage_status_names_are_rejected(string? name) => Assert.False(TriageStatusNames.TryParse(name, out _));
}
