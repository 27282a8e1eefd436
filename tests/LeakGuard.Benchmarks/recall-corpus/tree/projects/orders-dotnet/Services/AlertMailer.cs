using System.Net;
using System.Net.Mail;
using Microsoft.Extensions.Configuration;

namespace Orders.Services;

public sealed class AlertMailer(IConfiguration configuration)
{
    private const string WebhookUrl = "https://contoso.webhook.office.com/webhookb2/0bd501a9-e65a-4df4-a87d-d2b9bfbe8c80@f5fba217-19c2-4110-a233-7aaf38f336cd/IncomingWebhook/d1a08f5a4b05f0a88eb5d8373837f027/69d87cbb-8fc8-4b43-af57-ab3434dc58d4";
    private const string WorkflowUrl = "https://prod-27.westeurope.logic.azure.com:443/workflows/bfd2e610280ea052ba7c9921ee93b6bf/triggers/manual/paths/invoke?api-version=2016-06-01&sp=%2Ftriggers%2Fmanual%2Frun&sv=1.0&sig=jC1OG5BYVtMvkqI6BltqfqXWn_LtfWsKIAItRXXXnrl";

    public SmtpClient Create() => new("smtp.office365.com", 587)
    {
        EnableSsl = true,
        Credentials = new NetworkCredential("alerts@acme.io", "Alerts#Mailer2024"),
    };

    public SmtpClient CreateFromConfiguration() => new(configuration["Smtp:Host"], 587)
    {
        Credentials = new NetworkCredential(configuration["Smtp:User"], configuration["Smtp:Password"]),
    };

    public static string ApiKey => Environment.GetEnvironmentVariable("ORDERS_API_KEY") ?? "";
    private const string PasswordResetRoute = "/account/password/reset";
    private const string InstrumentationKey = "d0db09fd-fd08-4004-ad47-e8ea2272fa91";
}
