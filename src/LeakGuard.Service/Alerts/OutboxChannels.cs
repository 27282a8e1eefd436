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
    }

    /// <summary>What <see cref="ILeakGuardStore.RecordScanAsync"/> writes outbox rows for.</summary>
    public IReadOnlyList<AlertChannel> ForStore { get; }

    /// <summary>Null when the channel has since been removed from the configuration.</summary>
    public IAlertChannel? Find(string name) => byName.GetValueOrDefault(name);

    public static string NameOf(AlertSettings settings)
    {
        byte[] digest = SHA256.HashData(Encoding.UTF8.GetBytes(settings.Destination));
        return $"{settings.Kind.ToString().ToLowerInvariant()}:{Convert.ToHexStringLower(digest)[..16]}";
    }
}
