using LeakGuard.Core.Findings;
using LeakGuard.Service.Configuration;

namespace LeakGuard.Service.Alerts;

/// <summary>
/// The configured channels, each with the least severity it wants. Owns the HTTP client they
/// share: redirects are not followed, so a receiver that moved is a visible failure rather than
/// an alert body forwarded to wherever a redirect points.
/// </summary>
public sealed class AlertChannels : IDisposable
{
    private readonly HttpClient http = new(new SocketsHttpHandler
    {
        AllowAutoRedirect = false,
        ConnectTimeout = TimeSpan.FromSeconds(10),
        // Re-resolve receivers now and then, so a webhook that moves to a new address is followed.
        PooledConnectionLifetime = TimeSpan.FromMinutes(5),
    })
    {
        // Each channel bounds its own attempt (its `timeout:`, else HttpAlertPost.DefaultTimeout).
        Timeout = Timeout.InfiniteTimeSpan,
    };

    public AlertChannels(IEnumerable<AlertSettings> settings)
    {
        Configured = [.. settings.Select(s => new ConfiguredChannel(Create(s), s.MinSeverity))];
    }

    public IReadOnlyList<ConfiguredChannel> Configured { get; }

    /// <summary>The channels a finding of this severity goes to.</summary>
    public IEnumerable<IAlertChannel> For(Severity severity) =>
        Configured.Where(c => severity >= c.MinSeverity).Select(c => c.Channel);

    public void Dispose() => http.Dispose();

    private IAlertChannel Create(AlertSettings settings) => settings.Kind switch
    {
        AlertChannelKind.Webhook => new WebhookAlertChannel(http, new Uri(settings.Destination), settings.SigningSecret, settings.Timeout),
        AlertChannelKind.Slack => new SlackAlertChannel(http, new Uri(settings.Destination), settings.Timeout),
        AlertChannelKind.File => new FileAlertChannel(settings.Destination),
        _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Kind, "unknown alert channel"),
    };
}

public sealed record ConfiguredChannel(IAlertChannel Channel, Severity MinSeverity);
