using System.Diagnostics;
using System.Net;
using LeakGuard.Cli.Tests.Registry;
using LeakGuard.Processes;

namespace LeakGuard.Cli.Tests.Images;

/// <summary>
/// A real OCI registry: Debian's docker-registry (the CNCF distribution registry, installed by
/// tests/setup/containers.sh) on 127.0.0.1 with a free port (it cannot take port 0), filesystem
/// storage in a temp folder and, when asked, htpasswd (Basic) authentication. Killed on dispose.
/// </summary>
public sealed class DistributionRegistry : IDisposable
{
    private readonly RunningProcess _process;

    public string Root { get; } = Directory.CreateTempSubdirectory("leakguard-oci-registry-").FullName;

    /// <summary>host:port, as oci: targets and podman name the registry.</summary>
    public string Host { get; }

    /// <param name="tokenAuth">Token authentication (the distribution spec's Bearer flow): the
    /// realm, service, issuer and the certificate (PEM) whose key signs the tokens.</param>
    public DistributionRegistry(string? user = null, string? password = null, (string Realm, string Service, string Issuer, string CertificatePem)? tokenAuth = null)
    {
        int port = Watch.WebhookReceiver.FreePort();
        Host = $"127.0.0.1:{port}";
        string auth = "";
        if (user is not null)
        {
            // The registry accepts bcrypt entries only.
            File.WriteAllText(Path.Join(Root, "htpasswd"), ExternalTool.Run(Root, "htpasswd", "-Bbn", user, password!));
            auth = $"auth:\n  htpasswd:\n    realm: leakguard-test\n    path: {Path.Join(Root, "htpasswd")}\n";
        }
        if (tokenAuth is { } token)
        {
            File.WriteAllText(Path.Join(Root, "token-signer.pem"), token.CertificatePem);
            auth = $"auth:\n  token:\n    realm: {token.Realm}\n    service: {token.Service}\n    issuer: {token.Issuer}\n    rootcertbundle: {Path.Join(Root, "token-signer.pem")}\n";
        }
        File.WriteAllText(Path.Join(Root, "config.yml"), $"""
            version: 0.1
            log:
              level: warn
            storage:
              filesystem:
                rootdirectory: {Path.Join(Root, "data")}
            http:
              addr: {Host}
            {auth}
            """);
        _process = ProcessRunner.Start(new ProcessCommand("docker-registry", "serve", Path.Join(Root, "config.yml")) { WorkingDirectory = Root });
        WaitUntilReady();
    }

    /// <summary>Where the registry keeps a blob's bytes (tests tamper with them).</summary>
    public string BlobFile(string digest) => Path.Join(Root, "data", "docker", "registry", "v2", "blobs", "sha256", digest[7..9], digest[7..], "data");

    private void WaitUntilReady()
    {
        using var client = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"docker-registry exited with {_process.ExitCode} before it was ready: {_process.Output}");
            }
            try
            {
                var status = client.GetAsync(new Uri($"http://{Host}/v2/")).GetAwaiter().GetResult().StatusCode;
                if (status is HttpStatusCode.OK or HttpStatusCode.Unauthorized)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }
            Thread.Sleep(100);
        }
        Dispose();
        throw new InvalidOperationException("docker-registry was not ready within 60 s");
    }

    public void Dispose()
    {
        _process.Dispose();
        try
        {
            Directory.Delete(Root, recursive: true);
        }
        catch (IOException)
        {
        }
    }
}
