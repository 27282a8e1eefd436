-- The tables and queries Orleans' ADO.NET providers (Microsoft.Orleans.Clustering.AdoNet,
-- .Reminders.AdoNet and .Persistence.AdoNet 10.4.2) expect, following their documented
-- PostgreSQL shape: the providers read every statement they run from OrleansQuery by QueryKey,
-- bind parameters by name (@DeploymentId, ...) and read result columns by name, so the key
-- names, parameter names and result column names below are the contract; everything else is ours.
-- A silo fails at start if a key it requires is missing.

CREATE TABLE OrleansQuery (
    QueryKey varchar(64) NOT NULL PRIMARY KEY,
    QueryText text NOT NULL
);

-- Clustering. DeploymentId is the cluster id; Version is the membership table's version, which
-- every change to a silo's row must match and bump (optimistic concurrency across silos).
CREATE TABLE OrleansMembershipVersionTable (
    DeploymentId varchar(150) NOT NULL PRIMARY KEY,
    Timestamp timestamptz NOT NULL DEFAULT now(),
    Version integer NOT NULL DEFAULT 0
);

CREATE TABLE OrleansMembershipTable (
    DeploymentId varchar(150) NOT NULL REFERENCES OrleansMembershipVersionTable (DeploymentId),
    Address varchar(45) NOT NULL,
    Port integer NOT NULL,
    Generation integer NOT NULL,
    SiloName varchar(150) NOT NULL,
    HostName varchar(150) NOT NULL,
    Status integer NOT NULL,
    ProxyPort integer,
    SuspectTimes varchar(8000),
    StartTime timestamptz NOT NULL,
    IAmAliveTime timestamptz NOT NULL,
    PRIMARY KEY (DeploymentId, Address, Port, Generation)
);

-- Insert and update change a silo's row only when the table version still matches, and bump it
-- in the same step: locking the version row first makes a concurrent writer wait and then see
-- the new version. Both return 1 when they changed the table, 0 when they lost the race.
CREATE FUNCTION orleans_insert_membership(
    deployment_id varchar, address_arg varchar, port_arg integer, generation_arg integer,
    silo_name varchar, host_name varchar, status_arg integer, proxy_port integer,
    start_time timestamptz, i_am_alive_time timestamptz, version_arg integer)
RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM OrleansMembershipVersionTable
        WHERE DeploymentId = deployment_id AND Version = version_arg FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    INSERT INTO OrleansMembershipTable
        (DeploymentId, Address, Port, Generation, SiloName, HostName, Status, ProxyPort, StartTime, IAmAliveTime)
        VALUES (deployment_id, address_arg, port_arg, generation_arg, silo_name, host_name, status_arg, proxy_port, start_time, i_am_alive_time)
        ON CONFLICT DO NOTHING;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    UPDATE OrleansMembershipVersionTable SET Version = Version + 1, Timestamp = now()
        WHERE DeploymentId = deployment_id;
    RETURN 1;
END
$$;

CREATE FUNCTION orleans_update_membership(
    deployment_id varchar, address_arg varchar, port_arg integer, generation_arg integer,
    status_arg integer, suspect_times varchar, i_am_alive_time timestamptz, version_arg integer)
RETURNS integer LANGUAGE plpgsql AS $$
BEGIN
    PERFORM 1 FROM OrleansMembershipVersionTable
        WHERE DeploymentId = deployment_id AND Version = version_arg FOR UPDATE;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    UPDATE OrleansMembershipTable
        SET Status = status_arg, SuspectTimes = suspect_times, IAmAliveTime = i_am_alive_time
        WHERE DeploymentId = deployment_id AND Address = address_arg AND Port = port_arg AND Generation = generation_arg;
    IF NOT FOUND THEN
        RETURN 0;
    END IF;
    UPDATE OrleansMembershipVersionTable SET Version = Version + 1, Timestamp = now()
        WHERE DeploymentId = deployment_id;
    RETURN 1;
