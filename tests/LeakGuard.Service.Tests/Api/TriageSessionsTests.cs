using LeakGuard.Service.Api;
using LeakGuard.Service.Tests.Support;

namespace LeakGuard.Service.Tests.Api;

public sealed class TriageSessionsTests
{
    private readonly ManualClock clock = new(new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero));

    [Fact]
    public void A_session_lasts_its_lifetime_from_sign_in_and_no_longer()
    {
        var sessions = new TriageSessions(clock);
        var (token, session) = sessions.Start();

        clock.Advance(TriageSessions.Lifetime - TimeSpan.FromSeconds(1));
        Assert.Equal(session, sessions.Find(token));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(sessions.Find(token));
    }

    [Fact]
    public void Tokens_are_random_and_only_a_started_session_is_found()
    {
        var sessions = new TriageSessions(clock);
        var (first, a) = sessions.Start();
        var (second, b) = sessions.Start();

        Assert.NotEqual(first, second);
        Assert.NotEqual(a.Csrf, b.Csrf);
        Assert.True(first.Length >= 40);
        Assert.Null(sessions.Find(a.Csrf));
        Assert.Null(sessions.Find(""));
        Assert.Null(sessions.Find(null));
        sessions.End(first);
        Assert.Null(sessions.Find(first));
        Assert.Equal(b, sessions.Find(second));
    }

    [Fact]
    public void Signing_in_beyond_the_limit_ends_the_oldest_session()
    {
        var sessions = new TriageSessions(clock);
        var (oldest, _) = sessions.Start();
        clock.Advance(TimeSpan.FromSeconds(1));
        var (next, _) = sessions.Start();
        for (int i = 2; i < TriageSessions.MaxSessions; i++)
        {
            sessions.Start();
        }
        Assert.NotNull(sessions.Find(oldest));

        sessions.Start();

        Assert.Null(sessions.Find(oldest));
        Assert.NotNull(sessions.Find(next));
    }

    [Fact]
    public void The_CSRF_token_must_match_exactly()
    {
        var (_, session) = new TriageSessions(clock).Start();

        Assert.True(TriageSessions.CsrfMatches(session, session.Csrf));
        Assert.False(TriageSessions.CsrfMatches(session, session.Csrf[..^1]));
        Assert.False(TriageSessions.CsrfMatches(session, null));
        Assert.False(TriageSessions.CsrfMatches(session, ""));
    }
}
