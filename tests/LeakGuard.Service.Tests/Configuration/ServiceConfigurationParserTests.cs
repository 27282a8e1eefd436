using System.Net;
using LeakGuard.Core.Findings;
using LeakGuard.Service.Configuration;

namespace LeakGuard.Service.Tests.Configuration;

public sealed class ServiceConfigurationParserTests
{
    private const string IssueExample = """
        store: sqlite:~/.leakguard/leakguard.db        # default; or a PostgreSQL connection string
        targets:
          - npm: "@acme/*"                             # a package, or a whole scope
            registry: https://registry.example.com
            every: 2m
          - nuget: Acme.Client
            every: 10m
          - git: https://git.example.com/acme/api.git
            every: 5m
          - github: acme
            every: 1h
        alerts:
          - webhook: https://hooks.example.com/leakguard
            secret-env: LEAKGUARD_WEBHOOK_SECRET
          - slack: https://hooks.slack.com/services/T000/B000/XXXX
          - file: /var/log/leakguard/alerts.jsonl
            min-severity: high
        api:
          listen: 127.0.0.1:8088
        """;

    [Fact]
    public void A_web_target_names_a_site_and_takes_an_interval()
    {
        var settings = Parse("targets:\n  - web: https://app.example.com/\n    every: 10m\n");

        Assert.Equal([new TargetSettings(TargetKind.Web, "https://app.example.com/", TimeSpan.FromMinutes(10), null, 2)], settings.Targets);
        Assert.Equal("web:https://app.example.com/", settings.Targets[0].DisplayName);
        // A feed means nothing to a site: ignored with a warning, like any unknown key.
        Assert.Contains(Parse("targets:\n  - web: https://app.example.com/\n    registry: https://r.example.com\n").Warnings,
            w => w.Contains("registry", StringComparison.Ordinal));
    }

    [Fact]
    public void A_web_target_may_declare_its_site_open_source()
    {
        var settings = Parse("targets:\n  - web: https://docs.example.org/\n    open-source: true\n  - web: https://app.example.com/\n");

        Assert.Equal([true, false], settings.Targets.Select(t => t.OpenSource));
        Assert.Equal(["leakguard.yaml:3: targets[0].open-source: expected true or false, not 'yes please'"],
            Problems("targets:\n  - web: https://docs.example.org/\n    open-source: yes please\n"));
        // Only a site has served code to declare: on a package target the key is unknown.
        Assert.Contains(Parse("targets:\n  - npm: left-pad\n    open-source: true\n").Warnings, w => w.Contains("open-source", StringComparison.Ordinal));
    }

    [Fact]
    public void Validation_is_off_unless_a_target_opts_in()
    {
        var settings = Parse("targets:\n  - npm: left-pad\n    validate: true\n  - git: https://git.example.com/a.git\n  - web: https://app.example.com/\n    validate: false\n");

        Assert.Equal([true, false, false], settings.Targets.Select(t => t.Validate));
        Assert.Equal(["leakguard.yaml:3: targets[0].validate: expected true or false, not 'always'"],
            Problems("targets:\n  - npm: left-pad\n    validate: always\n"));
    }

    [Fact]
    public void A_package_target_may_name_its_versions_and_one_it_cannot_watch_is_refused_naming_its_line()
    {
        var settings = Parse("targets:\n  - npm: \"left-pad@>=1.3.0\"\n  - npm: \"@acme/*@^2\"\n  - nuget: Newtonsoft.Json@latest\n  - npm: \"@acme/*\"\n");

        Assert.Equal([">=1.3.0", "^2", "latest", null], settings.Targets.Select(t => t.VersionSpec));
        Assert.Equal(["left-pad@>=1.3.0", "@acme/*@^2", "Newtonsoft.Json@latest", "@acme/*"], settings.Targets.Select(t => t.Name));
        Assert.Equal(["leakguard.yaml:3: targets[1].npm: '>=1.3.0 <<2' is neither a version, a semver range (>=1.3.0, ^2, 1.x), a dist-tag nor 'all'"],
            Problems("targets:\n  - npm: left-pad\n  - npm: \"left-pad@>=1.3.0 <<2\"\n"));
        Assert.Single(Problems("targets:\n  - npm: left-pad@\n"), p => p.StartsWith("leakguard.yaml:2: targets[0].npm: '' is empty", StringComparison.Ordinal));
    }