END
$$;

-- Status 3 is SiloStatus.Active: cleanup removes stale rows of silos that are not (or no longer) active.
INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('InsertMembershipVersionKey', $q$
    WITH inserted AS (
        INSERT INTO OrleansMembershipVersionTable (DeploymentId) VALUES (@DeploymentId)
        ON CONFLICT DO NOTHING RETURNING 1)
    SELECT count(*) FROM inserted
$q$),
('InsertMembershipKey', $q$
    SELECT orleans_insert_membership(@DeploymentId, @Address, @Port, @Generation, @SiloName, @HostName,
        @Status, @ProxyPort, @StartTime, @IAmAliveTime, @Version)
$q$),
('UpdateMembershipKey', $q$
    SELECT orleans_update_membership(@DeploymentId, @Address, @Port, @Generation, @Status, @SuspectTimes,
        @IAmAliveTime, @Version)
$q$),
('UpdateIAmAlivetimeKey', $q$
    UPDATE OrleansMembershipTable SET IAmAliveTime = @IAmAliveTime
    WHERE DeploymentId = @DeploymentId AND Address = @Address AND Port = @Port AND Generation = @Generation
$q$),
-- The version row comes back even without a member, so a reader always learns the version.
('MembershipReadRowKey', $q$
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
        m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
        AND m.Address = @Address AND m.Port = @Port AND m.Generation = @Generation
    WHERE v.DeploymentId = @DeploymentId
$q$),
('MembershipReadAllKey', $q$
    SELECT v.DeploymentId, m.Address, m.Port, m.Generation, m.SiloName, m.HostName, m.Status, m.ProxyPort,
        m.SuspectTimes, m.StartTime, m.IAmAliveTime, v.Version
    FROM OrleansMembershipVersionTable v
    LEFT JOIN OrleansMembershipTable m ON m.DeploymentId = v.DeploymentId
    WHERE v.DeploymentId = @DeploymentId
$q$),
('DeleteMembershipTableEntriesKey', $q$
    DELETE FROM OrleansMembershipTable WHERE DeploymentId = @DeploymentId;
    DELETE FROM OrleansMembershipVersionTable WHERE DeploymentId = @DeploymentId
$q$),
('GatewaysQueryKey', $q$
    SELECT Address, ProxyPort, Generation FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND Status = @Status AND ProxyPort > 0
$q$),
('CleanupDefunctSiloEntriesKey', $q$
    DELETE FROM OrleansMembershipTable
    WHERE DeploymentId = @DeploymentId AND IAmAliveTime < @IAmAliveTime AND Status <> 3
$q$);

-- Reminders. GrainHash is the grain's uniform hash as a signed integer: each silo reads the
-- reminders of its hash range, which may wrap around (ReadRangeRows2Key).
CREATE TABLE OrleansRemindersTable (
    ServiceId varchar(150) NOT NULL,
    GrainId varchar(150) NOT NULL,
    ReminderName varchar(150) NOT NULL,
    StartTime timestamptz NOT NULL,
    Period bigint NOT NULL,
    GrainHash integer NOT NULL,
    Version integer NOT NULL,
    PRIMARY KEY (ServiceId, GrainId, ReminderName)
);
CREATE INDEX OrleansRemindersTable_GrainHash ON OrleansRemindersTable (ServiceId, GrainHash);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('UpsertReminderRowKey', $q$
    INSERT INTO OrleansRemindersTable (ServiceId, GrainId, ReminderName, StartTime, Period, GrainHash, Version)
    VALUES (@ServiceId, @GrainId, @ReminderName, @StartTime, @Period, @GrainHash, 0)
    ON CONFLICT (ServiceId, GrainId, ReminderName) DO UPDATE SET
        StartTime = excluded.StartTime, Period = excluded.Period, GrainHash = excluded.GrainHash,
        Version = OrleansRemindersTable.Version + 1
    RETURNING Version
$q$),
('ReadReminderRowsKey', $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId
$q$),
('ReadReminderRowKey', $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName
$q$),
('ReadRangeRows1Key', $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND GrainHash > @BeginHash AND GrainHash <= @EndHash
$q$),
('ReadRangeRows2Key', $q$
    SELECT GrainId, ReminderName, StartTime, Period, Version FROM OrleansRemindersTable
    WHERE ServiceId = @ServiceId AND (GrainHash > @BeginHash OR GrainHash <= @EndHash)
$q$),
('DeleteReminderRowKey', $q$
    WITH deleted AS (
        DELETE FROM OrleansRemindersTable
        WHERE ServiceId = @ServiceId AND GrainId = @GrainId AND ReminderName = @ReminderName AND Version = @Version
        RETURNING 1)
    SELECT count(*) FROM deleted
$q$),
('DeleteReminderRowsKey', $q$
    DELETE FROM OrleansRemindersTable WHERE ServiceId = @ServiceId
$q$);

