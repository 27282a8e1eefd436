using LeakGuard.Core.Findings;
using LeakGuard.Core.ReleaseDiff;
using LeakGuard.Core.Scanning;
using LeakGuard.Service.Alerts;
using LeakGuard.Service.Api;
using LeakGuard.Service.Configuration;
using LeakGuard.Sources.Git;
using LeakGuard.Sources.Packages;
using LeakGuard.Sources.Targets;
using LeakGuard.Storage;
using LeakGuard.Validation;
using Serilog;

namespace LeakGuard.Service.Watch;

/// <summary>Lists what one poll of a target offers, as <c>scan</c> would resolve it; the watcher
/// disposes the result. Tests hand in their own.</summary>
internal delegate ResolvedTargets TargetResolver(TargetSettings target, Action<string, string> warn);

/// <summary>
/// Polls one configured target on its interval. Package targets (npm,
/// NuGet, a whole npm scope): every published version the store has not recorded is scanned once,
/// on its own, compared with the version before it, and then recorded with its manifest. Git
/// targets (git, github): the git source remembers per remote which blobs it scanned (beside its
/// mirror, and in the store), so each poll fetches and scans only new blobs. Findings are recorded before the version or the blobs
/// are remembered: a worker stopped in between scans them again, and the store's fingerprints
/// keep that from raising a second alert. The host runs <see cref="RunAsync"/> as a <see cref="HostedLoop"/>.
/// </summary>
internal sealed class TargetWatcher(
    TargetSettings target,
    ReleaseJobRunner runner,
    ILeakGuardStore store,
    OutboxChannels channels,
    ServiceMetrics metrics,
    ILogger logger,
    TimeProvider time,
    TimeSpan shutdownGrace,
    TargetResolver? resolver = null,
    IReleaseJobs? jobs = null,
    Func<long, int, Task>? scanned = null,
    long? sweep = null)
{
    /// <summary>How a target is named in the store, logs, metrics, alerts and the cluster: credentials
    /// in a remote's URL (<c>https://user:token@host/…</c>) are dropped, as everywhere output goes.</summary>
    public static string StoredName(TargetSettings target) => RedactedUrl.InText(target.DisplayName);

    private readonly string targetName = StoredName(target);

    private TargetResolver Resolve => resolver ?? ((settings, warn) => TargetListing.Resolve(settings, runner.Scanner.MaxPackageSize, ScannedBefore, warn));

    /// <summary>Where release jobs run: on the cluster's silos, or (without one) right here.</summary>
    private IReleaseJobs Jobs => jobs ?? new InProcessReleaseJobs(runner);

    private readonly RepeatedProblemLog pollProblems = new(logger, "polling", "poll");

    /// <summary>The target as <c>scan</c> names it: the versions it names (<c>left-pad@&gt;=1.3.0</c>),
    /// else every version of a package (or of each package of a scope), or the remote.</summary>
    public static string ScanTargetName(TargetSettings target) => target.Kind switch
    {
        TargetKind.Npm or TargetKind.NuGet when target.VersionSpec is null => $"{target.DisplayName}@all",
        _ => target.DisplayName,
    };

    /// <summary>
    /// SIGTERM (<paramref name="stopping"/>) ends polling at once, but a scan already running gets
    /// the shutdown grace to finish and be recorded; past that it is abandoned, nothing of it
    /// recorded, and it runs again at the next start. Versions recorded before it stay recorded.
    /// </summary>
    public async Task RunAsync(CancellationToken stopping)
    {
        using var abandon = new CancellationTokenSource();
        await using var grace = stopping.Register(() => abandon.CancelAfter(shutdownGrace));
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await PollOnceAsync(stopping, abandon.Token).ConfigureAwait(false);
                pollProblems.Succeeded(targetName, targetName);
                metrics.PollSucceeded(targetName, time.GetUtcNow());
            }
            catch (OperationCanceledException) when (abandon.IsCancellationRequested)
            {
                logger.Information("{Target}: stopped; the scan in progress did not finish within {Grace} and will run again at the next start",
                    targetName, shutdownGrace);
                return;
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                logger.Information("{Target}: stopped", targetName);
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                // A registry that is down or sends garbage is this target's problem alone: log it once, try next interval.
                pollProblems.Failed(targetName, targetName, e.Message);
            }
            try
            {
                await RevalidateAsync(stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stopping.IsCancellationRequested)
            {
                logger.Information("{Target}: stopped", targetName);
                return;
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                logger.Warning("{Target}: validating stored findings again failed: {Problem}", targetName, e.Message);
            }
            try
            {
                await Task.Delay(target.Every, time, stopping).ConfigureAwait(false);
            }
            catch (OperationCanceledException)
            {
                logger.Information("{Target}: stopped", targetName);
                return;
            }
        }
    }

    /// <summary>Stored findings validated again per poll, at most: the schedule's cost is bounded
    /// however many have fallen due (the rest wait for the next poll, oldest first).</summary>
    public const int RevalidationBatch = 50;

    /// <summary>
    /// For a <c>validate: true</c> target, asks the providers again about the stored findings last
    /// validated more than <see cref="TargetSettings.Revalidate"/> ago. A credential that turns
    /// invalid after being live is recorded as revoked; one that works again after being refused
    /// alerts again (the store decides both, once).
    /// </summary>
    private async Task RevalidateAsync(CancellationToken stopping)
    {
        if (!target.Validate || !runner.Scanner.CanRevalidate)
        {
            return;
        }
        var due = await store.GetFindingsToRevalidateAsync(targetName, time.GetUtcNow() - target.Revalidate, RevalidationBatch, stopping)
            .ConfigureAwait(false);
        if (due.Count == 0)
        {
            return;
        }
        var asked = await runner.Scanner.RevalidateAsync(due, stopping).ConfigureAwait(false);
        // Those that could not be asked (sealed under another key, a rule gone) are put back in the
        // queue's tail, or they would take every batch from now on.
        var notAsked = due.Select(d => d.Finding).Where(f => !asked.Any(a => a.Id == f.Id)).ToList();
        foreach (var stored in notAsked)
        {
            var unknown = new ValidationResult
            {
                Status = ValidationStatus.Unknown,
                CheckedAt = time.GetUtcNow(),
                Message = "not asked again: its sealed secret does not open with this key, or its rule has no validator now",
            };
            await store.RecordValidationAsync(stored.Id, unknown, stored.Finding.Severity, stored.Finding.Confidence, channels.ForStore, CancellationToken.None)
                .ConfigureAwait(false);
        }
        if (notAsked.Count > 0)
        {
            logger.Warning("{Target}: {Count} stored findings could not be validated again: their sealed secrets do not open with this {Variable}, or their rules have no validator now",
                targetName, notAsked.Count, SecretSeal.KeyVariable);
        }
        var changes = new Dictionary<ValidationChange, int>();
        foreach (var (id, finding) in asked)
        {
            if (finding.Validation is not { } answer)
            {
                continue;
            }
            var change = await store.RecordValidationAsync(id, answer, finding.Severity, finding.Confidence, channels.ForStore, CancellationToken.None)
                .ConfigureAwait(false);
            changes[change] = changes.GetValueOrDefault(change) + 1;
            if (change is ValidationChange.Revoked or ValidationChange.LiveAgain)
            {
                logger.Information("{Target}: {Rule} at {Path}: {Change}", targetName, finding.RuleId, finding.Location.Path,
                    change == ValidationChange.Revoked ? "revoked (live before, refused now)" : "works again (refused before): alerting");
            }
        }
        logger.Information("{Target}: validated {Count} stored findings again: {Revoked} revoked, {LiveAgain} live again",
            targetName, asked.Count, changes.GetValueOrDefault(ValidationChange.Revoked), changes.GetValueOrDefault(ValidationChange.LiveAgain));
    }

    /// <param name="stopping">Stops listing and starting work.</param>
    /// <param name="abandon">Stops a scan already running.</param>
    public Task PollOnceAsync(CancellationToken stopping, CancellationToken abandon) => target.Kind switch
    {
        TargetKind.Npm or TargetKind.NuGet => PollPackagesAsync(stopping, abandon),
        TargetKind.Web => PollWebAsync(stopping, abandon),
        _ => PollGitAsync(stopping, abandon),
    };

    /// <summary>The manifest of a version recorded without being scanned (<c>backfill:</c>): JSON
    /// null, so the release after it is compared with nothing, as a first release is.</summary>
    private const string NotScanned = "null";

    /// <summary>Packages of one target (a scope's) whose new versions are scanned at once: the
    /// versions of one package go in order, each compared with the one before it.</summary>
    private const int ParallelPackages = 8;

    private async Task PollPackagesAsync(CancellationToken stopping, CancellationToken abandon)
    {
        using var resolved = await ResolveAsync(stopping).ConfigureAwait(false);
        // The target's first poll: what was published before it is backfilled as configured.
        bool firstPoll = !await store.WasPolledAsync(targetName, stopping).ConfigureAwait(false);
        int notScanned = 0;
        var retried = new System.Collections.Concurrent.ConcurrentQueue<string>();
        var packages = resolved.PackageVersions.GroupBy(item => item.Origin!.Package!, StringComparer.Ordinal);
        await Parallel.ForEachAsync(packages, new ParallelOptions { MaxDegreeOfParallelism = ParallelPackages }, async (package, _) =>
        {
            var recorded = await store.GetReleasesAsync(targetName, package.Key, stopping).ConfigureAwait(false);
            var failures = await store.GetReleaseFailuresAsync(targetName, package.Key, stopping).ConfigureAwait(false);
            var newest = package.Last();
            // Oldest first within each package, so each version is compared with the one before it.
            foreach (var item in package)
            {
                string version = item.Origin!.Version!;
                if (recorded.ContainsKey(version) || failures.GetValueOrDefault(version)?.Failed == true)
                {
                    continue;
                }
                if (firstPoll && (target.Backfill == Backfill.None || (target.Backfill == Backfill.Latest && !ReferenceEquals(item, newest))))
                {
                    await store.RecordReleaseAsync(targetName, package.Key, version, NotScanned, stopping).ConfigureAwait(false);
                    Interlocked.Increment(ref notScanned);
                    continue;
                }
                stopping.ThrowIfCancellationRequested();
                var job = new ReleaseJob(JobTarget.From(target), targetName, package.Key, version, firstPoll, sweep);
                var done = await Jobs.RunAsync(job, item, abandon).ConfigureAwait(false);
                if (done.Manifest is not null)
                {
                    await (scanned?.Invoke(done.Bytes, done.NewFindings) ?? Task.CompletedTask).ConfigureAwait(false);
                }
                else if (await RecordFailureAsync(package.Key, item, done.Failure!).ConfigureAwait(false) is { } retry)
                {
                    retried.Enqueue(retry);
                }
                if (stopping.IsCancellationRequested)
                {
                    logger.Information("{Target}: finished the scan in progress before stopping", targetName);
                }
            }
        }).ConfigureAwait(false);
        if (firstPoll)
        {
            if (notScanned > 0)
            {
                logger.Information("{Target}: first poll: {Count} versions published before it recorded without scanning (backfill: {Backfill})",
                    targetName, notScanned, target.Backfill.ToString().ToLowerInvariant());
            }
            await store.MarkPolledAsync(targetName, CancellationToken.None).ConfigureAwait(false);
        }
        if (!retried.IsEmpty)
        {
            // Everything else was scanned; as a poll failure, the same reason is logged once however often it recurs.
            throw new IOException(retried.Count == 1
                ? retried.First()
                : $"{retried.Count} versions could not be scanned and are tried again next poll; the first: {retried.First()}");
        }
    }

    /// <summary>
    /// Counts a failed attempt at a version. A version is tried on <see cref="MaxReleaseAttempts"/>
    /// polls (a registry that is down, a tarball that is briefly missing); then it is recorded as
    /// failed with its reason and one warning, and not tried again, so a version that can never be
    /// scanned costs a few attempts, not every poll forever. Returns the poll's failure message
    /// while the version is still to be tried again, else null.
    /// </summary>
    private async Task<string?> RecordFailureAsync(string package, SourceItem item, string reason)
    {
        var failure = await store.RecordReleaseFailureAsync(targetName, package, item.Origin!.Version!, reason, MaxReleaseAttempts, CancellationToken.None)
            .ConfigureAwait(false);
        if (!failure.Failed)
        {
            return $"{reason} (attempt {failure.Attempts} of {MaxReleaseAttempts}; tried again next poll)";
        }
        logger.Warning("{Target}: {Item} could not be scanned in {Attempts} attempts and is recorded as failed: {Reason}",
            targetName, item.Path, failure.Attempts, reason);
        return null;
    }

    /// <summary>Polls on which a version that cannot be scanned is tried before it is recorded as failed.</summary>
    public const int MaxReleaseAttempts = 3;

    /// <summary>
    /// A site is crawled and scanned on every poll; a deploy (another set of files: hashed asset
    /// names change with their content) is a new release, labelled by when it was seen and the
    /// deploy's digest, and compared with the release before it like a package version. A poll
    /// that finds the deploy last recorded records nothing. A crawl that fetched no file at all
    /// is the poll's failure, tried again next interval.
    /// </summary>
    private async Task PollWebAsync(CancellationToken stopping, CancellationToken abandon)
    {
        using var resolved = await ResolveAsync(stopping).ConfigureAwait(false);
        var item = resolved.Items.Single();
        string site = item.Origin!.Package!;
        var inventory = new FileInventory();
        var scan = await runner.Scanner.ScanAsync([item], inventory, abandon, target.Validate).ConfigureAwait(false);
        var result = scan.Result;
        var files = inventory.Files();
        if (!files.Any(f => f.Path.Contains('!', StringComparison.Ordinal)))
        {
            throw new IOException(result.Warnings.FirstOrDefault()?.Message is { } why ? $"{site}: nothing could be fetched: {why}" : $"{site}: nothing could be fetched");
        }
        string deploy = DeployDigest(files);
        var recorded = await store.GetReleasesAsync(targetName, site, stopping).ConfigureAwait(false);
        if (VersionSelection.Ordered(recorded.Keys).LastOrDefault() is { } latest && latest.EndsWith(deploy, StringComparison.Ordinal))
        {
            runner.LogWarnings(targetName, result);
            logger.Information("{Target}: no new deploy ({Deploy})", targetName, latest);
            return;
        }
        string label = $"{time.GetUtcNow():yyyyMMdd'T'HHmmss'Z'}-{deploy}";
        var release = NewRelease.Compare(site, new ReleaseContents(label, files, result.Findings, ReleaseContents.InsideItem), recorded);
        int added = await runner.RecordReleaseAsync(targetName, site, item.Path, scan, release, sweep).ConfigureAwait(false);
        await (scanned?.Invoke(result.Stats.Bytes, added) ?? Task.CompletedTask).ConfigureAwait(false);
    }

    /// <summary>What identifies a deploy: the site's files (not what is inside them) and their sizes.</summary>
    private static string DeployDigest(IReadOnlyList<InventoriedFile> files)
    {
        var lines = files.Select(f => (Path: ReleaseContents.InsideItem(f.Path), f.Size))
            .Where(f => f.Path.Length > 0 && !f.Path.Contains('!', StringComparison.Ordinal))
            .Select(f => $"{f.Path}\t{f.Size}")
            .Order(StringComparer.Ordinal);
        byte[] digest = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines)));
        return Convert.ToHexStringLower(digest)[..12];
    }

    private async Task PollGitAsync(CancellationToken stopping, CancellationToken abandon)
    {
        using var resolved = await ResolveAsync(stopping).ConfigureAwait(false);
        var scan = await runner.Scanner.ScanAsync(resolved.Items, null, abandon, target.Validate).ConfigureAwait(false);
        int added = await runner.RecordAsync(targetName, "new commits", scan, scan.Result.Findings, sweep, CancellationToken.None).ConfigureAwait(false);
        await (scanned?.Invoke(scan.Result.Stats.Bytes, added) ?? Task.CompletedTask).ConfigureAwait(false);
        resolved.ScanFinished();
        await RecordGitStateAsync(resolved.Repositories).ConfigureAwait(false);
    }

    /// <summary>
    /// Which of a repository's new blobs the store has recorded as scanned. The git source keeps
    /// the same beside its mirror; the store is asked too, so a worker whose mirror cache was lost
    /// (a container's disk) walks the history again but does not scan it all again.
    /// </summary>
    private IReadOnlySet<string> ScannedBefore(string repository, IReadOnlyCollection<string> blobIds) =>
        store.GetScannedBlobsAsync(BlobSetKey(repository), blobIds).GetAwaiter().GetResult();

    /// <summary>A git target is one repository; a github target keeps a blob set per repository,
    /// since the same content in two repositories is two places a secret leaked.</summary>
    private string BlobSetKey(string repository) => target.Kind == TargetKind.GitHub ? $"{targetName} {repository}" : targetName;

    /// <summary>The blobs this scan offered, and the commit each ref pointed at when it walked it
    /// (a ref of a github: target is named <c>OWNER/REPO:refs/heads/main</c>).</summary>
    private async Task RecordGitStateAsync(IReadOnlyList<(string Name, GitTarget Target)> repositories)
    {
        var known = await store.GetLastCommitsAsync(targetName, CancellationToken.None).ConfigureAwait(false);
        int moved = 0;
        foreach (var (repository, git) in repositories)
        {
            await store.AddScannedBlobsAsync(BlobSetKey(git.Name), git.OfferedBlobs, CancellationToken.None).ConfigureAwait(false);
            foreach (var (refName, commit) in git.RefTips)
            {
                string key = target.Kind == TargetKind.GitHub ? $"{repository}:{refName}" : refName;
                if (known.GetValueOrDefault(key) != commit)
                {
                    await store.SetLastCommitAsync(targetName, key, commit, CancellationToken.None).ConfigureAwait(false);
                    moved++;
                }
            }
        }
        if (moved > 0)
        {
            logger.Information("{Target}: {Moved} refs at new commits", targetName, moved);
        }
    }

    /// <summary>Listing is network work that cannot be cancelled midway (a packument, a fetch):
    /// on SIGTERM the watcher stops waiting for it and lets it run out in the background.</summary>
    private Task<ResolvedTargets> ResolveAsync(CancellationToken stopping) =>
        Task.Run(() => Resolve(target, Warn), stopping).WaitAsync(stopping);

    private void Warn(string path, string message) => runner.Warn(targetName, path, message);
}
