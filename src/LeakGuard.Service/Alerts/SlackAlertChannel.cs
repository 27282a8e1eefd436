using System.Text;
using System.Text.Json;
using LeakGuard.Core.Findings;

namespace LeakGuard.Service.Alerts;

/// <summary>Posts a readable message to a Slack incoming webhook: what leaked, where, and how bad.</summary>
public sealed class SlackAlertChannel(HttpClient http, Uri url, TimeSpan? timeout = null) : IAlertChannel
{
    public string Description => $"slack {HttpAlertPost.Describe(url)}";

    public Task<AlertDelivery> DeliverAsync(Alert alert, CancellationToken cancellationToken) =>
        HttpAlertPost.SendAsync(http, url, Body(alert), _ => { }, timeout ?? HttpAlertPost.DefaultTimeout, cancellationToken);

    public static byte[] Body(Alert alert)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("text", Message(alert));
            json.WriteEndObject();
        }
        return buffer.ToArray();
    }

    /// <summary>
    /// Example: <c>*LeakGuard: critical* GitHub personal access token (classic) in `@acme/cli` 2.1.0</c>,
    /// then path, redacted secret, rule and fingerprint on the second line, and for a finding new
    /// in this version, the version before it and what this one added.
    /// </summary>
    public static string Message(Alert alert)
    {
        string where = alert switch
        {
            { Package: { } package, Version: { } version } => $"in `{Escape(package)}` {Escape(version)}",
            { Package: { } package } => $"in `{Escape(package)}`",
            { Repository: { } repository, Commit: { } commit } => $"in {Escape(repository)} at commit `{Escape(commit)}`",
            { Repository: { } repository } => $"in {Escape(repository)}",
            _ => $"in {Escape(alert.Target)}",
        };
        var text = new StringBuilder()
            .Append($"*LeakGuard: {alert.Severity.Name()}* {alert.Event switch { Storage.OutboxMessage.LiveAgain => "works again: ", Storage.OutboxMessage.Reopened => "found again after it was resolved: ", _ => "" }}{Escape(alert.Title)} {where}\n")
            .Append($"`{Escape(alert.Path)}`")
            // An exposure (a source map, a shipped file) has no secret to show.
            .Append(alert.Secret is null ? "" : $" · secret `{Escape(alert.Secret)}`")
            .Append($" · rule `{Escape(alert.RuleId)}` · fingerprint `{Escape(alert.Fingerprint)}`");
        if (alert.NewSince is not null)
        {
            text.Append($"\nNew since {Escape(alert.NewSince)}");
            foreach (string change in alert.ReleaseChanges ?? [])
            {
                text.Append($"\n• {Escape(change)}");
            }
        }
        return text.ToString();
    }

    /// <summary>Slack reads &amp;, &lt; and &gt; as markup; a file name must not become a link or a mention.</summary>
    private static string Escape(string text) => text.Replace("&", "&amp;").Replace("<", "&lt;").Replace(">", "&gt;");
}