-- Grain state. A grain is its type and key (N0, N1 and the string extension, stored as '' when
-- absent so the primary key can hold it); Version is the state's ETag. A write names the version
-- it read (none for a first write): a stale version changes nothing and returns no row, which the
-- provider reports as a conflict.
CREATE TABLE OrleansStorage (
    ServiceId varchar(150) NOT NULL,
    GrainTypeString varchar(512) NOT NULL,
    GrainIdN0 bigint NOT NULL,
    GrainIdN1 bigint NOT NULL,
    GrainIdExtensionString varchar(512) NOT NULL,
    GrainTypeHash integer NOT NULL,
    GrainIdHash integer NOT NULL,
    PayloadBinary bytea,
    ModifiedOn timestamptz NOT NULL,
    Version integer NOT NULL,
    PRIMARY KEY (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString)
);

INSERT INTO OrleansQuery (QueryKey, QueryText) VALUES
('WriteToStorageKey', $q$
    WITH updated AS (
        UPDATE OrleansStorage SET PayloadBinary = @PayloadBinary, ModifiedOn = now(), Version = Version + 1
        WHERE ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString AND GrainIdN0 = @GrainIdN0
            AND GrainIdN1 = @GrainIdN1 AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '')
            AND Version = @GrainStateVersion
        RETURNING Version),
    inserted AS (
        INSERT INTO OrleansStorage (ServiceId, GrainTypeString, GrainIdN0, GrainIdN1, GrainIdExtensionString,
            GrainTypeHash, GrainIdHash, PayloadBinary, ModifiedOn, Version)
        SELECT @ServiceId, @GrainTypeString, @GrainIdN0, @GrainIdN1, COALESCE(@GrainIdExtensionString, ''),
            @GrainTypeHash, @GrainIdHash, @PayloadBinary, now(), 1
        WHERE @GrainStateVersion IS NULL
        ON CONFLICT DO NOTHING
        RETURNING Version)
    SELECT Version AS NewGrainStateVersion FROM updated
    UNION ALL SELECT Version FROM inserted
$q$),
('ReadFromStorageKey', $q$
    SELECT PayloadBinary, Version FROM OrleansStorage
    WHERE ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString AND GrainIdN0 = @GrainIdN0
        AND GrainIdN1 = @GrainIdN1 AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '')
$q$),
('ClearStorageKey', $q$
    UPDATE OrleansStorage SET PayloadBinary = NULL, ModifiedOn = now(), Version = Version + 1
    WHERE ServiceId = @ServiceId AND GrainTypeString = @GrainTypeString AND GrainIdN0 = @GrainIdN0
        AND GrainIdN1 = @GrainIdN1 AND GrainIdExtensionString = COALESCE(@GrainIdExtensionString, '')
        AND Version = @GrainStateVersion
    RETURNING Version AS NewGrainStateVersion
$q$);
