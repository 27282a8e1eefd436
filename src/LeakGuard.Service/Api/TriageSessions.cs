using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;

namespace LeakGuard.Service.Api;

/// <summary>
/// Sessions of the triage page: signing in with the API key gives a random session token (kept by
/// the browser in an HttpOnly cookie) and a random CSRF token (kept by the page, sent as
/// <see cref="CsrfHeader"/> with every state-changing request). Only the SHA-256 of a session
/// token is held, so a memory dump does not hand out sessions. Sessions live in this process:
/// a restart signs everyone out, which for a page used a few times a day costs a sign-in.
/// </summary>
public sealed class TriageSessions(TimeProvider time)
{
    public const string CookieName = "leakguard-session";
    public const string CsrfHeader = "X-LeakGuard-CSRF";

    /// <summary>How long a session lasts from sign-in, whatever its use.</summary>
    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(8);

    /// <summary>Sessions held at most; signing in beyond it ends the oldest, so sign-ins cannot fill memory.</summary>
    public const int MaxSessions = 1000;

    public sealed record Session(string Csrf, DateTimeOffset Expires, string Actor);

    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);

    /// <summary>A new session: the token for the cookie and the session (with its CSRF token).</summary>
    public (string Token, Session Session) Start()
    {
        var now = time.GetUtcNow();
        string token = RandomToken();
        var session = new Session(RandomToken(), now + Lifetime, $"triage page session {Digest(token)[..8]}");
        RemoveExpired(now);
        while (_sessions.Count >= MaxSessions && _sessions.MinBy(s => s.Value.Expires) is { Key: { } oldest })
        {
            _sessions.TryRemove(oldest, out _);
        }
        _sessions[Digest(token)] = session;
        return (token, session);
    }

    /// <summary>The live session the token names, or null (unknown, ended or expired).</summary>
    public Session? Find(string? token)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 100 || !_sessions.TryGetValue(Digest(token), out var session))
        {
            return null;
        }
        if (session.Expires <= time.GetUtcNow())
        {
            _sessions.TryRemove(Digest(token), out _);
            return null;
        }
        return session;
    }

    public void End(string token) => _sessions.TryRemove(Digest(token), out _);

    /// <summary>Whether the header carries this session's CSRF token, compared in constant time.</summary>
    public static bool CsrfMatches(Session session, string? header) =>
        header is not null && CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header), Encoding.UTF8.GetBytes(session.Csrf));

    private void RemoveExpired(DateTimeOffset now)
    {
        foreach (var (digest, session) in _sessions)
        {
            if (session.Expires <= now)
            {
                _sessions.TryRemove(digest, out _);
            }
        }
    }

    private static string RandomToken() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static string Digest(string token) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(token)));
}
