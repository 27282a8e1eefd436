using LeakGuard.Core.Findings;
using LeakGuard.Storage;

namespace LeakGuard.Service.Tests.Support;

/// <summary>A real SQLite store in a temporary folder, and findings to put in it.</summary>
internal sealed class TemporaryStore : IAsyncDisposable
{
    public const string Target = "npm:@acme/cli";

    private readonly string directory = Directory.CreateTempSubdirectory("leakguard-service-store-").FullName;

    public ILeakGuardStore Store { get; private set; } = null!;

    /// <param name="time">The store's clock, which decides when leases run out and rows fall due.</param>
    public static async Task<TemporaryStore> OpenAsync(TimeProvider? time = null)
    {
        var temporary = new TemporaryStore();
        temporary.Store = await StoreFactory.OpenAsync("sqlite:" + Path.Join(temporary.directory, "leakguard.db"), time);
        return temporary;
    }

    public static Finding AFinding(string fingerprint, Severity severity) => new()
    {
        RuleId = "github.pat",
        Kind = FindingKind.Secret,
        Severity = severity,
        Title = "GitHub personal access token (classic)",
        Location = new Location { Path = "@acme/cli@2.1.0.tgz!package/dist/cli.js", Package = "@acme/cli", Version = "2.1.0" },
        Secret = "ghp_…G5iK",
        Fingerprint = fingerprint,
    };

    public async ValueTask DisposeAsync()
    {
        await Store.DisposeAsync();
        Directory.Delete(directory, recursive: true);
    }
}

/// <summary>A clock that moves only when told to.</summary>
/// <remarks>Safe to advance while a loop on another thread reads it. Timers (<c>Task.Delay</c>
/// with this provider) still run on real time.</remarks>
internal sealed class ManualClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock gate = new();
    private DateTimeOffset now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (gate)
        {
            now += by;
        }
    }
}
