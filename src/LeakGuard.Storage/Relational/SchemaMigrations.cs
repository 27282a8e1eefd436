namespace LeakGuard.Storage.Relational;

/// <summary>One step of the schema. Applied steps are never edited: a change is a new step.</summary>
/// <param name="Sql">Portable SQL; <c>{id}</c> stands for the dialect's auto-increment primary key,
/// <c>{bytes}</c> for its binary column type.</param>
/// <param name="PostgresOnly">Run on PostgreSQL only; SQLite records the version without running it.</param>
internal sealed record SchemaMigration(int Version, string Description, string Sql, bool PostgresOnly = false);

/// <summary>The schema, in order. Times are Unix milliseconds (BIGINT) in both databases, so
/// comparisons and ordering behave the same without either dialect's date types.</summary>
internal static class SchemaMigrations
{
    public static readonly IReadOnlyList<SchemaMigration> All =
    [
        new(1, "findings, alert outbox, scan state", """
            CREATE TABLE findings (
                id {id},
                target TEXT NOT NULL,
                fingerprint TEXT NOT NULL,
                rule_id TEXT NOT NULL,
                kind TEXT NOT NULL,
                severity INTEGER NOT NULL,
                title TEXT NOT NULL,
                path TEXT NOT NULL,
                line INTEGER,
                column_number INTEGER,
                commit_id TEXT,
                author TEXT,
                authored_at BIGINT,
                package TEXT,
                package_version TEXT,
                secret TEXT,
                details TEXT NOT NULL,
                first_seen BIGINT NOT NULL,
                last_seen BIGINT NOT NULL,
                status TEXT NOT NULL DEFAULT 'open'
                    CHECK (status IN ('open', 'acknowledged', 'false-positive', 'resolved')),
                UNIQUE (target, fingerprint)
            );
            CREATE INDEX findings_first_seen ON findings (first_seen);
            CREATE TABLE alert_outbox (
                id {id},
                finding_id BIGINT NOT NULL REFERENCES findings (id),
                channel TEXT NOT NULL,
                failed_attempts INTEGER NOT NULL DEFAULT 0,
                next_attempt_at BIGINT NOT NULL,
                lease_until BIGINT,
                claim_token TEXT,
                delivered_at BIGINT,
                last_error TEXT,
                UNIQUE (finding_id, channel)
            );
            CREATE INDEX alert_outbox_due ON alert_outbox (delivered_at, next_attempt_at);
            CREATE INDEX alert_outbox_claim ON alert_outbox (claim_token);
            CREATE TABLE package_versions (
                target TEXT PRIMARY KEY,
                version TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            );
            CREATE TABLE ref_commits (
                target TEXT NOT NULL,
                ref_name TEXT NOT NULL,
                commit_id TEXT NOT NULL,
                updated_at BIGINT NOT NULL,
                PRIMARY KEY (target, ref_name)
            );
            CREATE TABLE scanned_blobs (
                target TEXT NOT NULL,
                blob_id TEXT NOT NULL,
                PRIMARY KEY (target, blob_id)
            );
            """),
        // A package target may be a whole scope, so versions are kept per package; every scanned
        // version is kept (not just the last), with what the next version is compared against.
        new(2, "scanned package releases with their manifests, replacing the last version per target", """
            CREATE TABLE releases (
                target TEXT NOT NULL,
                package TEXT NOT NULL,
                version TEXT NOT NULL,
                manifest TEXT NOT NULL,
                scanned_at BIGINT NOT NULL,
                PRIMARY KEY (target, package, version)
            );
            DROP TABLE package_versions;
            """),
        // Findings stored before confidence existed were all reported, so they count as high.
        new(3, "finding confidence", """
            ALTER TABLE findings ADD COLUMN confidence INTEGER NOT NULL DEFAULT 2;
            """),
        // A version that cannot be scanned is tried on a few polls, then recorded as failed, so it
        // neither blocks the versions after it nor is fetched forever.
        new(4, "failed attempts at scanning a package release", """
            CREATE TABLE release_failures (
                target TEXT NOT NULL,
                package TEXT NOT NULL,
                version TEXT NOT NULL,
                attempts INTEGER NOT NULL,
                reason TEXT NOT NULL,
                last_attempt_at BIGINT NOT NULL,
                failed_at BIGINT,
                PRIMARY KEY (target, package, version)
            );
            """),
        // Secrets the installation keeps for itself (the fingerprint key), one row per name.
        new(5, "installation secrets", """
            CREATE TABLE installation_secrets (
                name TEXT PRIMARY KEY,
                value TEXT NOT NULL
            );
            """),
        // What a reader needs to judge a finding without the scanned file (the redacted lines
        // around it), and what happened to it: when it was found and every change of its status
        // (findings stored before this step start their history at their first sighting).
        new(6, "finding context and history", """
            ALTER TABLE findings ADD COLUMN context TEXT;
            CREATE TABLE finding_events (
                id {id},
                finding_id BIGINT NOT NULL REFERENCES findings (id),
                at BIGINT NOT NULL,
                event TEXT NOT NULL CHECK (event IN ('found', 'status')),
                status TEXT,
                actor TEXT
            );
            CREATE INDEX finding_events_finding ON finding_events (finding_id, id);
            INSERT INTO finding_events (finding_id, at, event) SELECT id, first_seen, 'found' FROM findings ORDER BY id;
            """),
        // The protected-code index `protect push` shares with every worker of the store: one row,
        // replaced whole; its digest lets a worker tell cheaply whether it changed.
        new(7, "protected-code index", """
            CREATE TABLE protected_index (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                content {bytes} NOT NULL,
                digest TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            );
            """),
        // Validation (validate: true targets): what a finding's provider last said (JSON, with its
        // status and time apart for the conditions and the schedule), the secret sealed for asking
        // again, history entries for each answer that changed, and an outbox row that can be sent
        // again for another event (a credential live again). finding_events is rebuilt because its
        // CHECK names the events it allows.
        new(8, "finding validation", """
            ALTER TABLE findings ADD COLUMN validation TEXT;
            ALTER TABLE findings ADD COLUMN validation_status TEXT;
            ALTER TABLE findings ADD COLUMN validated_at BIGINT;
            ALTER TABLE findings ADD COLUMN sealed_secret TEXT;
            ALTER TABLE alert_outbox ADD COLUMN event TEXT;
            CREATE TABLE finding_events_v8 (
                id {id},
                finding_id BIGINT NOT NULL REFERENCES findings (id),
                at BIGINT NOT NULL,
                event TEXT NOT NULL CHECK (event IN ('found', 'status', 'validation')),
                status TEXT,
                actor TEXT
            );
            INSERT INTO finding_events_v8 (finding_id, at, event, status, actor)
                SELECT finding_id, at, event, status, actor FROM finding_events ORDER BY id;
            DROP TABLE finding_events;
            ALTER TABLE finding_events_v8 RENAME TO finding_events;
            CREATE INDEX finding_events_finding ON finding_events (finding_id, id);
            CREATE INDEX findings_revalidation ON findings (target, validated_at);
            """),
        // When a target's first poll ended: a package target's backfill applies to that poll only,
        // and a package that joins a scope later is all new. Targets with releases already recorded
        // had their first poll.
        new(9, "polled targets", """
            CREATE TABLE polled_targets (
                target TEXT PRIMARY KEY,
                first_polled_at BIGINT NOT NULL
            );
            INSERT INTO polled_targets (target, first_polled_at)
                SELECT target, MIN(scanned_at) FROM releases GROUP BY target;
            INSERT INTO polled_targets (target, first_polled_at)
                SELECT DISTINCT target, 0 FROM release_failures WHERE target NOT IN (SELECT target FROM polled_targets);
            """),
        // The tables, functions and stored queries of Orleans' ADO.NET clustering, reminders and
        // grain storage, for the watch cluster's silos, which share the store's PostgreSQL database.
        // An embedded .sql file: the PL/pgSQL and the stored queries read better as SQL than inside a C# string.
        new(10, "Orleans cluster tables (PostgreSQL only)", Resource("LeakGuard.Storage.Postgres.OrleansSchema.sql"), PostgresOnly: true),
    ];

    public static int Latest => All[^1].Version;

    private static string Resource(string name)
    {
        using var stream = typeof(SchemaMigrations).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException($"{name} is not embedded in LeakGuard.Storage");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