    [Fact]
    public void Backfill_is_all_unless_a_package_target_says_latest_or_none()
    {
        var settings = Parse("targets:\n  - npm: left-pad\n  - npm: \"@acme/*\"\n    backfill: none\n  - nuget: Acme.Client\n    backfill: latest\n");

        Assert.Equal([Backfill.All, Backfill.None, Backfill.Latest], settings.Targets.Select(t => t.Backfill));
        Assert.Equal(["leakguard.yaml:3: targets[0].backfill: expected all, latest or none, not 'some'"],
            Problems("targets:\n  - npm: left-pad\n    backfill: some\n"));
        // A git target has no versions to backfill: the key is unknown there (a warning, as every unknown key is).
        Assert.Contains(Parse("targets:\n  - git: https://git.example.com/a.git\n    backfill: none\n").Warnings,
            w => w.Contains("unknown key 'backfill'", StringComparison.Ordinal));
    }

    private static ServiceSettings Parse(string yaml, Func<string, string?>? environment = null) =>
        ServiceConfigurationParser.Parse(yaml, "leakguard.yaml", environment ?? (_ => null));

    private static IReadOnlyList<string> Problems(string yaml) =>
        Assert.Throws<ServiceConfigurationException>(() => Parse(yaml)).Problems;

    [Fact]
    public void The_issue_example_parses_into_typed_settings()
    {
        var settings = Parse(IssueExample, name => name == "LEAKGUARD_WEBHOOK_SECRET" ? "s3cret" : null);

        Assert.Equal("sqlite:~/.leakguard/leakguard.db", settings.Store);
        Assert.Equal(
            [
                new TargetSettings(TargetKind.Npm, "@acme/*", TimeSpan.FromMinutes(2), new Uri("https://registry.example.com"), 3),
                new TargetSettings(TargetKind.NuGet, "Acme.Client", TimeSpan.FromMinutes(10), null, 6),
                new TargetSettings(TargetKind.Git, "https://git.example.com/acme/api.git", TimeSpan.FromMinutes(5), null, 8),
                new TargetSettings(TargetKind.GitHub, "acme", TimeSpan.FromHours(1), null, 10),
            ],
            settings.Targets);
        Assert.Equal(
            [
                new AlertSettings(AlertChannelKind.Webhook, "https://hooks.example.com/leakguard", Severity.Info, "s3cret", 13),
                new AlertSettings(AlertChannelKind.Slack, "https://hooks.slack.com/services/T000/B000/XXXX", Severity.Info, null, 15),
                new AlertSettings(AlertChannelKind.File, "/var/log/leakguard/alerts.jsonl", Severity.High, null, 16),
            ],
            settings.Alerts);
        Assert.Equal(new IPEndPoint(IPAddress.Loopback, 8088), settings.Api.Listen);
    }

    [Fact]
    public void Omitted_settings_take_their_defaults()
    {
        var settings = Parse("""
            targets:
              - nuget: Acme.Client
            """);

        Assert.Equal(ServiceSettings.DefaultStore, settings.Store);
        Assert.Equal(TargetSettings.DefaultEvery, Assert.Single(settings.Targets).Every);
        Assert.Empty(settings.Alerts);
        Assert.Equal(ApiSettings.DefaultListen, settings.Api.Listen);
    }

    [Fact]
    public void A_nuget_target_accepts_a_source_feed()
    {
        var settings = Parse("""
            targets:
              - nuget: Acme.Client
                source: https://my.feed/v3/index.json
            """);

        Assert.Equal(new Uri("https://my.feed/v3/index.json"), Assert.Single(settings.Targets).Feed);
    }

    [Fact]
    public void A_github_target_accepts_an_api_root_but_no_timeout()
    {
        var settings = Parse("""
            targets:
              - github: acme
                api-url: https://ghe.example.com/api/v3/
                timeout: 5s
            """);

        Assert.Equal(new Uri("https://ghe.example.com/api/v3/"), Assert.Single(settings.Targets).Feed);
        Assert.Equal(["leakguard.yaml:4: targets[0]: unknown key 'timeout' (known: github, every, validate, revalidate, api-url)"], settings.Warnings);
    }

