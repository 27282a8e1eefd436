using LeakGuard.Core.Findings;
using LeakGuard.Service.Alerts;

namespace LeakGuard.Service.Tests.Alerts;

internal static class SampleAlerts
{
    public static readonly Alert NpmToken = new(
        Target: "npm:@acme/*",
        Finding: new Finding
        {
            RuleId = "github.pat",
            Kind = FindingKind.Secret,
            Severity = Severity.Critical,
            Title = "GitHub personal access token (classic)",
            Location = new Location { Path = "@acme/cli@2.1.0.tgz!package/dist/cli.js", Line = 3, Column = 17, Package = "@acme/cli", Version = "2.1.0" },
            Secret = "ghp_…G5iK",
            Fingerprint = "c8763015c2043d3cc85ff39f2231b281",
        },
        NewSince: "2.0.9",
        ReleaseChanges: ["@acme/cli 2.1.0 adds package/dist/cli.js.map (57.0 MiB, 1,944 embedded files); not in 2.0.9"]);

    public static readonly Alert GitKey = new(
        Target: "git:https://git.example.com/acme/api.git",
        Finding: new Finding
        {
            RuleId = "aws.access-key",
            Kind = FindingKind.Secret,
            Severity = Severity.High,
            Title = "AWS access key <id>",
            Location = new Location { Path = "deploy/env.sh", Line = 1, Column = 8, Commit = "9fceb02d0ae598e95dc970b74767f19372d61af8" },
            Secret = "AKIA…MPLE",
            Fingerprint = "0123456789abcdef0123456789abcdef",
        },
        Repository: "https://git.example.com/acme/api.git");

    /// <summary>The webhook body of <see cref="NpmToken"/>, as documented in docs/service.md.</summary>
    public const string NpmTokenJson =
        """{"event":"finding.new","target":"npm:@acme/*","finding":{"ruleId":"github.pat","kind":"secret","severity":"critical","confidence":"high","title":"GitHub personal access token (classic)","location":{"path":"@acme/cli@2.1.0.tgz!package/dist/cli.js","line":3,"column":17,"commit":null,"author":null,"date":null,"package":"@acme/cli","version":"2.1.0","repository":null},"secret":"ghp_\u2026G5iK","fingerprint":"c8763015c2043d3cc85ff39f2231b281","details":{},"newSince":"2.0.9","releaseChanges":["@acme/cli 2.1.0 adds package/dist/cli.js.map (57.0 MiB, 1,944 embedded files); not in 2.0.9"]}}""";
}
