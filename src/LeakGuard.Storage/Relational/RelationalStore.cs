using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using LeakGuard.Core.Findings;

namespace LeakGuard.Storage.Relational;

/// <summary>The store's behaviour, written once in the SQL that SQLite and PostgreSQL share
/// (<c>ON CONFLICT</c>, <c>RETURNING</c>, <c>LIMIT</c>). Subclasses supply only connections, the
/// identity column type, how a migration excludes other processes and how a claim locks rows.</summary>
public abstract class RelationalStore : ILeakGuardStore
{
    // Keeps IN lists well below both databases' parameter limits.
    private const int BlobBatchSize = 500;
    private const int MaxErrorLength = 2000;
    private const int MaxClaimCount = 1000;
    private const string FingerprintKeyName = "fingerprint-key";

    /// <summary>Who a finding's history says reopened it when a scan found it again after it was resolved.</summary>
    public const string ReopenedBy = "scan: found again after it was resolved";

    /// <summary>How many columns <see cref="FindingColumns"/> lists.</summary>
    private const int FindingColumnCount = 23;

    private const string FindingColumns =
        "f.id, f.target, f.fingerprint, f.rule_id, f.kind, f.severity, f.title, f.path, f.line, f.column_number, " +
        "f.commit_id, f.author, f.authored_at, f.package, f.package_version, f.secret, f.details, f.first_seen, f.last_seen, f.status, f.confidence, f.context, f.validation";

    private readonly TimeProvider _time;

    protected RelationalStore(TimeProvider time) => _time = time;

    protected abstract string IdentityColumn { get; }

    protected abstract string BinaryColumn { get; }

    /// <summary>Whether schema steps marked PostgreSQL-only run here.</summary>
    protected abstract bool IsPostgres { get; }

    /// <summary>Appended to the claim's row selection.</summary>
    protected abstract string ClaimRowLock { get; }

    protected abstract Task<DbConnection> OpenConnectionAsync(CancellationToken cancellation);

    /// <summary>A transaction that no other process's migration runs alongside.</summary>
    protected abstract Task<DbTransaction> BeginMigrationAsync(DbConnection connection, CancellationToken cancellation);

    public abstract ValueTask DisposeAsync();

    protected async Task MigrateAsync(CancellationToken cancellation)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var transaction = await BeginMigrationAsync(connection, cancellation).ConfigureAwait(false);
        await ExecuteAsync(connection, transaction, """
            CREATE TABLE IF NOT EXISTS schema_version (
                version INTEGER PRIMARY KEY,
                description TEXT NOT NULL,
                applied_at BIGINT NOT NULL
            )
            """, cancellation).ConfigureAwait(false);
        var current = await ReadSchemaVersionAsync(connection, transaction, cancellation).ConfigureAwait(false);
        foreach (var migration in SchemaMigrations.All.Where(m => m.Version > current))
        {
            if (!migration.PostgresOnly || IsPostgres)
            {
                string sql = migration.Sql.Replace("{id}", IdentityColumn, StringComparison.Ordinal).Replace("{bytes}", BinaryColumn, StringComparison.Ordinal);
                await ExecuteAsync(connection, transaction, sql, cancellation).ConfigureAwait(false);
            }
            await ExecuteAsync(connection, transaction,
                "INSERT INTO schema_version (version, description, applied_at) VALUES (@version, @description, @now)", cancellation,
                ("version", migration.Version), ("description", migration.Description), ("now", NowMilliseconds())).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
    }

