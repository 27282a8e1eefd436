using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Text.Json;

namespace LeakGuard.Cli.Tests.Images;

/// <summary>
/// The token service of the distribution spec's token authentication, for a real registry
/// configured with <c>auth: token</c>: <c>GET /token?service=…&amp;scope=…</c> with Basic
/// credentials answers <c>{"token": JWT}</c>, an RS256 JWT whose <c>x5c</c> header carries the
/// certificate the registry trusts, granting the scope's repository pull and push. Wrong or
/// missing credentials get a 401. No such service ships in Debian; this one follows the
/// documented shapes (docs.docker.com "Token Authentication Specification").
/// </summary>
public sealed class TokenService : IDisposable
{
    public const string Service = "leakguard-registry";
    public const string Issuer = "leakguard-test-issuer";

    private readonly LoopbackServer _server;
    private readonly RSA _key = RSA.Create(2048);
    private readonly X509Certificate2 _certificate;
    private int _issued;

    public string Realm => $"http://127.0.0.1:{_server.Port}/token";

    public string CertificatePem => _certificate.ExportCertificatePem();

    /// <summary>Tokens handed out (the scan must have asked for one).</summary>
    public int Issued => Volatile.Read(ref _issued);

    public TokenService(string user, string password)
    {
        var request = new CertificateRequest("CN=leakguard token signer", _key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        _certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddHours(-1), DateTimeOffset.UtcNow.AddHours(1));
        string expected = "Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{user}:{password}"));
        _server = new LoopbackServer(context =>
        {
            if (context.Request.Headers["Authorization"] != expected)
            {
                context.Response.StatusCode = 401;
                return;
            }
            string scope = context.Request.QueryString["scope"] ?? "";
            byte[] body = JsonSerializer.SerializeToUtf8Bytes(new { token = Token(user, scope), expires_in = 300 });
            Interlocked.Increment(ref _issued);
            context.Response.ContentType = "application/json";
            context.Response.OutputStream.Write(body);
        });
    }

    /// <summary>A JWT granting the repositories in <paramref name="scope"/> (<c>repository:NAME:ACTIONS</c>, space-separated) pull and push.</summary>
    private string Token(string subject, string scope)
    {
        long now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var access = scope.Split(' ', StringSplitOptions.RemoveEmptyEntries)
            .Select(s => s.Split(':'))
            .Where(parts => parts.Length == 3 && parts[0] == "repository")
            .Select(parts => new { type = "repository", name = parts[1], actions = new[] { "pull", "push" } });
        string header = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new { alg = "RS256", typ = "JWT", x5c = new[] { Convert.ToBase64String(_certificate.RawData) } }));
        string claims = Base64Url(JsonSerializer.SerializeToUtf8Bytes(new
        {
            iss = Issuer, sub = subject, aud = Service, exp = now + 300, nbf = now - 60, iat = now, jti = Guid.NewGuid().ToString("N"), access,
        }));
        byte[] signature = _key.SignData(Encoding.ASCII.GetBytes($"{header}.{claims}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return $"{header}.{claims}.{Base64Url(signature)}";
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public void Dispose()
    {
        _server.Dispose();
        _certificate.Dispose();
        _key.Dispose();
    }
}
