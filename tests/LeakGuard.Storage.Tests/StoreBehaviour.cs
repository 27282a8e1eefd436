using LeakGuard.Core.Findings;
using LeakGuard.Storage.Relational;

namespace LeakGuard.Storage.Tests;

/// <summary>What every store does, whichever database is behind it. Each subclass runs all of
/// it against a real database; each test starts from a fresh, empty one.</summary>
public abstract class StoreBehaviour : IAsyncLifetime
{
    private const string Package = "npm:@acme/cli";
    private const string Repository = "git:https://git.example.com/acme/api.git";
    private const string Scope = "npm:@acme/*";

    private static readonly AlertChannel Webhook = new("webhook", Severity.Info);
    private static readonly AlertChannel PagerForHigh = new("file", Severity.High);

    private readonly List<ILeakGuardStore> _opened = [];

    private ManualTimeProvider Clock { get; } = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));
    private string _storeString = "";

    /// <summary>The store string of a new, empty database.</summary>
    protected abstract string NewStoreString();

    public Task InitializeAsync()
    {
        _storeString = NewStoreString();
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        foreach (var store in _opened)
        {
            await store.DisposeAsync();
        }
    }

    private async Task<ILeakGuardStore> OpenAsync()
    {
        var store = await StoreFactory.OpenAsync(_storeString, Clock);
        lock (_opened)
        {
            _opened.Add(store);
        }
        return store;
    }

    private static Finding AFinding(string fingerprint, Severity severity = Severity.Critical, string version = "2.1.0") => new()
    {
        RuleId = "github.pat",
        Kind = FindingKind.Secret,
        Severity = severity,
        Title = "GitHub personal access token (classic)",
        Location = new Location
        {
            Path = $"@acme/cli@{version}.tgz!package/dist/cli.js",
            Line = 2,
            Column = 11,
            Package = "@acme/cli",
            Version = version,
        },
        Secret = "ghp_…G5iK",
        Fingerprint = fingerprint,
    };

    [Fact]
    public async Task A_fresh_database_is_migrated_to_the_latest_schema_on_first_open()
    {
        var store = await OpenAsync();

        Assert.Equal(10, await store.GetSchemaVersionAsync());
        Assert.Empty(await store.QueryFindingsAsync(new FindingQuery()));
    }

    [Fact]
    public async Task Reopening_a_migrated_database_keeps_its_schema_and_data()
    {
        var first = await OpenAsync();
        await first.RecordScanAsync(Package, [AFinding("fp-1")], []);
        await first.DisposeAsync();
        _opened.Remove(first);

        var second = await OpenAsync();

        Assert.Equal(10, await second.GetSchemaVersionAsync());
        Assert.Single(await second.QueryFindingsAsync(new FindingQuery()));
    }

    [Fact]
    public async Task Two_stores_opening_a_fresh_database_at_once_both_succeed()
    {
        // In one process, but each store migrates on its own connection, which is all the
        // database's locks see; a second process would meet the same locks.
        var stores = await Task.WhenAll(Task.Run(OpenAsync), Task.Run(OpenAsync));

        Assert.All(await Task.WhenAll(stores.Select(s => s.GetSchemaVersionAsync())), version => Assert.Equal(10, version));
    }

    [Fact]
    public async Task A_findings_validation_is_kept_and_a_newer_answer_replaces_it_but_no_answer_does_not()
    {
        var store = await OpenAsync();
        var live = new ValidationResult
        {
            Status = ValidationStatus.Live,
            CheckedAt = DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_000),
            Identity = [KeyValuePair.Create("login", "octocat"), KeyValuePair.Create("id", "583231")],
            Scopes = ["repo", "gist"],
        };
        await store.RecordScanAsync(Package, [AFinding("fp-1") with { Validation = live }], []);
        async Task<ValidationResult?> Kept() => Assert.Single(await store.QueryFindingsAsync(new FindingQuery())).Finding.Validation;

        var kept = await Kept();
        Assert.Equal((live.Status, live.CheckedAt, "live login=octocat id=583231 scopes=repo,gist"), (kept!.Status, kept.CheckedAt, kept.Describe()));

        await store.RecordScanAsync(Package, [AFinding("fp-1")], []);
        Assert.Equal(ValidationStatus.Live, (await Kept())!.Status);

        var invalid = new ValidationResult { Status = ValidationStatus.Invalid, CheckedAt = live.CheckedAt.AddDays(1), Message = "HTTP 401" };
        await store.RecordScanAsync(Package, [AFinding("fp-1") with { Validation = invalid }], []);
        Assert.Equal("invalid (HTTP 401)", (await Kept())!.Describe());
    }

    [Fact]
    public async Task A_resolved_finding_found_again_is_reopened_and_alerts_once_more_but_acknowledged_and_false_positive_ones_stay()
    {
        var store = await OpenAsync();
        await store.RecordScanAsync(Package, [AFinding("fp-1"), AFinding("fp-2"), AFinding("fp-3")], [Webhook]);
        foreach (var claimed in await store.ClaimDueAlertsAsync(10, TimeSpan.FromMinutes(1)))
        {
            await store.MarkDeliveredAsync(claimed.Id);
        }
        var ids = (await store.QueryFindingsAsync(new FindingQuery())).ToDictionary(f => f.Finding.Fingerprint, f => f.Id);
        await store.SetTriageStatusAsync(ids["fp-1"], TriageStatus.Resolved, "test");
        await store.SetTriageStatusAsync(ids["fp-2"], TriageStatus.FalsePositive, "test");
        await store.SetTriageStatusAsync(ids["fp-3"], TriageStatus.Acknowledged, "test");

        var recorded = await store.RecordScanAsync(Package, [AFinding("fp-1", version: "2.2.0"), AFinding("fp-2", version: "2.2.0"), AFinding("fp-3", version: "2.2.0")], [Webhook]);
        await store.RecordScanAsync(Package, [AFinding("fp-1", version: "2.3.0")], [Webhook]);

        Assert.Empty(recorded);
        var alert = Assert.Single(await store.ClaimDueAlertsAsync(10, TimeSpan.FromMinutes(1)));
        Assert.Equal((ids["fp-1"], OutboxMessage.Reopened), (alert.Finding.Id, alert.Event));
        Assert.Equal(TriageStatus.Open, (await store.GetFindingAsync(ids["fp-1"]))!.Status);
        Assert.Equal((TriageStatus.Open, RelationalStore.ReopenedBy), ((await store.GetFindingHistoryAsync(ids["fp-1"]))[^1].Status, (await store.GetFindingHistoryAsync(ids["fp-1"]))[^1].Actor));
        Assert.Equal(TriageStatus.FalsePositive, (await store.GetFindingAsync(ids["fp-2"]))!.Status);
        Assert.Equal(TriageStatus.Acknowledged, (await store.GetFindingAsync(ids["fp-3"]))!.Status);
    }

    private static ValidationResult Answer(ValidationStatus status) =>
        new() { Status = status, CheckedAt = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero) };

    [Fact]
    public async Task Sealed_findings_fall_due_for_validation_and_a_revoked_or_returning_credential_is_recorded_once_and_alerts_when_it_works_again()
    {
        var store = await OpenAsync();
        var findings = new[] { AFinding("fp-1") with { Validation = Answer(ValidationStatus.Live) }, AFinding("fp-2"), AFinding("fp-3") };
        await store.RecordScanAsync(Package, findings, [Webhook], sealedSecret: f => f.Fingerprint == "fp-2" ? null : $"sealed-{f.Fingerprint}");
        foreach (var claimed in await store.ClaimDueAlertsAsync(10, TimeSpan.FromMinutes(1)))
        {
            await store.MarkDeliveredAsync(claimed.Id);
        }

        // Due: sealed, validated before the cut-off (fp-3 never was), oldest first.
        Assert.Equal(["fp-3"], (await store.GetFindingsToRevalidateAsync(Package, Clock.GetUtcNow().AddSeconds(-1), 10)).Select(d => d.Finding.Finding.Fingerprint));
        Clock.Advance(TimeSpan.FromHours(1));
        var due = await store.GetFindingsToRevalidateAsync(Package, Clock.GetUtcNow().AddMinutes(-30), 10);
        Assert.Equal(["fp-3", "fp-1"], due.Select(d => d.Finding.Finding.Fingerprint).OrderBy(f => f == "fp-1"));
        Assert.Equal("sealed-fp-1", due.Single(d => d.Finding.Finding.Fingerprint == "fp-1").SealedSecret);
        long first = due.Single(d => d.Finding.Finding.Fingerprint == "fp-1").Finding.Id;
        long third = due.Single(d => d.Finding.Finding.Fingerprint == "fp-3").Finding.Id;

        Assert.Equal(ValidationChange.None, await store.RecordValidationAsync(first, Answer(ValidationStatus.Live), Severity.High, Confidence.High, [Webhook]));
        Assert.Equal(ValidationChange.None, await store.RecordValidationAsync(first, Answer(ValidationStatus.Error), Severity.High, Confidence.High, [Webhook]));
        Assert.Equal(ValidationStatus.Live, (await store.GetFindingAsync(first))!.Finding.Validation!.Status);
        Assert.Equal(ValidationChange.Revoked, await store.RecordValidationAsync(first, Answer(ValidationStatus.Invalid), Severity.High, Confidence.Low, [Webhook]));
        Assert.Empty(await store.ClaimDueAlertsAsync(10, TimeSpan.FromMinutes(1)));

        Assert.Equal(ValidationChange.LiveAgain, await store.RecordValidationAsync(first, Answer(ValidationStatus.Live), Severity.Critical, Confidence.High, [Webhook]));
        Assert.Equal(ValidationChange.None, await store.RecordValidationAsync(first, Answer(ValidationStatus.Live), Severity.Critical, Confidence.High, [Webhook]));
        var again = Assert.Single(await store.ClaimDueAlertsAsync(10, TimeSpan.FromMinutes(1)));
        Assert.Equal((first, OutboxMessage.LiveAgain, ValidationStatus.Live), (again.Finding.Id, again.Event, again.Finding.Finding.Validation!.Status));
        Assert.Equal(["found", "validation:live", "validation:revoked", "validation:live"],
            (await store.GetFindingHistoryAsync(first)).Select(h => h.Kind == FindingEventKind.Validation ? $"validation:{h.Validation}" : h.Kind.ToString().ToLowerInvariant()));

        // A finding marked false positive is asked about no more, and never alerts again.
        Assert.True(await store.SetTriageStatusAsync(third, TriageStatus.FalsePositive, "test"));
        Assert.DoesNotContain(await store.GetFindingsToRevalidateAsync(Package, Clock.GetUtcNow().AddDays(1), 10), d => d.Finding.Id == third);
        await store.RecordValidationAsync(third, Answer(ValidationStatus.Invalid), Severity.High, Confidence.Low, [Webhook]);
        Assert.Equal(ValidationChange.LiveAgain, await store.RecordValidationAsync(third, Answer(ValidationStatus.Live), Severity.High, Confidence.High, [Webhook]));
        Assert.Empty(await store.ClaimDueAlertsAsync(10, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task The_protected_code_index_is_kept_whole_replaced_whole_and_named_by_its_digest()
    {
        var store = await OpenAsync();
        Assert.Null(await store.GetProtectedIndexDigestAsync());
        Assert.Null(await store.GetProtectedIndexAsync());

        byte[] first = [.. Enumerable.Range(0, 300_000).Select(i => (byte)(i * 7))];
        string digest = await store.SetProtectedIndexAsync(first);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(first)), digest);
        var kept = await store.GetProtectedIndexAsync();
        Assert.Equal(first, kept!.Content);
        Assert.Equal(digest, kept.Digest);

        byte[] second = [1, 2, 3];
        string replaced = await store.SetProtectedIndexAsync(second);
        Assert.NotEqual(digest, replaced);
        Assert.Equal(replaced, await store.GetProtectedIndexDigestAsync());
        Assert.Equal(second, (await store.GetProtectedIndexAsync())!.Content);
    }

    [Fact]
    public async Task The_fingerprint_key_first_proposed_is_kept_and_survives_reopening()
    {
        var first = await OpenAsync();
        Assert.Equal("first-proposed-key-0123456789", await first.GetFingerprintKeyAsync("first-proposed-key-0123456789"));
        Assert.Equal("first-proposed-key-0123456789", await first.GetFingerprintKeyAsync("another-key-0123456789abcdef"));
        await first.DisposeAsync();
        _opened.Remove(first);

        var second = await OpenAsync();

        Assert.Equal("first-proposed-key-0123456789", await second.GetFingerprintKeyAsync("a-third-key-0123456789abcdef"));
    }

    [Fact]
    public async Task Two_workers_proposing_fingerprint_keys_at_once_agree_on_one()
    {
        var stores = await Task.WhenAll(Task.Run(OpenAsync), Task.Run(OpenAsync));

        var keys = await Task.WhenAll(
            Task.Run(() => stores[0].GetFingerprintKeyAsync("worker-one-key-0123456789")),
            Task.Run(() => stores[1].GetFingerprintKeyAsync("worker-two-key-0123456789")));

        Assert.Equal(keys[0], keys[1]);
        Assert.Contains(keys[0], new[] { "worker-one-key-0123456789", "worker-two-key-0123456789" });
    }

    [Fact]
    public async Task A_finding_seen_for_the_first_time_is_new_and_open()
    {
        var store = await OpenAsync();

        var recorded = await store.RecordScanAsync(Package, [AFinding("fp-1")], []);

        var stored = Assert.Single(recorded);
        Assert.Equal(TriageStatus.Open, stored.Status);
        Assert.Equal(Clock.GetUtcNow(), stored.FirstSeen);
        Assert.Equal(stored, Assert.Single(await store.QueryFindingsAsync(new FindingQuery())), StoredFindingComparer.Instance);
    }

    [Fact]
    public async Task A_finding_seen_again_in_a_later_version_only_moves_last_seen()
    {
        var store = await OpenAsync();
        var firstSeen = Clock.GetUtcNow();
        await store.RecordScanAsync(Package, [AFinding("fp-1", version: "2.1.0")], [Webhook]);
        Clock.Advance(TimeSpan.FromHours(3));

        var recorded = await store.RecordScanAsync(Package, [AFinding("fp-1", version: "2.2.0")], [Webhook]);

        Assert.Empty(recorded);
        var stored = Assert.Single(await store.QueryFindingsAsync(new FindingQuery()));
        Assert.Equal(firstSeen, stored.FirstSeen);
        Assert.Equal(Clock.GetUtcNow(), stored.LastSeen);
        Assert.Equal("2.1.0", stored.Finding.Location.Version);
        Assert.Equal(1, await store.CountBacklogAsync());
    }

    [Fact]
    public async Task The_same_fingerprint_in_another_target_is_a_separate_finding()
    {
        var store = await OpenAsync();
        await store.RecordScanAsync(Package, [AFinding("fp-1")], []);

        var recorded = await store.RecordScanAsync("npm:@acme/other", [AFinding("fp-1")], []);

        Assert.Single(recorded);
    }

    [Fact]
    public async Task Findings_are_filtered_by_kind_rule_and_least_confidence()
    {
        var store = await OpenAsync();
        var exposure = AFinding("fp-map") with { RuleId = "leakguard.source-map-sources", Kind = FindingKind.Exposure, Confidence = Confidence.Low, Secret = null };
        await store.RecordScanAsync(Package, [AFinding("fp-1"), AFinding("fp-2") with { Confidence = Confidence.Medium }, exposure], []);

        Assert.Equal(["fp-map"], (await store.QueryFindingsAsync(new FindingQuery { Kind = FindingKind.Exposure })).Select(f => f.Finding.Fingerprint));
        Assert.Equal(2, (await store.QueryFindingsAsync(new FindingQuery { RuleId = "github.pat" })).Count);
        Assert.Equal(["fp-1", "fp-2"], (await store.QueryFindingsAsync(new FindingQuery { MinimumConfidence = Confidence.Medium })).Select(f => f.Finding.Fingerprint));
        Assert.Equal(["fp-1"], (await store.QueryFindingsAsync(new FindingQuery { MinimumConfidence = Confidence.High, Kind = FindingKind.Secret })).Select(f => f.Finding.Fingerprint));
    }

    [Fact]
    public async Task A_scan_returns_only_its_new_findings()
    {
        var store = await OpenAsync();
        await store.RecordScanAsync(Package, [AFinding("fp-1")], []);

        var recorded = await store.RecordScanAsync(Package, [AFinding("fp-1"), AFinding("fp-2"), AFinding("fp-2")], []);

        Assert.Equal(["fp-2"], recorded.Select(f => f.Finding.Fingerprint));
    }

    [Fact]
    public async Task A_scan_that_fails_part_way_records_nothing_and_queues_no_alert()
    {
        var store = await OpenAsync();
        // NOT NULL rejects the second finding after the first, and its alert, were written.
        var unstorable = AFinding("fp-2") with { Title = null! };

        await Assert.ThrowsAnyAsync<System.Data.Common.DbException>(
            () => store.RecordScanAsync(Package, [AFinding("fp-1"), unstorable], [Webhook]));

        Assert.Empty(await store.QueryFindingsAsync(new FindingQuery()));
        Assert.Equal(0, await store.CountBacklogAsync());
    }

    [Fact]
    public async Task A_stored_finding_keeps_every_field_of_the_finding()
    {
        var store = await OpenAsync();
        var finding = AFinding("fp-1") with
        {
            Kind = FindingKind.Exposure,
            Confidence = Confidence.Medium,
            Secret = null,
            Location = new Location
            {
                Path = "api.git!src/config.ts",
                Commit = "a1b2c3d",
                Author = "Ada <ada@example.com>",
                Date = new DateTimeOffset(2026, 2, 3, 4, 5, 6, TimeSpan.Zero),
            },
            Details = new Dictionary<string, object?> { ["decoded"] = "base64" },
        };

        await store.RecordScanAsync(Repository, [finding], []);

        var stored = Assert.Single(await store.QueryFindingsAsync(new FindingQuery())).Finding;
        Assert.Equal(finding.Location, stored.Location);
        Assert.Equal((finding.RuleId, finding.Kind, finding.Severity, finding.Confidence, finding.Title, finding.Secret, finding.Fingerprint),
            (stored.RuleId, stored.Kind, stored.Severity, stored.Confidence, stored.Title, stored.Secret, stored.Fingerprint));
        Assert.Equal("base64", stored.Details["decoded"]?.ToString());
    }

    [Fact]
    public async Task A_new_finding_gets_one_outbox_message_per_channel_it_reaches()
    {
        var store = await OpenAsync();

        var recorded = await store.RecordScanAsync(Package, [AFinding("fp-1", Severity.Critical)], [Webhook, PagerForHigh]);

        var claimed = await store.ClaimDueAlertsAsync(10, TimeSpan.FromMinutes(1));
        Assert.Equal(["file", "webhook"], claimed.Select(m => m.Channel).Order());
        Assert.All(claimed, m => Assert.Equal(recorded[0].Id, m.Finding.Id));
    }

    [Fact]
    public async Task A_finding_below_a_channels_minimum_severity_gets_no_message_for_it()
    {
        var store = await OpenAsync();

        await store.RecordScanAsync(Package, [AFinding("fp-1", Severity.Medium)], [Webhook, PagerForHigh]);

        var claimed = await store.ClaimDueAlertsAsync(10, TimeSpan.FromMinutes(1));
        Assert.Equal(["webhook"], claimed.Select(m => m.Channel));
    }

    [Fact]
    public async Task A_claimed_message_is_not_claimed_again_while_its_lease_runs()
    {
        var store = await OpenAsync();
        await store.RecordScanAsync(Package, [AFinding("fp-1")], [Webhook]);
        Assert.Single(await store.ClaimDueAlertsAsync(10, TimeSpan.FromMinutes(1)));

        Clock.Advance(TimeSpan.FromSeconds(59));

        Assert.Empty(await store.ClaimDueAlertsAsync(10, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task A_message_whose_claimer_died_is_claimed_again_when_the_lease_expires()
    {
        var store = await OpenAsync();
        await store.RecordScanAsync(Package, [AFinding("fp-1")], [Webhook]);
        var first = Assert.Single(await store.ClaimDueAlertsAsync(10, TimeSpan.FromMinutes(1)));

        Clock.Advance(TimeSpan.FromMinutes(1));

        var again = Assert.Single(await store.ClaimDueAlertsAsync(10, TimeSpan.FromMinutes(1)));
        Assert.Equal(first.Id, again.Id);
        Assert.Equal(Clock.GetUtcNow() + TimeSpan.FromMinutes(1), again.LeaseUntil);
    }

    [Fact]
    public async Task A_delivered_message_leaves_the_backlog_and_is_never_claimed_again()
    {
        var store = await OpenAsync();
        await store.RecordScanAsync(Package, [AFinding("fp-1")], [Webhook]);
        var message = Assert.Single(await store.ClaimDueAlertsAsync(10, TimeSpan.FromMinutes(1)));

        await store.MarkDeliveredAsync(message.Id);
        Clock.Advance(TimeSpan.FromHours(1));

        Assert.Equal(0, await store.CountBacklogAsync());
        Assert.Empty(await store.ClaimDueAlertsAsync(10, TimeSpan.FromMinutes(1)));
    }

    [Fact]
    public async Task A_failed_message_is_retried_at_its_next_attempt_time_and_not_before()
    {
        var store = await OpenAsync();
        await store.RecordScanAsync(Package, [AFinding("fp-1")], [Webhook]);
        var message = Assert.Single(await store.ClaimDueAlertsAsync(10, TimeSpan.FromMinutes(1)));

        await store.MarkFailedAsync(message, Clock.GetUtcNow() + TimeSpan.FromSeconds(30), "HTTP 500");

        Assert.Equal(1, await store.CountBacklogAsync());
        Clock.Advance(TimeSpan.FromSeconds(29));
        Assert.Empty(await store.ClaimDueAlertsAsync(10, TimeSpan.FromMinutes(1)));
        Clock.Advance(TimeSpan.FromSeconds(1));
        var retry = Assert.Single(await store.ClaimDueAlertsAsync(10, TimeSpan.FromMinutes(1)));
        Assert.Equal(1, retry.FailedAttempts);
    }

    [Fact]
    public async Task A_failure_reported_after_another_worker_took_over_the_message_is_ignored()
    {
        var store = await OpenAsync();
        await store.RecordScanAsync(Package, [AFinding("fp-1")], [Webhook]);
        var stale = Assert.Single(await store.ClaimDueAlertsAsync(10, TimeSpan.FromMinutes(1)));
        Clock.Advance(TimeSpan.FromMinutes(1));
        var current = Assert.Single(await store.ClaimDueAlertsAsync(10, TimeSpan.FromMinutes(1)));

        await store.MarkFailedAsync(stale, Clock.GetUtcNow(), "timed out");

        // Still leased to the current claimer: nobody else may pick it up yet.
        Assert.Empty(await store.ClaimDueAlertsAsync(10, TimeSpan.FromMinutes(1)));
        await store.MarkDeliveredAsync(current.Id);
        Assert.Equal(0, await store.CountBacklogAsync());
    }

    [Fact]
    public async Task A_claim_takes_at_most_the_requested_count_oldest_first()
    {
        var store = await OpenAsync();
        await store.RecordScanAsync(Package, [AFinding("fp-1")], [Webhook]);
        Clock.Advance(TimeSpan.FromSeconds(1));
        await store.RecordScanAsync(Package, [AFinding("fp-2"), AFinding("fp-3")], [Webhook]);

        var claimed = await store.ClaimDueAlertsAsync(2, TimeSpan.FromMinutes(1));

        Assert.Equal(["fp-1", "fp-2"], claimed.Select(m => m.Finding.Finding.Fingerprint));
        Assert.Equal(3, await store.CountBacklogAsync());
    }

    [Fact]
    public async Task Two_workers_claiming_at_once_claim_every_message_exactly_once_between_them()
    {
        var stores = new[] { await OpenAsync(), await OpenAsync() };
        var expected = Enumerable.Range(0, 40).Select(i => $"fp-{i}").ToList();
        await stores[0].RecordScanAsync(Package, expected.Select(fp => AFinding(fp)).ToList(), [Webhook]);
        const int Rounds = 25; // 40 messages, 2 a claim: more than enough rounds for one worker alone

        // Each round both workers leave the barrier together and claim at once, each on its own
        // store (its own connections), as two service instances would.
        using var barrier = new Barrier(2);
        var claims = new (long Start, long End, IReadOnlyList<OutboxMessage> Messages)[2][];
        var workers = Enumerable.Range(0, 2).Select(w => Task.Factory.StartNew(() =>
        {
            claims[w] = new (long, long, IReadOnlyList<OutboxMessage>)[Rounds];
            for (int round = 0; round < Rounds; round++)
            {
                Assert.True(barrier.SignalAndWait(TimeSpan.FromSeconds(60)), "the other worker did not reach the barrier");
                long start = System.Diagnostics.Stopwatch.GetTimestamp();
                var messages = stores[w].ClaimDueAlertsAsync(2, TimeSpan.FromMinutes(1)).GetAwaiter().GetResult();
                claims[w][round] = (start, System.Diagnostics.Stopwatch.GetTimestamp(), messages);
            }
        }, TaskCreationOptions.LongRunning)).ToArray();
        await Task.WhenAll(workers);

        // Every message claimed, none twice.
        var claimed = claims.SelectMany(c => c).SelectMany(c => c.Messages).ToList();
        Assert.Equal(expected.Order(StringComparer.Ordinal), claimed.Select(m => m.Finding.Finding.Fingerprint).Order(StringComparer.Ordinal));
        Assert.Equal(claimed.Count, claimed.Select(m => m.Id).Distinct().Count());
        // And the two really competed: in some round both claimed messages, in calls that overlapped in time.
        bool competed = Enumerable.Range(0, Rounds).Any(round =>
        {
            var (a, b) = (claims[0][round], claims[1][round]);
            return a.Messages.Count > 0 && b.Messages.Count > 0 && a.Start < b.End && b.Start < a.End;
        });
        Assert.True(competed, "in no round did both workers claim messages in calls that overlapped; they claimed "
            + $"{claims[0].Sum(c => c.Messages.Count)} and {claims[1].Sum(c => c.Messages.Count)}");
    }

    [Fact]
    public async Task Findings_filter_by_minimum_severity_status_target_and_first_seen()
    {
        var store = await OpenAsync();
        await store.RecordScanAsync(Package, [AFinding("old-critical", Severity.Critical)], []);
        Clock.Advance(TimeSpan.FromDays(1));
        var since = Clock.GetUtcNow();
        var recorded = await store.RecordScanAsync(Package,
            [AFinding("new-low", Severity.Low), AFinding("new-high", Severity.High), AFinding("new-critical", Severity.Critical)], []);
        await store.RecordScanAsync(Repository, [AFinding("repo-critical", Severity.Critical)], []);
        await store.SetTriageStatusAsync(recorded[2].Id, TriageStatus.Acknowledged, "test");

        async Task<string[]> Fingerprints(FindingQuery query) =>
            [.. (await store.QueryFindingsAsync(query)).Select(f => f.Finding.Fingerprint)];

        Assert.Equal(["old-critical", "new-high", "new-critical", "repo-critical"],
            await Fingerprints(new FindingQuery { MinimumSeverity = Severity.High }));
        Assert.Equal(["new-critical"], await Fingerprints(new FindingQuery { Status = TriageStatus.Acknowledged }));
        Assert.Equal(["repo-critical"], await Fingerprints(new FindingQuery { Target = Repository }));
        Assert.Equal(["new-low", "new-high", "new-critical", "repo-critical"], await Fingerprints(new FindingQuery { Since = since }));
        Assert.Equal(["new-high"], await Fingerprints(new FindingQuery
        {
            MinimumSeverity = Severity.High, Status = TriageStatus.Open, Target = Package, Since = since,
        }));
    }

    [Fact]
    public async Task Findings_page_in_id_order_with_a_bounded_limit()
    {
        var store = await OpenAsync();
        await store.RecordScanAsync(Package, Enumerable.Range(0, 5).Select(i => AFinding($"fp-{i}")).ToList(), []);

        var firstPage = await store.QueryFindingsAsync(new FindingQuery { Limit = 2 });
        var secondPage = await store.QueryFindingsAsync(new FindingQuery { Limit = 2, AfterId = firstPage[^1].Id });

        Assert.Equal(["fp-0", "fp-1"], firstPage.Select(f => f.Finding.Fingerprint));
        Assert.Equal(["fp-2", "fp-3"], secondPage.Select(f => f.Finding.Fingerprint));
        Assert.Single(await store.QueryFindingsAsync(new FindingQuery { Limit = 0 }));
    }

    [Fact]
    public async Task Setting_a_triage_status_is_stored_and_survives_the_finding_being_seen_again()
    {
        var store = await OpenAsync();
        var recorded = await store.RecordScanAsync(Package, [AFinding("fp-1")], []);

        Assert.True(await store.SetTriageStatusAsync(recorded[0].Id, TriageStatus.FalsePositive, "test"));
        await store.RecordScanAsync(Package, [AFinding("fp-1")], []);

        Assert.Equal(TriageStatus.FalsePositive, Assert.Single(await store.QueryFindingsAsync(new FindingQuery())).Status);
    }

    [Fact]
    public async Task A_finding_keeps_its_redacted_context_and_is_read_by_its_id()
    {
        var store = await OpenAsync();
        var context = new CodeContext(["const a = 1;", "const token = \"ghp_…G5iK\";", "export { token };"], 1);
        var recorded = await store.RecordScanAsync(Package, [AFinding("fp-1") with { Context = context }, AFinding("fp-2")], []);

        var read = await store.GetFindingAsync(recorded[0].Id);

        Assert.NotNull(read);
        Assert.Equal("fp-1", read.Finding.Fingerprint);
        Assert.Equal(context.Lines, read.Finding.Context?.Lines);
        Assert.Equal(1, read.Finding.Context?.SecretLine);
        Assert.Equal(context.Lines, (await store.QueryFindingsAsync(new FindingQuery()))[0].Finding.Context?.Lines);
        Assert.Null((await store.GetFindingAsync(recorded[1].Id))?.Finding.Context);
        Assert.Null(await store.GetFindingAsync(recorded[1].Id + 100));
    }

    [Fact]
    public async Task History_holds_when_a_finding_was_found_and_each_change_of_status_with_who_made_it()
    {
        var store = await OpenAsync();
        var found = Clock.GetUtcNow();
        var recorded = await store.RecordScanAsync(Package, [AFinding("fp-1")], []);
        long id = recorded[0].Id;
        Clock.Advance(TimeSpan.FromMinutes(5));
        var marked = Clock.GetUtcNow();
        Assert.True(await store.SetTriageStatusAsync(id, TriageStatus.FalsePositive, "API key"));
        Assert.True(await store.SetTriageStatusAsync(id, TriageStatus.FalsePositive, "API key"));
        await store.RecordScanAsync(Package, [AFinding("fp-1")], []);
        Clock.Advance(TimeSpan.FromMinutes(5));
        Assert.True(await store.SetTriageStatusAsync(id, TriageStatus.Resolved, "triage page session 1a2b3c4d"));

        var history = await store.GetFindingHistoryAsync(id);

        Assert.Equal(
            [
                new FindingEvent(found, FindingEventKind.Found, null, null),
                new FindingEvent(marked, FindingEventKind.Status, TriageStatus.FalsePositive, "API key"),
                new FindingEvent(marked.AddMinutes(5), FindingEventKind.Status, TriageStatus.Resolved, "triage page session 1a2b3c4d"),
            ],
            history);
        Assert.Empty(await store.GetFindingHistoryAsync(id + 100));
    }

    [Fact]
    public async Task Setting_the_status_of_an_unknown_finding_returns_false()
    {
        var store = await OpenAsync();

        Assert.False(await store.SetTriageStatusAsync(12345, TriageStatus.Resolved, "test"));
    }

    [Fact]
    public async Task An_undefined_triage_status_is_rejected()
    {
        var store = await OpenAsync();
        var recorded = await store.RecordScanAsync(Package, [AFinding("fp-1")], []);

        await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => store.SetTriageStatusAsync(recorded[0].Id, (TriageStatus)42, "test"));
        Assert.Equal(TriageStatus.Open, Assert.Single(await store.QueryFindingsAsync(new FindingQuery())).Status);
    }

    [Fact]
    public async Task A_targets_first_poll_is_recorded_once_and_only_for_that_target()
    {
        var store = await OpenAsync();
        Assert.False(await store.WasPolledAsync(Scope));

        await store.MarkPolledAsync(Scope);
        await store.MarkPolledAsync(Scope);

        Assert.True(await store.WasPolledAsync(Scope));
        Assert.False(await store.WasPolledAsync("npm:left-pad"));
    }

    [Fact]
    public async Task Releases_are_kept_per_package_of_a_target_and_recording_one_again_replaces_its_manifest()
    {
        var store = await OpenAsync();
        Assert.Empty(await store.GetReleasesAsync(Scope, "@acme/cli"));

        await store.RecordReleaseAsync(Scope, "@acme/cli", "2.0.9", "first");
        await store.RecordReleaseAsync(Scope, "@acme/cli", "2.1.0", "second");
        await store.RecordReleaseAsync(Scope, "@acme/cli", "2.1.0", "second, again");
        await store.RecordReleaseAsync(Scope, "@acme/sdk", "1.0.0", "sdk");

        var releases = await store.GetReleasesAsync(Scope, "@acme/cli");
        Assert.Equal(["2.0.9", "2.1.0"], releases.Keys.Order(StringComparer.Ordinal));
        Assert.Equal("second, again", releases["2.1.0"]);
        Assert.Equal("sdk", Assert.Single(await store.GetReleasesAsync(Scope, "@acme/sdk")).Value);
        Assert.Empty(await store.GetReleasesAsync("npm:@other/*", "@acme/cli"));
    }

    [Fact]
    public async Task Failed_attempts_at_a_release_are_counted_the_last_allowed_records_it_as_failed_and_a_scan_forgets_them()
    {
        var store = await OpenAsync();
        Assert.Empty(await store.GetReleaseFailuresAsync(Scope, "@acme/cli"));

        var first = await store.RecordReleaseFailureAsync(Scope, "@acme/cli", "2.1.0", "integrity mismatch", maxAttempts: 3);
        await store.RecordReleaseFailureAsync(Scope, "@acme/cli", "2.1.0", "integrity mismatch", maxAttempts: 3);
        var third = await store.RecordReleaseFailureAsync(Scope, "@acme/cli", "2.1.0", "still broken", maxAttempts: 3);
        var fourth = await store.RecordReleaseFailureAsync(Scope, "@acme/cli", "2.1.0", "still broken", maxAttempts: 3);
        await store.RecordReleaseFailureAsync(Scope, "@acme/cli", "2.2.0", "timeout", maxAttempts: 3);
        await store.RecordReleaseFailureAsync(Scope, "@acme/sdk", "1.0.0", "timeout", maxAttempts: 3);

        Assert.Equal((1, false), (first.Attempts, first.Failed));
        Assert.Equal((3, true, "still broken"), (third.Attempts, third.Failed, third.Reason));
        Assert.Equal((4, third.FailedAt), (fourth.Attempts, fourth.FailedAt));
        var failures = await store.GetReleaseFailuresAsync(Scope, "@acme/cli");
        Assert.Equal(["2.1.0", "2.2.0"], failures.Keys.Order(StringComparer.Ordinal));
        Assert.True(failures["2.1.0"].Failed);
        Assert.Equal((1, false, "timeout"), (failures["2.2.0"].Attempts, failures["2.2.0"].Failed, failures["2.2.0"].Reason));

        // Scanned after all (a registry that recovered): its failed attempts are forgotten.
        await store.RecordReleaseAsync(Scope, "@acme/cli", "2.2.0", "manifest");
        Assert.Equal(["2.1.0"], (await store.GetReleaseFailuresAsync(Scope, "@acme/cli")).Keys);
        Assert.Single(await store.GetReleaseFailuresAsync(Scope, "@acme/sdk"));
    }

    [Fact]
    public async Task The_last_commit_of_each_ref_of_a_git_target_round_trips()
    {
        var store = await OpenAsync();

        await store.SetLastCommitAsync(Repository, "refs/heads/main", "aaa");
        await store.SetLastCommitAsync(Repository, "refs/tags/v1", "bbb");
        await store.SetLastCommitAsync(Repository, "refs/heads/main", "ccc");

        var commits = await store.GetLastCommitsAsync(Repository);
        Assert.Equal(new Dictionary<string, string> { ["refs/heads/main"] = "ccc", ["refs/tags/v1"] = "bbb" }, commits);
        Assert.Empty(await store.GetLastCommitsAsync("git:elsewhere"));
    }

    [Fact]
    public async Task Scanned_blob_ids_are_remembered_per_target()
    {
        var store = await OpenAsync();
        var many = Enumerable.Range(0, 1200).Select(i => $"blob-{i:D4}").ToList();

        await store.AddScannedBlobsAsync(Repository, many);
        await store.AddScannedBlobsAsync(Repository, ["blob-0000"]);

        var scanned = await store.GetScannedBlobsAsync(Repository, [.. many, "never-scanned"]);
        Assert.Equal(many.Count, scanned.Count);
        Assert.DoesNotContain("never-scanned", scanned);
        Assert.Empty(await store.GetScannedBlobsAsync("git:elsewhere", many));
    }
}