    public async Task<int> GetSchemaVersionAsync(CancellationToken cancellation = default)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        return await ReadSchemaVersionAsync(connection, null, cancellation).ConfigureAwait(false);
    }

    private static async Task<int> ReadSchemaVersionAsync(DbConnection connection, DbTransaction? transaction, CancellationToken cancellation)
    {
        var version = await ScalarAsync(connection, transaction, "SELECT MAX(version) FROM schema_version", cancellation).ConfigureAwait(false);
        return version is null or DBNull ? 0 : Convert.ToInt32(version, CultureInfo.InvariantCulture);
    }

    public async Task<string> GetFingerprintKeyAsync(string proposed, CancellationToken cancellation = default)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await ExecuteAsync(connection, null,
            "INSERT INTO installation_secrets (name, value) VALUES (@name, @value) ON CONFLICT (name) DO NOTHING", cancellation,
            ("name", FingerprintKeyName), ("value", proposed)).ConfigureAwait(false);
        var kept = await ScalarAsync(connection, null, "SELECT value FROM installation_secrets WHERE name = @name", cancellation,
            ("name", FingerprintKeyName)).ConfigureAwait(false);
        return (string)kept!;
    }

    public async Task<string?> GetProtectedIndexDigestAsync(CancellationToken cancellation = default)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        return (string?)await ScalarAsync(connection, null, "SELECT digest FROM protected_index WHERE id = 1", cancellation).ConfigureAwait(false);
    }

    public async Task<StoredProtectedIndex?> GetProtectedIndexAsync(CancellationToken cancellation = default)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT content, digest, updated_at FROM protected_index WHERE id = 1");
        await using var reader = await command.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        return await reader.ReadAsync(cancellation).ConfigureAwait(false)
            ? new StoredProtectedIndex(reader.GetFieldValue<byte[]>(0), reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)))
            : null;
    }

    public async Task<string> SetProtectedIndexAsync(byte[] content, CancellationToken cancellation = default)
    {
        string digest = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(content));
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await ExecuteAsync(connection, null,
            "INSERT INTO protected_index (id, content, digest, updated_at) VALUES (1, @content, @digest, @now) "
            + "ON CONFLICT (id) DO UPDATE SET content = excluded.content, digest = excluded.digest, updated_at = excluded.updated_at", cancellation,
            ("content", content), ("digest", digest), ("now", NowMilliseconds())).ConfigureAwait(false);
        return digest;
    }

    public async Task<IReadOnlyDictionary<string, string>> GetReleasesAsync(string target, string package, CancellationToken cancellation = default)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT version, manifest FROM releases WHERE target = @target AND package = @package",
            ("target", target), ("package", package));
        await using var reader = await command.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        var releases = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
        {
            releases[reader.GetString(0)] = reader.GetString(1);
        }
        return releases;
    }

    public async Task<bool> WasPolledAsync(string target, CancellationToken cancellation = default)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT 1 FROM polled_targets WHERE target = @target", ("target", target));
        return await command.ExecuteScalarAsync(cancellation).ConfigureAwait(false) is not null;
    }

    public async Task MarkPolledAsync(string target, CancellationToken cancellation = default)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await ExecuteAsync(connection, null, "INSERT INTO polled_targets (target, first_polled_at) VALUES (@target, @now) ON CONFLICT (target) DO NOTHING",
            cancellation, ("target", target), ("now", NowMilliseconds())).ConfigureAwait(false);
    }

    public async Task RecordReleaseAsync(string target, string package, string version, string manifest, CancellationToken cancellation = default)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await ExecuteAsync(connection, null, """
            INSERT INTO releases (target, package, version, manifest, scanned_at) VALUES (@target, @package, @version, @manifest, @now)
            ON CONFLICT (target, package, version) DO UPDATE SET manifest = excluded.manifest, scanned_at = excluded.scanned_at
            """, cancellation, ("target", target), ("package", package), ("version", version), ("manifest", manifest),
            ("now", NowMilliseconds())).ConfigureAwait(false);
        await ExecuteAsync(connection, null, "DELETE FROM release_failures WHERE target = @target AND package = @package AND version = @version",
            cancellation, ("target", target), ("package", package), ("version", version)).ConfigureAwait(false);
    }

    public async Task<ReleaseFailure> RecordReleaseFailureAsync(string target, string package, string version, string reason, int maxAttempts,
        CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxAttempts, 1);
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var command = Command(connection, null, """
            INSERT INTO release_failures (target, package, version, attempts, reason, last_attempt_at, failed_at)
            VALUES (@target, @package, @version, 1, @reason, @now, CASE WHEN @max <= 1 THEN @now END)
            ON CONFLICT (target, package, version) DO UPDATE SET
                attempts = release_failures.attempts + 1,
                reason = excluded.reason,
                last_attempt_at = excluded.last_attempt_at,
                failed_at = COALESCE(release_failures.failed_at, CASE WHEN release_failures.attempts + 1 >= @max THEN excluded.last_attempt_at END)
            RETURNING attempts, reason, failed_at
            """, ("target", target), ("package", package), ("version", version), ("reason", Bounded(reason)), ("now", NowMilliseconds()),
            ("max", maxAttempts));
        await using var reader = await command.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        await reader.ReadAsync(cancellation).ConfigureAwait(false);
        return ReadFailure(reader);
    }

    public async Task<IReadOnlyDictionary<string, ReleaseFailure>> GetReleaseFailuresAsync(string target, string package, CancellationToken cancellation = default)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var command = Command(connection, null,
            "SELECT version, attempts, reason, failed_at FROM release_failures WHERE target = @target AND package = @package",
            ("target", target), ("package", package));
        await using var reader = await command.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        var failures = new Dictionary<string, ReleaseFailure>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
        {
            failures[reader.GetString(0)] = ReadFailure(reader, 1);
        }
        return failures;
    }

    private static ReleaseFailure ReadFailure(DbDataReader reader, int first = 0) => new(
        Convert.ToInt32(reader.GetValue(first), CultureInfo.InvariantCulture),
        reader.GetString(first + 1),
        reader.IsDBNull(first + 2) ? null : DateTimeOffset.FromUnixTimeMilliseconds(Convert.ToInt64(reader.GetValue(first + 2), CultureInfo.InvariantCulture)));

    private static string Bounded(string error) => error.Length <= MaxErrorLength ? error : error[..MaxErrorLength];

    public async Task<IReadOnlyDictionary<string, string>> GetLastCommitsAsync(string target, CancellationToken cancellation = default)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var command = Command(connection, null, "SELECT ref_name, commit_id FROM ref_commits WHERE target = @target",
            ("target", target));
        await using var reader = await command.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        var commits = new Dictionary<string, string>(StringComparer.Ordinal);
        while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
        {
            commits[reader.GetString(0)] = reader.GetString(1);
        }
        return commits;
    }

    public async Task SetLastCommitAsync(string target, string refName, string commit, CancellationToken cancellation = default)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await ExecuteAsync(connection, null, """
            INSERT INTO ref_commits (target, ref_name, commit_id, updated_at) VALUES (@target, @ref, @commit, @now)
            ON CONFLICT (target, ref_name) DO UPDATE SET commit_id = excluded.commit_id, updated_at = excluded.updated_at
            """, cancellation, ("target", target), ("ref", refName), ("commit", commit), ("now", NowMilliseconds())).ConfigureAwait(false);
    }

    public async Task<IReadOnlySet<string>> GetScannedBlobsAsync(string target, IReadOnlyCollection<string> blobIds, CancellationToken cancellation = default)
    {
        var scanned = new HashSet<string>(StringComparer.Ordinal);
        if (blobIds.Count == 0)
        {
            return scanned;
        }
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        foreach (var batch in blobIds.Distinct(StringComparer.Ordinal).Chunk(BlobBatchSize))
        {
            var parameters = new List<(string, object?)>(batch.Length + 1) { ("target", target) };
            var names = new StringBuilder();
            for (var i = 0; i < batch.Length; i++)
            {
                names.Append(i == 0 ? "" : ", ").Append("@b").Append(i.ToString(CultureInfo.InvariantCulture));
                parameters.Add(("b" + i.ToString(CultureInfo.InvariantCulture), batch[i]));
            }
            await using var command = Command(connection, null,
                $"SELECT blob_id FROM scanned_blobs WHERE target = @target AND blob_id IN ({names})", [.. parameters]);
            await using var reader = await command.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
            {
                scanned.Add(reader.GetString(0));
            }
        }
        return scanned;
    }

    public async Task AddScannedBlobsAsync(string target, IReadOnlyCollection<string> blobIds, CancellationToken cancellation = default)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        foreach (var blobId in blobIds)
        {
            await ExecuteAsync(connection, transaction,
                "INSERT INTO scanned_blobs (target, blob_id) VALUES (@target, @blob) ON CONFLICT (target, blob_id) DO NOTHING", cancellation,
                ("target", target), ("blob", blobId)).ConfigureAwait(false);
        }
        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
    }

    public async Task<IReadOnlyList<StoredFinding>> RecordScanAsync(
        string target, IReadOnlyList<Finding> findings, IReadOnlyList<AlertChannel> channels, CancellationToken cancellation = default,
        Func<Finding, string?>? sealedSecret = null)
    {
        var now = NowMilliseconds();
        var seenAt = DateTimeOffset.FromUnixTimeMilliseconds(now);
        var newFindings = new List<StoredFinding>();
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        foreach (var finding in findings)
        {
            var location = finding.Location;
            // DO NOTHING + RETURNING tells new from seen-again without a read-then-write race:
            // no row comes back when the fingerprint is already stored for this target.
            var insertedId = await ScalarAsync(connection, transaction, """
                INSERT INTO findings (target, fingerprint, rule_id, kind, severity, title, path, line, column_number,
                    commit_id, author, authored_at, package, package_version, secret, details, first_seen, last_seen, status, confidence, context,
                    validation, validation_status, validated_at, sealed_secret)
                VALUES (@target, @fingerprint, @rule, @kind, @severity, @title, @path, @line, @column,
                    @commit, @author, @authored, @package, @version, @secret, @details, @now, @now, 'open', @confidence, @context,
                    @validation, @validationStatus, @validatedAt, @sealed)
                ON CONFLICT (target, fingerprint) DO NOTHING
                RETURNING id
                """, cancellation,
                ("target", target), ("fingerprint", finding.Fingerprint), ("rule", finding.RuleId),
                ("kind", finding.Kind.ToString()), ("severity", (int)finding.Severity), ("title", finding.Title),
                ("path", location.Path), ("line", location.Line), ("column", location.Column), ("commit", location.Commit),
                ("author", location.Author), ("authored", location.Date?.ToUnixTimeMilliseconds()), ("package", location.Package),
                ("version", location.Version), ("secret", finding.Secret), ("details", JsonSerializer.Serialize(finding.Details)),
                ("now", now), ("confidence", (int)finding.Confidence),
                ("context", finding.Context is { } context ? JsonSerializer.Serialize(new StoredContext(context.Lines, context.SecretLine)) : null),
                ("validation", StoredValidation.ToJson(finding.Validation)), ("validationStatus", StoredValidation.Definite(finding.Validation)),
                ("validatedAt", finding.Validation is null ? null : now), ("sealed", sealedSecret?.Invoke(finding)))
                .ConfigureAwait(false);
            if (insertedId is null or DBNull)
            {
                var knownId = Convert.ToInt64(await ScalarAsync(connection, transaction,
                    "UPDATE findings SET last_seen = @now, sealed_secret = COALESCE(@sealed, sealed_secret) WHERE target = @target AND fingerprint = @fingerprint RETURNING id",
                    cancellation, ("now", now), ("sealed", sealedSecret?.Invoke(finding)), ("target", target),
                    ("fingerprint", finding.Fingerprint)).ConfigureAwait(false), CultureInfo.InvariantCulture);
                // Resolved and back: open again, and alerted once more (the conditional update makes it once).
                if (await ExecuteAsync(connection, transaction, "UPDATE findings SET status = 'open' WHERE id = @id AND status = 'resolved'",
                        cancellation, ("id", knownId)).ConfigureAwait(false) == 1)
                {
                    await ExecuteAsync(connection, transaction,
                        "INSERT INTO finding_events (finding_id, at, event, status, actor) VALUES (@finding, @now, 'status', 'open', @actor)",
                        cancellation, ("finding", knownId), ("now", now), ("actor", ReopenedBy)).ConfigureAwait(false);
                    await AlertAgainAsync(connection, transaction, knownId, finding.Severity, channels, OutboxMessage.Reopened, now, cancellation)
                        .ConfigureAwait(false);
                }
                // Seen again: its provider's newer answer is recorded as any re-validation is.
                if (finding.Validation is { } answer)
                {
                    await ApplyValidationAsync(connection, transaction, knownId, answer, finding.Severity, finding.Confidence, channels, now, cancellation)
                        .ConfigureAwait(false);
                }
                continue;
            }
            var id = Convert.ToInt64(insertedId, CultureInfo.InvariantCulture);
            await ExecuteAsync(connection, transaction, "INSERT INTO finding_events (finding_id, at, event) VALUES (@finding, @now, 'found')",
                cancellation, ("finding", id), ("now", now)).ConfigureAwait(false);
            if (StoredValidation.Definite(finding.Validation) is { } definite)
            {
                await ExecuteAsync(connection, transaction,
                    "INSERT INTO finding_events (finding_id, at, event, status) VALUES (@finding, @now, 'validation', @status)",
                    cancellation, ("finding", id), ("now", now), ("status", definite)).ConfigureAwait(false);
            }
            newFindings.Add(new StoredFinding(id, target, finding, seenAt, seenAt, TriageStatus.Open));
            foreach (var channel in channels.Where(c => finding.Severity >= c.MinimumSeverity))
            {
                await ExecuteAsync(connection, transaction,
                    "INSERT INTO alert_outbox (finding_id, channel, next_attempt_at) VALUES (@finding, @channel, @now)", cancellation,
                    ("finding", id), ("channel", channel.Name), ("now", now)).ConfigureAwait(false);
            }
        }
        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
        return newFindings;
    }

    public async Task<IReadOnlyList<StoredFinding>> QueryFindingsAsync(FindingQuery query, CancellationToken cancellation = default)
    {
        var conditions = new List<string>();
        var parameters = new List<(string, object?)>();
        if (query.MinimumSeverity is { } severity)
        {
            conditions.Add("f.severity >= @severity");
            parameters.Add(("severity", (int)severity));
        }
        if (query.Status is { } status)
        {
            conditions.Add("f.status = @status");
            parameters.Add(("status", TriageStatusNames.ToName(status)));
        }
        if (query.Target is { } target)
        {
            conditions.Add("f.target = @target");
            parameters.Add(("target", target));
        }
        if (query.Kind is { } kind)
        {
            conditions.Add("f.kind = @kind");
            parameters.Add(("kind", kind.ToString()));
        }
        if (query.RuleId is { } ruleId)
        {
            conditions.Add("f.rule_id = @rule");
            parameters.Add(("rule", ruleId));
        }
        if (query.MinimumConfidence is { } confidence)
        {
            conditions.Add("f.confidence >= @confidence");
            parameters.Add(("confidence", (int)confidence));
        }
        if (query.Since is { } since)
        {
            conditions.Add("f.first_seen >= @since");
            parameters.Add(("since", since.ToUnixTimeMilliseconds()));
        }
        if (query.AfterId is { } afterId)
        {
            conditions.Add("f.id > @after");
            parameters.Add(("after", afterId));
        }
        parameters.Add(("limit", Math.Clamp(query.Limit, 1, FindingQuery.MaxLimit)));
        var where = conditions.Count == 0 ? "" : "WHERE " + string.Join(" AND ", conditions);

        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {FindingColumns} FROM findings f {where} ORDER BY f.id LIMIT @limit",
            [.. parameters]);
        await using var reader = await command.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        var results = new List<StoredFinding>();
        while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
        {
            results.Add(ReadFinding(reader, 0));
        }
        return results;
    }

    public async Task<StoredFinding?> GetFindingAsync(long findingId, CancellationToken cancellation = default)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var command = Command(connection, null, $"SELECT {FindingColumns} FROM findings f WHERE f.id = @id", ("id", findingId));
        await using var reader = await command.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        return await reader.ReadAsync(cancellation).ConfigureAwait(false) ? ReadFinding(reader, 0) : null;
    }

    public async Task<bool> SetTriageStatusAsync(long findingId, TriageStatus status, string actor, CancellationToken cancellation = default)
    {
        var name = TriageStatusNames.ToName(status);
        var now = NowMilliseconds();
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        // Only a row whose status differs is updated, so the history holds changes, not repeats.
        var changed = await ExecuteAsync(connection, transaction, "UPDATE findings SET status = @status WHERE id = @id AND status <> @status",
            cancellation, ("status", name), ("id", findingId)).ConfigureAwait(false);
        if (changed > 0)
        {
            await ExecuteAsync(connection, transaction, """
                INSERT INTO finding_events (finding_id, at, event, status, actor) VALUES (@finding, @now, 'status', @status, @actor)
                """, cancellation, ("finding", findingId), ("now", now), ("status", name), ("actor", Bounded(actor))).ConfigureAwait(false);
            await transaction.CommitAsync(cancellation).ConfigureAwait(false);
            return true;
        }
        var exists = await ScalarAsync(connection, transaction, "SELECT 1 FROM findings WHERE id = @id", cancellation, ("id", findingId))
            .ConfigureAwait(false);
        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
        return exists is not (null or DBNull);
    }

    public async Task<IReadOnlyList<(StoredFinding Finding, string SealedSecret)>> GetFindingsToRevalidateAsync(string target, DateTimeOffset before,
        int limit, CancellationToken cancellation = default)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var command = Command(connection, null, $"""
            SELECT {FindingColumns}, f.sealed_secret FROM findings f
            WHERE f.target = @target AND f.sealed_secret IS NOT NULL AND f.status <> 'false-positive'
              AND (f.validated_at IS NULL OR f.validated_at < @before)
            ORDER BY f.validated_at IS NOT NULL, f.validated_at, f.id
            LIMIT @limit
            """, ("target", target), ("before", before.ToUnixTimeMilliseconds()), ("limit", limit));
        await using var reader = await command.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        var due = new List<(StoredFinding, string)>();
        while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
        {
            due.Add((ReadFinding(reader, 0), reader.GetString(FindingColumnCount)));
        }
        return due;
    }

    public async Task<ValidationChange> RecordValidationAsync(long findingId, ValidationResult validation, Severity severity, Confidence confidence,
        IReadOnlyList<AlertChannel> channels, CancellationToken cancellation = default)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        var change = await ApplyValidationAsync(connection, transaction, findingId, validation, severity, confidence, channels, NowMilliseconds(), cancellation)
            .ConfigureAwait(false);
        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
        return change;
    }

    /// <summary>
    /// Records a provider's answer for a stored finding. The newest answer is kept; a definite one
    /// (live, invalid) that differs from the last definite one is a history entry — <c>revoked</c>
    /// when a live credential turns invalid — and a credential live again after being invalid
    /// (unless marked false positive) alerts once more. An answer that is not definite leaves the
    /// last definite one standing. The update is conditional on the status it changes, so of two
    /// workers that see the same change only one records it.
    /// </summary>
    private async Task<ValidationChange> ApplyValidationAsync(DbConnection connection, DbTransaction transaction, long id, ValidationResult validation,
        Severity severity, Confidence confidence, IReadOnlyList<AlertChannel> channels, long now, CancellationToken cancellation)
    {
        string json = StoredValidation.ToJson(validation)!;
        if (StoredValidation.Definite(validation) is not { } definite)
        {
            await ExecuteAsync(connection, transaction,
                "UPDATE findings SET validated_at = @now, validation = CASE WHEN validation_status IS NULL THEN @json ELSE validation END WHERE id = @id",
                cancellation, ("now", now), ("json", json), ("id", id)).ConfigureAwait(false);
            return ValidationChange.None;
        }
        string? before;
        bool falsePositive;
        await using (var read = Command(connection, transaction, "SELECT validation_status, status FROM findings WHERE id = @id", ("id", id)))
        await using (var row = await read.ExecuteReaderAsync(cancellation).ConfigureAwait(false))
        {
            bool found = await row.ReadAsync(cancellation).ConfigureAwait(false);
            before = found && !row.IsDBNull(0) ? row.GetString(0) : null;
            falsePositive = found && row.GetString(1) == "false-positive";
        }
        int changed = await ExecuteAsync(connection, transaction, """
            UPDATE findings SET validation = @json, validation_status = @status, validated_at = @now, severity = @severity, confidence = @confidence
            WHERE id = @id AND (validation_status IS NULL OR validation_status <> @status)
            """, cancellation, ("json", json), ("status", definite), ("now", now), ("severity", (int)severity), ("confidence", (int)confidence), ("id", id))
            .ConfigureAwait(false);
        if (changed == 0)
        {
            await ExecuteAsync(connection, transaction, "UPDATE findings SET validation = @json, validated_at = @now WHERE id = @id", cancellation,
                ("json", json), ("now", now), ("id", id)).ConfigureAwait(false);
            return ValidationChange.None;
        }
        var change = (before, definite) switch
        {
            ("live", "invalid") => ValidationChange.Revoked,
            ("invalid", "live") => ValidationChange.LiveAgain,
            _ => ValidationChange.First,
        };
        await ExecuteAsync(connection, transaction,
            "INSERT INTO finding_events (finding_id, at, event, status) VALUES (@finding, @now, 'validation', @status)", cancellation,
            ("finding", id), ("now", now), ("status", change == ValidationChange.Revoked ? "revoked" : definite)).ConfigureAwait(false);
        if (change == ValidationChange.LiveAgain && !falsePositive)
        {
            await AlertAgainAsync(connection, transaction, id, severity, channels, OutboxMessage.LiveAgain, now, cancellation).ConfigureAwait(false);
        }
        return change;
    }

    /// <summary>Sends a stored finding's alert once more, for <paramref name="alertEvent"/>: its
    /// outbox row per channel (one per finding and channel) is armed again, or made if the finding
    /// was below the channel's minimum before.</summary>
    private static async Task AlertAgainAsync(DbConnection connection, DbTransaction transaction, long id, Severity severity,
        IReadOnlyList<AlertChannel> channels, string alertEvent, long now, CancellationToken cancellation)
    {
        foreach (var channel in channels.Where(c => severity >= c.MinimumSeverity))
        {
            int rearmed = await ExecuteAsync(connection, transaction, """
                UPDATE alert_outbox SET event = @event, delivered_at = NULL, failed_attempts = 0, next_attempt_at = @now,
                    lease_until = NULL, claim_token = NULL, last_error = NULL
                WHERE finding_id = @finding AND channel = @channel
                """, cancellation, ("event", alertEvent), ("now", now), ("finding", id), ("channel", channel.Name)).ConfigureAwait(false);
            if (rearmed == 0)
            {
                await ExecuteAsync(connection, transaction,
                    "INSERT INTO alert_outbox (finding_id, channel, next_attempt_at, event) VALUES (@finding, @channel, @now, @event)", cancellation,
                    ("finding", id), ("channel", channel.Name), ("now", now), ("event", alertEvent)).ConfigureAwait(false);
            }
        }
    }

    public async Task<IReadOnlyList<FindingEvent>> GetFindingHistoryAsync(long findingId, CancellationToken cancellation = default)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var command = Command(connection, null,
            "SELECT at, event, status, actor FROM finding_events WHERE finding_id = @id ORDER BY id", ("id", findingId));
        await using var reader = await command.ExecuteReaderAsync(cancellation).ConfigureAwait(false);
        var events = new List<FindingEvent>();
        while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
        {
            var kind = reader.GetString(1) switch
            {
                "found" => FindingEventKind.Found,
                "validation" => FindingEventKind.Validation,
                _ => FindingEventKind.Status,
            };
            string? text = reader.IsDBNull(2) ? null : reader.GetString(2);
            TriageStatus? status = kind == FindingEventKind.Status && text is not null && TriageStatusNames.TryParse(text, out var parsed) ? parsed : null;
            events.Add(new FindingEvent(DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(0)), kind, status,
                reader.IsDBNull(3) ? null : reader.GetString(3), kind == FindingEventKind.Validation ? text : null));
        }
        return events;
    }

    public async Task<IReadOnlyList<OutboxMessage>> ClaimDueAlertsAsync(int maxCount, TimeSpan lease, CancellationToken cancellation = default)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(maxCount, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(maxCount, MaxClaimCount);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(lease, TimeSpan.Zero);
        var now = NowMilliseconds();
        var leaseUntil = now + (long)lease.TotalMilliseconds;
        var token = Guid.NewGuid().ToString("N");
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellation).ConfigureAwait(false);
        // The selection is MATERIALIZED: as a plain IN subquery PostgreSQL may rescan it per
        // updated row and, skipping the rows it just locked, claim more than @max. The outer
        // conditions repeat the inner ones so rows another claimer changed meanwhile are re-checked.
        await ExecuteAsync(connection, transaction, $"""
            WITH due AS MATERIALIZED (
                SELECT id FROM alert_outbox
                WHERE delivered_at IS NULL AND next_attempt_at <= @now AND (lease_until IS NULL OR lease_until <= @now)
                ORDER BY next_attempt_at, id
                LIMIT @max
                {ClaimRowLock})
            UPDATE alert_outbox SET lease_until = @lease, claim_token = @token
            WHERE id IN (SELECT id FROM due)
              AND delivered_at IS NULL AND (lease_until IS NULL OR lease_until <= @now)
            """, cancellation, ("lease", leaseUntil), ("token", token), ("now", now), ("max", maxCount)).ConfigureAwait(false);

        var messages = new List<OutboxMessage>();
        await using (var command = Command(connection, transaction, $"""
            SELECT o.id, o.channel, o.failed_attempts, o.event, {FindingColumns}
            FROM alert_outbox o JOIN findings f ON f.id = o.finding_id
            WHERE o.claim_token = @token
            ORDER BY o.next_attempt_at, o.id
            """, ("token", token)))
        await using (var reader = await command.ExecuteReaderAsync(cancellation).ConfigureAwait(false))
        {
            while (await reader.ReadAsync(cancellation).ConfigureAwait(false))
            {
                messages.Add(new OutboxMessage(reader.GetInt64(0), reader.GetString(1), reader.GetInt32(2),
                    DateTimeOffset.FromUnixTimeMilliseconds(leaseUntil), token, ReadFinding(reader, 4))
                {
                    Event = reader.IsDBNull(3) ? OutboxMessage.NewFinding : reader.GetString(3),
                });
            }
        }
        await transaction.CommitAsync(cancellation).ConfigureAwait(false);
        return messages;
    }

    public async Task MarkDeliveredAsync(long messageId, CancellationToken cancellation = default)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await ExecuteAsync(connection, null, """
            UPDATE alert_outbox SET delivered_at = @now, lease_until = NULL, claim_token = NULL
            WHERE id = @id AND delivered_at IS NULL
            """, cancellation, ("now", NowMilliseconds()), ("id", messageId)).ConfigureAwait(false);
    }

    public async Task MarkFailedAsync(OutboxMessage message, DateTimeOffset nextAttemptAt, string error, CancellationToken cancellation = default)
    {
        var boundedError = Bounded(error);
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        await ExecuteAsync(connection, null, """
            UPDATE alert_outbox
            SET failed_attempts = failed_attempts + 1, next_attempt_at = @next, lease_until = NULL, claim_token = NULL, last_error = @error
            WHERE id = @id AND claim_token = @token AND delivered_at IS NULL
            """, cancellation, ("next", nextAttemptAt.ToUnixTimeMilliseconds()), ("error", boundedError), ("id", message.Id),
            ("token", message.ClaimToken)).ConfigureAwait(false);
    }

    public async Task<long> CountBacklogAsync(CancellationToken cancellation = default)
    {
        await using var connection = await OpenConnectionAsync(cancellation).ConfigureAwait(false);
        var count = await ScalarAsync(connection, null, "SELECT COUNT(*) FROM alert_outbox WHERE delivered_at IS NULL", cancellation)
            .ConfigureAwait(false);
        return Convert.ToInt64(count, CultureInfo.InvariantCulture);
    }

    private long NowMilliseconds() => _time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>Reads the <see cref="FindingColumns"/> starting at <paramref name="first"/>.</summary>
    private static StoredFinding ReadFinding(DbDataReader reader, int first)
    {
        string? Text(int offset) => reader.IsDBNull(first + offset) ? null : reader.GetString(first + offset);
        int? Number(int offset) => reader.IsDBNull(first + offset) ? null : reader.GetInt32(first + offset);
        long? Milliseconds(int offset) => reader.IsDBNull(first + offset) ? null : reader.GetInt64(first + offset);

        var details = JsonSerializer.Deserialize<Dictionary<string, object?>>(reader.GetString(first + 16)) ?? [];
        var finding = new Finding
        {
            Fingerprint = reader.GetString(first + 2),
            RuleId = reader.GetString(first + 3),
            Kind = Enum.Parse<FindingKind>(reader.GetString(first + 4)),
            Severity = (Severity)reader.GetInt32(first + 5),
            Confidence = (Confidence)reader.GetInt32(first + 20),
            Title = reader.GetString(first + 6),
            Location = new Location
            {
                Path = reader.GetString(first + 7),
                Line = Number(8),
                Column = Number(9),
                Commit = Text(10),
                Author = Text(11),
                Date = Milliseconds(12) is { } authored ? DateTimeOffset.FromUnixTimeMilliseconds(authored) : null,
                Package = Text(13),
                Version = Text(14),
            },
            Secret = Text(15),
            Details = details,
            Context = Text(21) is { } context && JsonSerializer.Deserialize<StoredContext>(context) is { } stored
                ? new CodeContext(stored.Lines, stored.SecretLine)
                : null,
            Validation = StoredValidation.FromJson(Text(22)),
        };
        TriageStatusNames.TryParse(reader.GetString(first + 19), out var status);
        return new StoredFinding(
            reader.GetInt64(first), reader.GetString(first + 1), finding,
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(first + 17)),
            DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(first + 18)),
            status);
    }

    /// <summary>The JSON a finding's <see cref="CodeContext"/> is kept as.</summary>
    private sealed record StoredContext(IReadOnlyList<string> Lines, int SecretLine);

    private static DbCommand Command(DbConnection connection, DbTransaction? transaction, string sql, params (string Name, object? Value)[] parameters)
    {
        var command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach (var (name, value) in parameters)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.Value = value ?? DBNull.Value;
            command.Parameters.Add(parameter);
        }
        return command;
    }

    private static async Task<int> ExecuteAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellation,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync(cancellation).ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(DbConnection connection, DbTransaction? transaction, string sql, CancellationToken cancellation,
        params (string Name, object? Value)[] parameters)
    {
        await using var command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteScalarAsync(cancellation).ConfigureAwait(false);
    }
}
