using LeakGuard.Core.Findings;
using LeakGuard.Core.Reporting;
using LeakGuard.Core.Scanning;
using static LeakGuard.Core.Tests.Samples;

namespace LeakGuard.Core.Tests.Reporting;

public class TextReportWriterTests
{
    private const char Escape = '\u001b';

    private static string[] Lines(ScanReport report, bool color = false) =>
        Render(new TextReportWriter(color), report).TrimEnd('\n').Split('\n');

    [Fact]
    public void Findings_are_grouped_under_a_heading_for_their_path()
    {
        var report = Report([
            Finding(path: "a.env", line: 1),
            Finding(path: "a.env", line: 2),
            Finding(path: "b/config.js", line: 5),
        ]);

        var lines = Lines(report);

        int a = Array.IndexOf(lines, "a.env");
        int b = Array.IndexOf(lines, "b/config.js");
        Assert.True(a >= 0 && b > a, string.Join('\n', lines));
        Assert.Contains(" 1:9 ", lines[a + 1], StringComparison.Ordinal);
        Assert.Contains(" 2:9 ", lines[a + 2], StringComparison.Ordinal);
        Assert.Contains(" 5:9 ", lines[b + 1], StringComparison.Ordinal);
        Assert.Single(lines, line => line == "a.env");
    }

    [Fact]
    public void Finding_line_gives_severity_rule_title_position_and_redacted_secret()
    {
        var lines = Lines(Report([Finding(line: 14, column: 3)]));

        Assert.Equal($"  critical  github.classic-pat  {GitHubTokenTitle}  14:3  ghp_…G5iK", lines[1]);
    }

    [Fact]
    public void Finding_line_says_a_confidence_below_high()
    {
        var lines = Lines(Report([Finding(line: 14, column: 3) with { Confidence = Confidence.Medium }]));

        Assert.Equal($"  critical  github.classic-pat  {GitHubTokenTitle}  14:3  ghp_…G5iK  (medium confidence)", lines[1]);
    }

    [Fact]
    public void Finding_line_ends_with_the_decoded_detail()
    {
        var finding = Finding(details: new Dictionary<string, object?> { ["decoded"] = "base64" });

        var lines = Lines(Report([finding]));

        Assert.EndsWith("ghp_…G5iK  decoded=base64", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Finding_line_names_the_commit_author_and_date_a_git_finding_came_from()
    {
        var finding = Finding(line: 1, column: 7) with
        {
            Location = new Location
            {
                Path = "config.env", Line = 1, Column = 7,
                Commit = "0123456789abcdef0123456789abcdef01234567",
                Author = "Grace Hopper <grace@example.com>",
                Date = new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.Zero),
            },
        };

        var lines = Lines(Report([finding]));

        Assert.EndsWith("ghp_…G5iK  commit=0123456789ab  author=Grace Hopper <grace@example.com>  date=2024-05-06", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Finding_line_leaves_out_the_position_when_the_line_is_unknown()
    {
        var finding = Finding(line: null, column: null, secret: null, severity: Severity.Medium, title: "Source map ships sourcesContent");

        var lines = Lines(Report([finding]));

        Assert.Equal("  medium    github.classic-pat  Source map ships sourcesContent", lines[1]);
    }

    [Fact]
    public void Warnings_follow_the_findings_and_precede_the_summary()
    {
        var report = Report([Finding()], warnings: [new ScanWarning("big.zip", "archive truncated")]);

        var lines = Lines(report);

        int heading = Array.IndexOf(lines, "warnings:");
        Assert.True(heading > 1, string.Join('\n', lines));
        Assert.Equal("  big.zip: archive truncated", lines[heading + 1]);
        Assert.Equal(lines.Length - 1, heading + 3);
    }

    [Fact]
    public void Summary_counts_findings_by_severity_most_severe_first()
    {
        var report = Report([
            Finding(path: "a", severity: Severity.Medium),
            Finding(path: "b", severity: Severity.Critical),
            Finding(path: "c", severity: Severity.Medium),
        ]);

        Assert.Equal("3 findings (1 critical, 2 medium) in 12 blobs, 1.2 MiB, 0.05 s, engine hyperscan", Lines(report)[^1]);
    }

    [Fact]
    public void Summary_says_no_findings_when_there_are_none()
    {
        Assert.Equal("no findings in 12 blobs, 1.2 MiB, 0.05 s, engine hyperscan", Assert.Single(Lines(Report([]))));
    }

    [Fact]
    public void Summary_speaks_of_one_finding_and_one_blob_in_the_singular()
    {
        var stats = new ScanStats { Seconds = 1.5 };
        stats.CountBlob(512);
        var result = new ScanResult("managed", [Finding(severity: Severity.Low)], [], stats);

        Assert.Equal("1 finding (1 low) in 1 blob, 512 B, 1.50 s, engine managed", Lines(Report(result))[^1]);
    }

    [Fact]
    public void Without_colour_the_report_has_no_escape_characters()
    {
        var report = Report([Finding(severity: Severity.Critical), Finding(path: "b", severity: Severity.Info)]);

        Assert.DoesNotContain(Escape, Render(new TextReportWriter(color: false), report));
    }

    [Fact]
    public void With_colour_the_path_is_bold()
    {
        var lines = Lines(Report([Finding(path: "a.env")]), color: true);

        Assert.Equal($"{Escape}[1ma.env{Escape}[0m", lines[0]);
    }

    [Fact]
    public void With_colour_the_severity_is_coloured()
    {
        var lines = Lines(Report([Finding(severity: Severity.Critical)]), color: true);

        Assert.StartsWith($"  {Escape}[1;31mcritical{Escape}[0m  github.classic-pat", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void Escape_sequences_in_scanned_paths_are_printed_as_text()
    {
        var report = Report([Finding(path: "evil\u001b[2Jname.js", secret: "ab\u001b]0;x…yz")]);

        string text = Render(new TextReportWriter(color: false), report);

        Assert.DoesNotContain(Escape, text);
        Assert.Contains(@"evil\u001b[2Jname.js", text, StringComparison.Ordinal);
    }
}