    [Fact]
    public void An_unknown_top_level_key_is_a_warning_naming_its_line_and_key()
    {
        var settings = Parse("""
            targets:
              - npm: left-pad
            alert:
              - file: /tmp/a.jsonl
            """);

        Assert.Equal(["leakguard.yaml:3: unknown key 'alert' (known: store, targets, alerts, api, cluster)"], settings.Warnings);
        Assert.Empty(settings.Alerts);
    }

    [Fact]
    public void An_unknown_key_in_a_target_is_a_warning_and_the_target_is_still_watched()
    {
        var settings = Parse("""
            targets:
              - npm: left-pad
                evry: 2m
            """);

        Assert.Equal(["leakguard.yaml:3: targets[0]: unknown key 'evry' (known: npm, every, validate, revalidate, registry, timeout, backfill)"], settings.Warnings);
        var target = Assert.Single(settings.Targets);
        Assert.Equal("left-pad", target.Name);
        Assert.Equal(TargetSettings.DefaultEvery, target.Every);
    }

    [Fact]
    public void A_feed_key_of_another_kind_is_unknown()
    {
        var settings = Parse("""
            targets:
              - git: https://git.example.com/a.git
                registry: https://registry.example.com
                timeout: 10s
            """);

        Assert.Equal(
            [
                "leakguard.yaml:3: targets[0]: unknown key 'registry' (known: git, every, validate, revalidate)",
                "leakguard.yaml:4: targets[0]: unknown key 'timeout' (known: git, every, validate, revalidate)",
            ],
            settings.Warnings);
        Assert.Null(Assert.Single(settings.Targets).Feed);
    }

    [Fact]
    public void A_bad_value_is_still_an_error_and_the_unknown_keys_come_with_it()
    {
        var error = Assert.Throws<ServiceConfigurationException>(() => Parse("""
            targets:
              - npm: left-pad
                evry: 2m
                every: 2x
            """));

        Assert.Equal(["leakguard.yaml:4: targets[0].every: '2x' is not an interval such as 30s, 2m, 1h or 1d (at most 7d)"], error.Problems);
        Assert.Equal(["leakguard.yaml:3: targets[0]: unknown key 'evry' (known: npm, every, validate, revalidate, registry, timeout, backfill)"], error.Warnings);
    }

    [Fact]
    public void A_clean_file_has_no_warnings()
    {
        Assert.Empty(Parse(IssueExample, _ => "s3cret").Warnings);
    }

    [Theory]
    [InlineData("2x")]
    [InlineData("0m")]
    [InlineData("-1m")]
    [InlineData("2 m")]
    [InlineData("8d")]
    [InlineData("999999999d")]
    public void A_bad_interval_names_its_line_and_key(string every)
    {
        var problems = Problems($"""
            targets:
              - npm: left-pad
                every: {every}
            """);

        Assert.Equal([$"leakguard.yaml:3: targets[0].every: '{every}' is not an interval such as 30s, 2m, 1h or 1d (at most 7d)"], problems);
    }

    [Theory]
    [InlineData("30s", 30)]
    [InlineData("7d", 7 * 24 * 3600)]
    public void Intervals_take_seconds_minutes_hours_and_days(string every, int seconds)
    {
        var settings = Parse($"""
            targets:
              - npm: left-pad
                every: {every}
            """);

        Assert.Equal(TimeSpan.FromSeconds(seconds), Assert.Single(settings.Targets).Every);
    }

    [Fact]
    public void A_package_target_takes_a_timeout_per_attempt()
    {
        var settings = Parse("""
            targets:
              - npm: left-pad
                timeout: 20s
              - nuget: Acme.Client
                timeout: 2m
              - npm: right-pad
            """);

        Assert.Equal(
            [TimeSpan.FromSeconds(20), TimeSpan.FromMinutes(2), TargetSettings.DefaultTimeout],
            settings.Targets.Select(t => t.Timeout));
    }

    [Theory]
    [InlineData("2x")]
    [InlineData("0s")]
    [InlineData("25h")]
    public void A_bad_target_timeout_names_its_line_and_key(string timeout)
    {
        var problems = Problems($"""
            targets:
              - nuget: Acme.Client
                timeout: {timeout}
            """);

        Assert.Equal([$"leakguard.yaml:3: targets[0].timeout: '{timeout}' is not an interval such as 30s, 2m or 1h (at most 1d)"], problems);
    }

