using LeakGuard.Core.Findings;
using LeakGuard.Service.Alerts;

namespace LeakGuard.Service.Tests.Alerts;

internal static class SampleAlerts
{
    public static readonly Alert NpmToken = new(
        RuleId: "github.pat",
        Kind: FindingKind.Secret,
        Severity: Severity.Critical,
        Title: "GitHub personal access token (classic)",
        Target: "npm:@acme/*",
        Path: "@acme/cli@2.1.0.tgz!package/dist/cli.js",
        Secret: "ghp_…G5iK",
        Fingerprint: "c8763015c2043d3cc85ff39f2231b281",
        Package: "@acme/cli",
        Version: "2.1.0",
        NewSince: "2.0.9",
        ReleaseChanges: ["@acme/cli 2.1.0 adds package/dist/cli.js.map (57.0 MiB, 1,944 embedded files); not in 2.0.9"]);

    public static readonly Alert GitKey = new(
        RuleId: "aws.access-key",
        Kind: FindingKind.Secret,
        Severity: Severity.High,
        Title: "AWS access key <id>",
        Target: "git:https://git.example.com/acme/api.git",
        Path: "deploy/env.sh",
        Secret: "AKIA…MPLE",
        Fingerprint: "0123456789abcdef0123456789abcdef",
        Repository: "https://git.example.com/acme/api.git",
        Commit: "9fceb02d0ae598e95dc970b74767f19372d61af8");

    /// <summary>The webhook body of <see cref="NpmToken"/>, as documented in the README.</summary>
    public const string NpmTokenJson =
        """{"event":"finding.new","target":"npm:@acme/*","finding":{"ruleId":"github.pat","kind":"secret","severity":"critical","title":"GitHub personal access token (classic)","location":{"path":"@acme/cli@2.1.0.tgz!package/dist/cli.js","package":"@acme/cli","version":"2.1.0","repository":null,"commit":null},"secret":"ghp_\u2026G5iK","fingerprint":"c8763015c2043d3cc85ff39f2231b281","newSince":"2.0.9","releaseChanges":["@acme/cli 2.1.0 adds package/dist/cli.js.map (57.0 MiB, 1,944 embedded files); not in 2.0.9"]}}""";
}
