using LeakGuard.Processes;

namespace LeakGuard.Tests.Shared;

/// <summary>
/// A real image built by podman (vfs storage in a temp folder, chroot isolation: it runs as root
/// without a daemon or cgroups; tests/setup/containers.sh installs it), with a secret in each
/// place an image hides one: a file a later layer deletes (a real whiteout, made by busybox's
/// rm), a file a later layer replaces, a file the final image still has, an ENV value (in the
/// config) and an ARG value used by a RUN (in the history's created_by). Built once per test
/// process; saved or pushed on demand. A linked file in the Core and CLI test projects.
/// </summary>
public sealed class PodmanImage
{
    public const string DeletedToken = "ghp_1etedInLayerThreeXw1cR7nB3dF6hYsDel1";
    public const string ReplacedToken = "ghp_ep1acedInLayerFourXw1cR7nB3dF6hYRep2";
    public const string KeptToken = "ghp_KeptInTheFinalImageXw1cR7nB3dF6hKep3";
    public const string EnvToken = "ghp_nvVarInTheConfigXw1cR7nB3dF6hYs0Env4";
    public const string ArgToken = "ghp_uildArgInHistoryXw1cR7nB3dF6hYs0Arg5";
    public const string ArmToken = "ghp_ArmOnlyTokenXw1cR7nB3dF6hYs0aEuGArm6";
    public const string SecondVersionToken = "ghp_AddedInVersionTwoXw1cR7nB3dF6hYsTwo7";
    public const string Tag = "localhost/leaky:1";
    private const string SecondTag = "localhost/leaky:2";
    private const string ListTag = "localhost/leaky-list:1";

    private static readonly Lazy<PodmanImage> Built = new(() => new PodmanImage());

    private readonly Lazy<bool> _list;
    private readonly Lazy<bool> _second;

    private readonly string _dir = Directory.CreateTempSubdirectory("leakguard-podman-").FullName;

    public static PodmanImage Leaky => Built.Value;

    private PodmanImage()
    {
        string context = Path.Join(_dir, "context");
        Directory.CreateDirectory(Path.Join(context, "app"));
        File.Copy("/bin/busybox", Path.Join(context, "busybox"));
        File.WriteAllText(Path.Join(context, "app", ".env"), $"TOKEN={DeletedToken}\n");
        File.WriteAllText(Path.Join(context, "app", "main.js"), $"const token = \"{ReplacedToken}\";\n");
        File.WriteAllText(Path.Join(context, "app", "keep.js"), $"const token = \"{KeptToken}\";\n");
        File.WriteAllText(Path.Join(context, "clean.js"), "console.log('nothing to see');\n");
        File.WriteAllText(Path.Join(context, "Containerfile"), $"""
            FROM scratch
            ENV API_TOKEN={EnvToken}
            ARG BUILD_TOKEN
            COPY busybox /bin/busybox
            COPY app/ /usr/app/
            RUN ["/bin/busybox", "rm", "/usr/app/.env"]
            COPY clean.js /usr/app/main.js
            """);
        Podman(["build", "--isolation", "chroot", "--build-arg", $"BUILD_TOKEN={ArgToken}", "-q", "-t", Tag, context]);
        _list = new(BuildList);
        _second = new(BuildSecondVersion);
    }

    /// <summary>A manifest list of this image (linux/amd64) and a linux/arm64 image holding
    /// <see cref="ArmToken"/> (COPY only: nothing runs, so no emulator is needed).</summary>
    private bool BuildList()
    {
        string context = Path.Join(_dir, "arm");
        Directory.CreateDirectory(context);
        File.WriteAllText(Path.Join(context, "arm.js"), $"const k = \"{ArmToken}\";\n");
        File.WriteAllText(Path.Join(context, "Containerfile"), "FROM scratch\nCOPY arm.js /arm.js\n");
        Podman(["build", "--isolation", "chroot", "--platform", "linux/arm64", "-q", "-t", "localhost/leaky-arm:1", context]);
        Podman(["manifest", "create", ListTag]);
        Podman(["manifest", "add", ListTag, $"containers-storage:{Tag}"]);
        Podman(["manifest", "add", ListTag, "containers-storage:localhost/leaky-arm:1"]);
        return true;
    }

    /// <summary>Pushes version 2: this image plus one layer adding usr/app/new.js with <see cref="SecondVersionToken"/>.</summary>
    public void PushSecondVersion(string reference)
    {
        _ = _second.Value;
        Podman(["push", "-q", "--tls-verify=false", SecondTag, reference]);
    }

    private bool BuildSecondVersion()
    {
        string context = Path.Join(_dir, "v2");
        Directory.CreateDirectory(context);
        File.WriteAllText(Path.Join(context, "new.js"), $"const added = \"{SecondVersionToken}\";\n");
        File.WriteAllText(Path.Join(context, "Containerfile"), $"FROM {Tag}\nCOPY new.js /usr/app/new.js\n");
        Podman(["build", "--isolation", "chroot", "-q", "-t", SecondTag, context]);
        return true;
    }

    /// <summary>Pushes the two-platform manifest list and both images.</summary>
    public void PushMultiPlatform(string reference)
    {
        _ = _list.Value;
        Podman(["manifest", "push", "-q", "--all", "--tls-verify=false", ListTag, reference]);
    }

    /// <summary>The image saved by <c>podman save --format <paramref name="format"/></c>
    /// (docker-archive: plain tar layers; oci-archive: gzip layers).</summary>
    public string Save(string format)
    {
        string file = Path.Join(_dir, $"{format}.tar");
        if (!File.Exists(file))
        {
            Podman(["save", "--format", format, "-o", file, Tag]);
        }
        return file;
    }

    /// <summary>The image as an OCI layout folder (<c>podman save --format oci-dir</c>).</summary>
    public string SaveDirectory()
    {
        string dir = Path.Join(_dir, "oci-dir");
        if (!Directory.Exists(dir))
        {
            Podman(["save", "--format", "oci-dir", "-o", dir, Tag]);
        }
        return dir;
    }

    /// <summary>The image as an oci-archive with zstd layers (<c>podman push oci-archive:…</c>).</summary>
    public string SaveZstd()
    {
        string file = Path.Join(_dir, "zstd.tar");
        if (!File.Exists(file))
        {
            Podman(["push", "-q", "--compression-format", "zstd", Tag, $"oci-archive:{file}"]);
        }
        return file;
    }

    /// <summary>Pushes the image to a registry over plain http (a test registry on 127.0.0.1).</summary>
    public void Push(string reference, string? credentials = null) =>
        Podman(["push", "-q", "--tls-verify=false", .. credentials is null ? Array.Empty<string>() : ["--creds", credentials], Tag, reference]);

    private void Podman(string[] args) =>
        ProcessRunner.Run(
            new ProcessCommand("podman", ["--storage-driver", "vfs", "--root", Path.Join(_dir, "storage"), "--runroot", Path.Join(_dir, "run"), .. args])
            {
                WorkingDirectory = _dir,
                Description = $"podman {args[0]}",
            },
            TimeSpan.FromMinutes(5)).EnsureSuccess();
}