    [Fact]
    public void An_unknown_severity_names_its_line_and_key()
    {
        var problems = Problems("""
            targets:
              - npm: left-pad
            alerts:
              - file: /tmp/alerts.jsonl
                min-severity: severe
            """);

        Assert.Equal(["leakguard.yaml:5: alerts[0].min-severity: unknown severity 'severe' (critical, high, medium, low or info)"], problems);
    }

    [Theory]
    [InlineData("localhost:8088")]
    [InlineData("127.0.0.1")]
    [InlineData("127.0.0.1:99999")]
    [InlineData("::1")]
    [InlineData("everywhere")]
    public void A_listen_address_that_does_not_parse_names_its_line(string listen)
    {
        var problems = Problems($"""
            targets:
              - npm: left-pad
            api:
              listen: {listen}
            """);

        Assert.Equal([$"leakguard.yaml:4: api.listen: '{listen}' is not an address and port such as 127.0.0.1:8088 or [::1]:8088"], problems);
    }

    [Fact]
    public void The_cluster_section_sets_where_the_silo_listens_and_how_many_scans_it_runs()
    {
        var settings = Parse("""
            targets:
              - npm: left-pad
            cluster:
              listen: 10.0.0.5:11111
              jobs: 3
            """);

        Assert.Equal(new ClusterSettings(new IPEndPoint(IPAddress.Parse("10.0.0.5"), 11111), 3), settings.Cluster);
        Assert.Equal(new ClusterSettings(null, null), Parse("targets:\n  - npm: left-pad\n").Cluster);
    }

    [Fact]
    public void A_cluster_section_that_cannot_be_used_names_each_line()
    {
        var problems = Problems("""
            targets:
              - npm: left-pad
            cluster:
              listen: 10.0.0.5
              jobs: 0
            """);

        Assert.Equal([
            "leakguard.yaml:4: cluster.listen: '10.0.0.5' is not an address and port such as 127.0.0.1:11111 or [::1]:11111",
            "leakguard.yaml:5: cluster.jobs: '0' is not a number of scans from 1 to 64",
        ], problems);
    }

    [Fact]
    public void An_ipv6_listen_address_with_a_port_parses()
    {
        var settings = Parse("""
            targets:
              - npm: left-pad
            api:
              listen: "[::1]:9000"
            """);

        Assert.Equal(new IPEndPoint(IPAddress.IPv6Loopback, 9000), settings.Api.Listen);
    }

    [Fact]
    public void A_target_without_a_kind_names_its_line()
    {
        var problems = Problems("""
            targets:
              - npm: left-pad
              - every: 2m
                registry: https://registry.example.com
            """);

        Assert.Equal(["leakguard.yaml:3: targets[1]: target without a kind: name one of npm, nuget, git, github or web"], problems);
    }

    [Fact]
    public void A_target_with_two_kinds_is_refused()
    {
        var problems = Problems("""
            targets:
              - npm: left-pad
                git: https://git.example.com/a.git
            """);

        Assert.Equal(["leakguard.yaml:3: targets[0]: a target has one kind, not both 'npm' and 'git'"], problems);
    }

    [Fact]
    public void A_webhook_url_must_be_http()
    {
        var problems = Problems("""
            targets:
              - npm: left-pad
            alerts:
              - webhook: ftp://hooks.example.com/x
            """);

        Assert.Equal(["leakguard.yaml:4: alerts[0].webhook: 'ftp://hooks.example.com/x' is not an http or https URL"], problems);
    }

    [Fact]
    public void A_missing_signing_secret_names_the_variable_but_no_value()
    {
        var problems = Problems("""
            targets:
              - npm: left-pad
            alerts:
              - webhook: https://hooks.example.com/x
                secret-env: HOOK_SECRET
            """);

        Assert.Equal(["leakguard.yaml:5: alerts[0].secret-env: environment variable HOOK_SECRET is not set"], problems);
    }

