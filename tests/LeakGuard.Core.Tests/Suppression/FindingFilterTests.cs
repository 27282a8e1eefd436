using System.Text;
using LeakGuard.Core.Findings;
using LeakGuard.Core.Reporting;
using LeakGuard.Core.Suppression;
using static LeakGuard.Core.Tests.Samples;

namespace LeakGuard.Core.Tests.Suppression;

public class FindingFilterTests
{
    private static readonly Finding Ignored = Finding(path: "test/fixtures.js");
    private static readonly Finding Known = Finding(path: "legacy/config.js");
    private static readonly Finding Fresh = Finding(path: "src/new.js");

    private static IgnoreFile IgnoreFileOf(params Finding[] findings) =>
        IgnoreFile.Parse(".leakguardignore", new StringReader(string.Join('\n', findings.Select(f => f.Fingerprint))));

    private static Baseline BaselineOf(params Finding[] findings) =>
        Baseline.Parse("baseline.json", new MemoryStream(Encoding.UTF8.GetBytes(Render(new JsonReportWriter(), Report(findings)))));

    [Fact]
    public void Removes_exactly_the_findings_in_the_ignore_file()
    {
        var filtered = new FindingFilter(IgnoreFileOf(Ignored), baseline: null).Apply(Result([Ignored, Known, Fresh]));

        Assert.Equal([Known, Fresh], filtered.Result.Findings);
        Assert.Equal(1, filtered.RemovedByIgnoreFile);
        Assert.Equal(0, filtered.RemovedByBaseline);
    }

    [Fact]
    public void Removes_exactly_the_findings_in_the_baseline()
    {
        var filtered = new FindingFilter(ignoreFile: null, BaselineOf(Known)).Apply(Result([Ignored, Known, Fresh]));

        Assert.Equal([Ignored, Fresh], filtered.Result.Findings);
        Assert.Equal(0, filtered.RemovedByIgnoreFile);
        Assert.Equal(1, filtered.RemovedByBaseline);
    }

    [Fact]
    public void Counts_what_each_mechanism_removed()
    {
        var filtered = new FindingFilter(IgnoreFileOf(Ignored), BaselineOf(Known)).Apply(Result([Ignored, Known, Fresh]));

        Assert.Equal([Fresh], filtered.Result.Findings);
        Assert.Equal(1, filtered.RemovedByIgnoreFile);
        Assert.Equal(1, filtered.RemovedByBaseline);
        Assert.Equal(2, filtered.Removed);
    }

    [Fact]
    public void A_finding_in_both_is_counted_once_against_the_ignore_file()
    {
        var filtered = new FindingFilter(IgnoreFileOf(Ignored), BaselineOf(Ignored)).Apply(Result([Ignored, Fresh]));

        Assert.Equal([Fresh], filtered.Result.Findings);
        Assert.Equal(1, filtered.RemovedByIgnoreFile);
        Assert.Equal(0, filtered.RemovedByBaseline);
    }

    [Fact]
    public void Every_finding_with_a_suppressed_fingerprint_is_removed()
    {
        var again = Ignored with { Location = Ignored.Location with { Line = 99, Commit = "feedbeef" } };

        var filtered = new FindingFilter(IgnoreFileOf(Ignored), baseline: null).Apply(Result([Ignored, again, Fresh]));

        Assert.Equal([Fresh], filtered.Result.Findings);
        Assert.Equal(2, filtered.RemovedByIgnoreFile);
    }

    [Fact]
    public void Without_ignore_file_or_baseline_every_finding_is_kept()
    {
        var filtered = new FindingFilter(ignoreFile: null, baseline: null).Apply(Result([Ignored, Known, Fresh]));

        Assert.Equal([Ignored, Known, Fresh], filtered.Result.Findings);
        Assert.Equal(0, filtered.Removed);
    }

    [Fact]
    public void Engine_warnings_and_stats_of_the_scan_are_kept()
    {
        var result = Result([Ignored, Fresh], [new ScanWarning("big.zip", "archive truncated")]);

        var filtered = new FindingFilter(IgnoreFileOf(Ignored), baseline: null).Apply(result);

        Assert.Equal(result.Engine, filtered.Result.Engine);
        Assert.Equal(result.Warnings, filtered.Result.Warnings);
        Assert.Same(result.Stats, filtered.Result.Stats);
    }
}
