using System.Security.Cryptography;
using System.Text;
using LeakGuard.Service.Configuration;
using LeakGuard.Storage;

namespace LeakGuard.Service.Alerts;

/// <summary>
/// The configured channels under the names the store's outbox files messages by. A name is the
/// channel's kind and a hash of its destination, so reordering <c>alerts:</c> in the config does
/// not send queued alerts to the wrong receiver, and a Slack URL (itself a secret) is never stored.
/// </summary>
public sealed class OutboxChannels
{
    private readonly Dictionary<string, IAlertChannel> byName = new(StringComparer.Ordinal);

    public OutboxChannels(IReadOnlyList<AlertSettings> settings, AlertChannels channels)
    {
        var names = new List<AlertChannel>();
        for (int i = 0; i < settings.Count; i++)
        {
            string name = NameOf(settings[i]);
            // The same destination configured twice is one receiver: it gets each alert once.
            if (byName.TryAdd(name, channels.Configured[i].Channel))
            {
                names.Add(new AlertChannel(name, settings[i].MinSeverity));
            }
        }
        ForStore = names;
        Lease = LeaseFor(settings);
    }

    /// <summary>What <see cref="ILeakGuardStore.RecordScanAsync"/> writes outbox rows for.</summary>
    public IReadOnlyList<AlertChannel> ForStore { get; }

    /// <summary>How long the delivery loop claims these channels' messages for; see <see cref="LeaseFor"/>.</summary>
    public TimeSpan Lease { get; }

    /// <summary>Null when the channel has since been removed from the configuration.</summary>
    public IAlertChannel? Find(string name) => byName.GetValueOrDefault(name);

    /// <summary>
    /// Twice the longest attempt plus 5 s, at least 10 s. The lease must outlast any attempt, or a
    /// second worker on the same store would claim a message still being sent and deliver it twice;
    /// the slack covers writing the result back and clocks that differ a little between workers.
    /// It is no longer than that because a worker killed mid-delivery holds its alert back until
    /// the lease runs out. A file append has no timeout of its own and counts as nothing here.
    /// The lease is sized for one attempt, which is why the delivery loop claims one message at a time.
    /// </summary>
    public static TimeSpan LeaseFor(IEnumerable<AlertSettings> settings)
    {
        var longest = settings
            .Where(s => s.Kind != AlertChannelKind.File)
            .Select(s => s.Timeout ?? HttpAlertPost.DefaultTimeout)
            .DefaultIfEmpty(TimeSpan.Zero)
            .Max();
        var lease = (2 * longest) + TimeSpan.FromSeconds(5);
        return lease < TimeSpan.FromSeconds(10) ? TimeSpan.FromSeconds(10) : lease;
    }

    public static string NameOf(AlertSettings settings)
    {
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(settings.Destination));
        return $"{settings.Kind.ToString().ToLowerInvariant()}:{Convert.ToHexStringLower(digest)[..16]}";
    }
}
