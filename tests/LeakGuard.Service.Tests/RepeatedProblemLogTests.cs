using LeakGuard.Service.Tests.Support;
using Serilog.Events;

namespace LeakGuard.Service.Tests;

public sealed class RepeatedProblemLogTests : IDisposable
{
    private readonly LogLines logs = new();
    private readonly Serilog.Core.Logger logger;
    private readonly RepeatedProblemLog problems;

    public RepeatedProblemLogTests()
    {
        logger = logs.CreateLogger();
        problems = new RepeatedProblemLog(logger, "polling", "poll");
    }

    [Fact]
    public void The_same_reason_is_logged_once_and_the_recovery_once_with_the_count()
    {
        for (int i = 0; i < 7; i++)
        {
            problems.Failed("npm:x", "npm:x", "registry answered 503");
        }
        problems.Succeeded("npm:x", "npm:x");
        problems.Succeeded("npm:x", "npm:x");

        Assert.Equal(
            [
                (LogEventLevel.Warning, "npm:x: polling failed: registry answered 503 (logged again when the reason changes)"),
                (LogEventLevel.Information, "npm:x: polling works again after 7 failed polls"),
            ],
            logs.All);
    }

    [Fact]
    public void A_new_reason_is_logged_again_naming_the_old_one()
    {
        problems.Failed("npm:x", "npm:x", "registry answered 503");
        problems.Failed("npm:x", "npm:x", "registry answered 503");
        problems.Failed("npm:x", "npm:x", "connection refused");
        problems.Failed("npm:x", "npm:x", "connection refused");
        problems.Succeeded("npm:x", "npm:x");

        Assert.Equal(
            [
                "npm:x: polling failed: registry answered 503 (logged again when the reason changes)",
                "npm:x: polling failed: connection refused (until now: registry answered 503)",
            ],
            logs.At(LogEventLevel.Warning));
        Assert.Equal(["npm:x: polling works again after 4 failed polls"], logs.At(LogEventLevel.Information));
    }

    [Fact]
    public void Keys_are_apart_even_when_they_share_a_name()
    {
        problems.Succeeded("slack:a", "slack https://hooks.slack.com");
        problems.Failed("slack:b", "slack https://hooks.slack.com", "receiver answered 404 Not Found");
        problems.Succeeded("slack:a", "slack https://hooks.slack.com");
        problems.Failed("slack:b", "slack https://hooks.slack.com", "receiver answered 404 Not Found");
        problems.Failed("slack:a", "slack https://hooks.slack.com", "receiver answered 404 Not Found");
        problems.Succeeded("slack:a", "slack https://hooks.slack.com");

        Assert.Equal(
            [
                (LogEventLevel.Warning, "slack https://hooks.slack.com: polling failed: receiver answered 404 Not Found (logged again when the reason changes)"),
                (LogEventLevel.Warning, "slack https://hooks.slack.com: polling failed: receiver answered 404 Not Found (logged again when the reason changes)"),
                (LogEventLevel.Information, "slack https://hooks.slack.com: polling works again after 1 failed poll"),
            ],
            logs.All);
    }

    [Fact]
    public void A_success_without_failures_logs_nothing()
    {
        problems.Succeeded("npm:x", "npm:x");

        Assert.Empty(logs.All);
    }

    public void Dispose() => logger.Dispose();
}
