using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using LeakGuard.Service.Configuration;
using YamlDotNet.RepresentationModel;

namespace LeakGuard.Service.Tests.Container;

/// <summary>
/// The Dockerfile and docker/ compose files, held to the repository they build from.
/// <para>
/// Why not build the image here: the base images (mcr.microsoft.com/dotnet/sdk, debian) cannot
/// be pulled on these machines. A build against local stand-ins is possible and
/// tests/container/podman-smoke.sh does it (a debootstrapped Debian for debian:trixie-slim; that
/// rootfs plus the host's .NET SDK for the SDK image), then runs the image: <c>leakguard watch</c>
/// scans a git repository, writes the alert, serves /metrics on the exposed port as uid 10001, and
/// exits 0 on SIGTERM. It is not part of ./test: it needs about 1.2 GB of local images and several
/// minutes of the two shared cores per build, and its stand-ins are not the real base images.
/// </para>
/// <para>
/// What runs every time instead are checks that fail when the Dockerfile drifts from the
/// repository: every COPY source exists and is not excluded by .dockerignore; the restore layer
/// has every project the CLI builds from; the published binary is the CLI's assembly and is what
/// the entry point runs; ENTRYPOINT plus CMD is a command line the CLI accepts; EXPOSE is the
/// service's default port and the one the compose config listens on and publishes; the config
/// path in CMD is where compose mounts it; the SDK image is the target framework's version.
/// </para>
/// </summary>
public sealed class ContainerFilesTests
{
    private static readonly string Root = RepositoryRoot();

    private static readonly Lazy<List<Instruction>> Dockerfile = new(() => ParseDockerfile(File.ReadAllText(Path.Join(Root, "Dockerfile"))));

    private sealed record Instruction(string Keyword, string Arguments, int Stage);