    [Fact]
    public void Webhook_and_slack_take_a_timeout_per_attempt_and_default_to_none()
    {
        var settings = Parse("""
            targets:
              - npm: left-pad
            alerts:
              - webhook: https://hooks.example.com/x
                timeout: 2s
              - slack: https://hooks.slack.com/services/T000/B000/XXXX
                timeout: 1m
              - webhook: https://hooks.example.com/y
            """);

        Assert.Equal([TimeSpan.FromSeconds(2), TimeSpan.FromMinutes(1), null], settings.Alerts.Select(a => a.Timeout));
    }

    [Theory]
    [InlineData("2x")]
    [InlineData("0s")]
    [InlineData("15")]
    [InlineData("6m")]
    [InlineData("1d")]
    public void A_bad_alert_timeout_names_its_line_and_key(string timeout)
    {
        var problems = Problems($"""
            targets:
              - npm: left-pad
            alerts:
              - slack: https://hooks.slack.com/services/T000/B000/XXXX
                min-severity: high
                timeout: {timeout}
            """);

        Assert.Equal([$"leakguard.yaml:6: alerts[0].timeout: '{timeout}' is not an interval such as 5s, 30s or 2m (at most 5m)"], problems);
    }

    [Fact]
    public void A_file_channel_has_no_timeout()
    {
        var warnings = Parse("""
            targets:
              - npm: left-pad
            alerts:
              - file: /tmp/alerts.jsonl
                timeout: 5s
            """).Warnings;

        Assert.Equal(["leakguard.yaml:5: alerts[0]: unknown key 'timeout' (known: file, min-severity)"], warnings);
    }

    [Fact]
    public void An_unknown_webhook_key_lists_timeout_among_the_known()
    {
        var warnings = Parse("""
            targets:
              - npm: left-pad
            alerts:
              - webhook: https://hooks.example.com/x
                timout: 5s
            """).Warnings;

        Assert.Equal(["leakguard.yaml:5: alerts[0]: unknown key 'timout' (known: webhook, min-severity, secret-env, timeout)"], warnings);
    }

    [Fact]
    public void Every_problem_is_reported_at_once()
    {
        var problems = Problems("""
            targets:
              - npm: left-pad
                every: 2x
              - registry: https://registry.example.com
            alerts:
              - slack: https://hooks.slack.com/x
                min-severity: urgent
                timeout: 10m
            api:
              listen: nowhere
            """);

        Assert.Equal([3, 4, 7, 8, 10], problems.Select(p => int.Parse(p.Split(':')[1])));
    }

    [Fact]
    public void A_file_without_targets_is_refused()
    {
        var problems = Problems("""
            api:
              listen: 127.0.0.1:8088
            """);

        Assert.Equal(["leakguard.yaml:1: 'targets' lists nothing to watch"], problems);
    }

    [Fact]
    public void Invalid_yaml_names_its_line()
    {
        var problem = Assert.Single(Problems("""
            targets:
              - npm: left-pad
                every: [2m
            """));

        Assert.StartsWith("leakguard.yaml:", problem);
        Assert.Contains("not valid YAML", problem);
    }
}

public sealed class ServiceConfigurationParserEdgeTests
{
    private static IReadOnlyList<string> Problems(string yaml) =>
        Assert.Throws<ServiceConfigurationException>(() => ServiceConfigurationParser.Parse(yaml, "leakguard.yaml", _ => null)).Problems;

    [Fact]
    public void A_repeated_key_names_its_line()
    {
        var problem = Assert.Single(Problems("""
            targets:
              - npm: left-pad
                every: 2m
                every: 5m
            """));

        Assert.StartsWith("leakguard.yaml:4: ", problem);
    }

    [Fact]
    public void An_empty_store_is_refused()
    {
        var problems = Problems("""
            store:
            targets:
              - npm: left-pad
            """);

        Assert.Equal(["leakguard.yaml:1: store: names no store (sqlite:PATH or a PostgreSQL connection string)"], problems);
    }

    /// <summary>YamlDotNet builds nodes recursively: this overflowed the stack, which no catch survives.</summary>
    [Fact]
    public void Nesting_deeper_than_any_configuration_is_a_problem_not_a_stack_overflow()
    {
        var problems = Problems("targets: " + new string('[', 100_000) + new string(']', 100_000) + "\n");

        Assert.Equal(["leakguard.yaml:1: not valid YAML: nested deeper than 64 levels"], problems);
    }
}