    private static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Join(dir.FullName, "LeakGuard.sln")) && File.Exists(Path.Join(dir.FullName, "Dockerfile")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no repository root above {AppContext.BaseDirectory}");
    }

    /// <summary>Instructions with continuations joined and comments dropped, numbered by stage.</summary>
    private static List<Instruction> ParseDockerfile(string text)
    {
        var instructions = new List<Instruction>();
        int stage = -1;
        string pending = "";
        foreach (string raw in text.Split('\n'))
        {
            string line = raw.TrimEnd('\r');
            if (line.TrimStart().StartsWith('#') || (line.Trim().Length == 0 && pending.Length == 0))
            {
                continue;
            }
            if (line.EndsWith('\\'))
            {
                pending += line[..^1] + " ";
                continue;
            }
            string whole = (pending + line).Trim();
            pending = "";
            int space = whole.IndexOf(' ', StringComparison.Ordinal);
            string keyword = whole[..space].ToUpperInvariant();
            if (keyword == "FROM")
            {
                stage++;
            }
            instructions.Add(new Instruction(keyword, Regex.Replace(whole[(space + 1)..].Trim(), @"\s+", " "), stage));
        }
        return instructions;
    }

    private static List<Instruction> Stage(int stage) => [.. Dockerfile.Value.Where(i => i.Stage == stage)];

    private static int FinalStage => Dockerfile.Value.Max(i => i.Stage);

    private static int StageNamed(string name) => Assert.Single(Dockerfile.Value,
        i => i.Keyword == "FROM" && i.Arguments.EndsWith($" AS {name}", StringComparison.OrdinalIgnoreCase)).Stage;

    /// <summary>A COPY's flags, sources and destination (shell or JSON form).</summary>
    private static (Dictionary<string, string> Flags, List<string> Sources, string Destination) Copy(Instruction copy)
    {
        var words = copy.Arguments.StartsWith('[')
            ? JsonSerializer.Deserialize<List<string>>(copy.Arguments)!
            : [.. copy.Arguments.Split(' ')];
        var flags = words.TakeWhile(w => w.StartsWith("--", StringComparison.Ordinal))
            .Select(w => w[2..].Split('=', 2)).ToDictionary(f => f[0], f => f.Length > 1 ? f[1] : "");
        var rest = words.Skip(flags.Count).ToList();
        return (flags, rest[..^1], rest[^1]);
    }

    private static List<string> JsonForm(string keyword) =>
        JsonSerializer.Deserialize<List<string>>(Assert.Single(Stage(FinalStage), i => i.Keyword == keyword).Arguments)!;

    private static XDocument Project(string relative) => XDocument.Load(Path.Join(Root, relative));

    /// <summary>src/LeakGuard.Cli/LeakGuard.Cli.csproj and every project it references, directly or not.</summary>
    private static List<string> CliProjectClosure()
    {
        var seen = new List<string>();
        var queue = new Queue<string>(["src/LeakGuard.Cli/LeakGuard.Cli.csproj"]);
        while (queue.TryDequeue(out string? project))
        {
            if (seen.Contains(project))
            {
                continue;
            }
            seen.Add(project);
            string folder = Path.GetDirectoryName(project)!;
            foreach (var reference in Project(project).Descendants("ProjectReference"))
            {
                string full = Path.GetFullPath(Path.Join(Root, folder, reference.Attribute("Include")!.Value));
                queue.Enqueue(Path.GetRelativePath(Root, full).Replace('\\', '/'));
            }
        }
        return seen;
    }

    private static YamlMappingNode Compose()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Join(Root, "docker", "compose.yaml"))));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Service(string name) =>
        (YamlMappingNode)((YamlMappingNode)Compose()["services"])[name];

    private static IEnumerable<string> Strings(YamlNode node) =>
        node is YamlSequenceNode list ? list.Children.Select(c => ((YamlScalarNode)c).Value!) : [((YamlScalarNode)node).Value!];

    private static ServiceSettings ImageConfig()
    {
        string path = Path.Join(Root, "docker", "leakguard.yaml");
        return ServiceConfigurationParser.Parse(File.ReadAllText(path), path, _ => null);
    }

    /// <summary>.dockerignore's patterns as regexes over context-relative paths ('**/', '*', a trailing '/').</summary>
    private static List<Regex> DockerIgnore() =>
        [.. File.ReadAllLines(Path.Join(Root, ".dockerignore"))
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(pattern =>
            {
                string body = Regex.Escape(pattern.TrimEnd('/')).Replace(@"\*\*/", "(?:.*/)?", StringComparison.Ordinal)
                    .Replace(@"\*", "[^/]*", StringComparison.Ordinal);
                return new Regex($"^{body}(?:/.*)?$");
            })];

    [Fact]
    public void Every_file_the_build_copies_from_the_context_exists_and_is_not_dockerignored()
    {
        var ignored = DockerIgnore();
        var copies = Dockerfile.Value.Where(i => i.Keyword is "COPY" or "ADD").Select(Copy).Where(c => !c.Flags.ContainsKey("from")).ToList();
        Assert.NotEmpty(copies);
        foreach (string source in copies.SelectMany(c => c.Sources))
        {
            string path = source.TrimEnd('/');
            Assert.True(File.Exists(Path.Join(Root, path)) || Directory.Exists(Path.Join(Root, path)), $"COPY {source}: not in the repository");
            Assert.False(ignored.Any(pattern => pattern.IsMatch(path)), $"COPY {source}: excluded by .dockerignore");
        }
    }

    [Fact]
    public void The_restore_layer_has_every_project_the_cli_builds_from_and_restores_what_publish_builds()
    {
        var build = Stage(StageNamed("build"));
        int restore = build.FindIndex(i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet restore", StringComparison.Ordinal));
        Assert.True(restore > 0, "no RUN dotnet restore in the build stage");
        var copiedBefore = build[..restore].Where(i => i.Keyword == "COPY").Select(Copy)
            .SelectMany(c => c.Sources.Select(s => c.Destination.EndsWith('/') && !s.EndsWith('/')
                ? (c.Destination == "./" ? Path.GetFileName(s) : c.Destination + Path.GetFileName(s))
                : c.Destination))
            .ToHashSet(StringComparer.Ordinal);

        // A project missing here restores nothing, and publish --no-restore then fails on it.
        foreach (string project in CliProjectClosure())
        {
            Assert.Contains(project, copiedBefore);
        }
        var nugetConfig = Directory.EnumerateFiles(Root).Select(f => Path.GetFileName(f))
            .Where(f => f.Equals("nuget.config", StringComparison.OrdinalIgnoreCase));
        foreach (string file in new[] { "Directory.Build.props", "Directory.Packages.props" }.Concat(nugetConfig))
        {
            Assert.Contains(file, copiedBefore);
        }

        string restoreLine = build[restore].Arguments;
        string publishLine = Assert.Single(build, i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish", StringComparison.Ordinal)).Arguments;
        Assert.Contains("dotnet restore src/LeakGuard.Cli/LeakGuard.Cli.csproj ", restoreLine, StringComparison.Ordinal);
        Assert.Contains("dotnet publish src/LeakGuard.Cli/LeakGuard.Cli.csproj ", publishLine, StringComparison.Ordinal);
        Assert.Contains("--no-restore", publishLine, StringComparison.Ordinal);
        // --no-restore: publish must ask for exactly what was restored (runtime, self-contained).
        string rid = Regex.Match(publishLine, @"-r (\S+)").Groups[1].Value;
        Assert.Equal("linux-x64", rid);
        Assert.Contains($"-r {rid}", restoreLine, StringComparison.Ordinal);
        Assert.Contains("--self-contained", publishLine, StringComparison.Ordinal);
        Assert.Contains("-p:SelfContained=true", restoreLine, StringComparison.Ordinal);
    }

    [Fact]
    public void The_final_stage_runs_the_binary_the_cli_project_publishes()
    {
        string assembly = Project("src/LeakGuard.Cli/LeakGuard.Cli.csproj").Descendants("AssemblyName").Single().Value;
        string publishLine = Assert.Single(Stage(StageNamed("build")), i => i.Keyword == "RUN" && i.Arguments.Contains("dotnet publish", StringComparison.Ordinal)).Arguments;
        string output = Regex.Match(publishLine, @"-o (\S+)").Groups[1].Value;
        var final = Stage(FinalStage);

        var (flags, sources, destination) = Copy(Assert.Single(final, i => i.Keyword == "COPY"));
        Assert.Equal("build", flags["from"]);
        Assert.Equal([output], sources);
        var link = Regex.Match(Assert.Single(final, i => i.Arguments.Contains("ln -s", StringComparison.Ordinal)).Arguments, @"ln -s (\S+) (\S+)");
        Assert.Equal($"{destination}/{assembly}", link.Groups[1].Value);
        Assert.Equal("/usr/local/bin/" + JsonForm("ENTRYPOINT")[0], link.Groups[2].Value);
    }

    [Fact]
    public void Entrypoint_and_cmd_are_a_command_line_the_cli_accepts()
    {
        var line = JsonForm("ENTRYPOINT").Concat(JsonForm("CMD")).ToList();
        string configPath = line[line.IndexOf("--config") + 1];
        Assert.False(File.Exists(configPath), $"{configPath} exists on this machine");

        // The CLI built from this repository, given the image's command line: it gets as far as
        // reading the config file, which is not on this machine. A command or option the CLI does
        // not have would be a parse error instead (each unrecognized token on a line of its own).
        var (exit, stderr) = RunCli(line.Skip(1));

        Assert.Equal(2, exit);
        string error = Assert.Single(stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries));
        Assert.Contains(configPath, error, StringComparison.Ordinal);
        Assert.DoesNotContain("Unrecognized", error, StringComparison.Ordinal);
    }

    /// <summary>Runs leakguard.dll (copied here by the project reference) and returns its exit code and stderr.</summary>
    private static (int Exit, string Stderr) RunCli(IEnumerable<string> args)
    {
        var start = new System.Diagnostics.ProcessStartInfo("dotnet") { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add(Path.Join(AppContext.BaseDirectory, "leakguard.dll"));
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        using var process = System.Diagnostics.Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(60_000), "leakguard did not exit within 60 s");
        _ = stdout.Result;
        return (process.ExitCode, stderr);
    }

    [Fact]
    public void The_exposed_port_is_the_services_default_and_the_one_compose_listens_on_and_publishes()
    {
        int exposed = int.Parse(Assert.Single(Stage(FinalStage), i => i.Keyword == "EXPOSE").Arguments, System.Globalization.CultureInfo.InvariantCulture);
        var listen = ImageConfig().Api.Listen;

        Assert.Equal(ApiSettings.DefaultListen.Port, exposed);
        Assert.Equal(exposed, listen.Port);
        // Inside the container the API must listen beyond loopback for the published port to reach it.
        Assert.Equal(IPAddress.Any, listen.Address);
        Assert.All(Strings(Service("leakguard")["ports"]), port => Assert.EndsWith($":{exposed}", port, StringComparison.Ordinal));
    }

    [Fact]
    public void The_config_path_in_cmd_is_where_compose_mounts_the_config_read_only()
    {
        var cmd = JsonForm("CMD");
        string configPath = cmd[cmd.IndexOf("--config") + 1];

        var mount = Assert.Single(Strings(Service("leakguard")["volumes"]), v => v.Split(':')[1] == configPath).Split(':');
        Assert.Equal("ro", mount[2]);
        // Relative to the compose file's folder.
        Assert.True(File.Exists(Path.Join(Root, "docker", mount[0])), $"{mount[0]} is not in docker/");
    }

    [Fact]
    public void The_sdk_image_is_the_version_of_the_target_framework()
    {
        string framework = Project("Directory.Build.props").Descendants("TargetFramework").Single().Value;
        string from = Assert.Single(Stage(StageNamed("build")), i => i.Keyword == "FROM").Arguments;

        Assert.StartsWith($"mcr.microsoft.com/dotnet/sdk:{framework["net".Length..]} ", from, StringComparison.Ordinal);
    }

    [Fact]
    public void The_final_stage_runs_as_the_non_root_user_it_creates_whose_home_is_the_volume()
    {
        var final = Stage(FinalStage);
        string[] user = Assert.Single(final, i => i.Keyword == "USER").Arguments.Split(':');
        var useradd = Assert.Single(final, i => i.Arguments.Contains("useradd", StringComparison.Ordinal)).Arguments;

        Assert.NotEqual("0", user[0]);
        Assert.Equal(user[0], Regex.Match(useradd, @"--uid (\d+)").Groups[1].Value);
        // The SQLite store and git mirrors default to ~/.leakguard: home, volume and working folder are one.
        string home = Regex.Match(useradd, @"--home-dir (\S+)").Groups[1].Value;
        Assert.Equal(home, Assert.Single(final, i => i.Keyword == "VOLUME").Arguments);
        Assert.Equal(home, Assert.Single(final, i => i.Keyword == "WORKDIR").Arguments);
    }

    [Fact]
    public void The_final_stage_is_debian_with_hyperscan_and_git_installed()
    {
        var final = Stage(FinalStage);
        var install = Regex.Match(Assert.Single(final, i => i.Arguments.Contains("apt-get install", StringComparison.Ordinal)).Arguments,
            @"apt-get install((?: -\S+)*)((?: [a-z0-9][a-z0-9.+\-]*)+)");

        Assert.StartsWith("debian:", final[0].Arguments, StringComparison.Ordinal);
        var packages = install.Groups[2].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        // libhs.so.5 for the Hyperscan engine; git for remote mirrors and history; CA roots for HTTPS registries.
        Assert.Contains("libhyperscan5", packages);
        Assert.Contains("git", packages);
        Assert.Contains("ca-certificates", packages);
    }

    [Fact]
    public void Compose_runs_leakguard_built_from_this_dockerfile_and_postgresql_15()
    {
        var services = (YamlMappingNode)Compose()["services"];
        var build = (YamlMappingNode)Service("leakguard")["build"];

        Assert.Equal(["leakguard", "postgres"], services.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        Assert.Equal("postgres:15", ((YamlScalarNode)Service("postgres")["image"]).Value);
        Assert.True(File.Exists(Path.Join(Root, "docker", ((YamlScalarNode)build["context"]).Value!, ((YamlScalarNode)build["dockerfile"]).Value!)));
    }

    [Fact]
    public void Compose_takes_the_api_key_from_an_env_file_and_publishes_on_loopback_only()
    {
        var leakguard = Service("leakguard");

        Assert.Equal(["leakguard.env"], Strings(leakguard["env_file"]));
        Assert.Contains("docker/leakguard.env", File.ReadAllLines(Path.Join(Root, ".gitignore")));
        Assert.All(Strings(leakguard["ports"]), port => Assert.StartsWith("127.0.0.1:", port, StringComparison.Ordinal));
    }
}
