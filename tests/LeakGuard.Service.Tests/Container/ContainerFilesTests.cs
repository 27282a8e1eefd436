using LeakGuard.Service.Configuration;
using YamlDotNet.RepresentationModel;

namespace LeakGuard.Service.Tests.Container;

/// <summary>Docker cannot run here, so the container files are held to what they must say.</summary>
public sealed class ContainerFilesTests
{
    private static readonly string Folder = Path.Combine(AppContext.BaseDirectory, "container");

    private static YamlMappingNode Compose()
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(File.ReadAllText(Path.Combine(Folder, "docker", "compose.yaml"))));
        return (YamlMappingNode)stream.Documents[0].RootNode;
    }

    private static YamlMappingNode Service(string name) =>
        (YamlMappingNode)((YamlMappingNode)Compose()["services"])[name];

    private static IEnumerable<string> Strings(YamlNode node) =>
        node is YamlSequenceNode list ? list.Children.Select(c => ((YamlScalarNode)c).Value!) : [((YamlScalarNode)node).Value!];

    /// <summary>The instructions of the Dockerfile's last stage, comments and continuations dropped.</summary>
    private static List<string> FinalStage()
    {
        var lines = File.ReadAllLines(Path.Combine(Folder, "Dockerfile"))
            .Where(l => !l.TrimStart().StartsWith('#') && l.Trim().Length > 0)
            .ToList();
        int from = lines.FindLastIndex(l => l.StartsWith("FROM ", StringComparison.Ordinal));
        return lines[from..];
    }

    [Fact]
    public void Compose_runs_leakguard_and_postgresql_15()
    {
        var services = (YamlMappingNode)Compose()["services"];

        Assert.Equal(["leakguard", "postgres"], services.Children.Keys.Select(k => ((YamlScalarNode)k).Value));
        Assert.Equal("postgres:15", ((YamlScalarNode)Service("postgres")["image"]).Value);
        Assert.Equal("Dockerfile", ((YamlScalarNode)((YamlMappingNode)Service("leakguard")["build"])["dockerfile"]).Value);
    }

    [Fact]
    public void Compose_mounts_the_config_read_only_where_the_image_reads_it()
    {
        var volumes = Strings(Service("leakguard")["volumes"]);

        Assert.Contains("./leakguard.yaml:/etc/leakguard/leakguard.yaml:ro", volumes);
        Assert.Contains("""CMD ["--config", "/etc/leakguard/leakguard.yaml"]""", FinalStage());
    }

    [Fact]
    public void Compose_takes_the_api_key_from_an_env_file_and_publishes_on_loopback_only()
    {
        var leakguard = Service("leakguard");

        Assert.Equal(["leakguard.env"], Strings(leakguard["env_file"]));
        Assert.All(Strings(leakguard["ports"]), port => Assert.StartsWith("127.0.0.1:", port));
    }

    [Fact]
    public void The_mounted_config_is_a_valid_leakguard_yaml()
    {
        string path = Path.Combine(Folder, "docker", "leakguard.yaml");

        var settings = ServiceConfigurationParser.Parse(File.ReadAllText(path), path, _ => null);

        Assert.Equal(8088, settings.Api.Listen.Port);
    }

    [Fact]
    public void The_final_stage_runs_as_a_non_root_user()
    {
        string user = Assert.Single(FinalStage(), l => l.StartsWith("USER ", StringComparison.Ordinal))["USER ".Length..].Trim();
        string name = user.Split(':')[0];

        Assert.NotEqual("root", name);
        Assert.NotEqual("0", name);
    }

    [Fact]
    public void The_final_stage_has_hyperscan_and_git_and_runs_leakguard_watch()
    {
        var stage = FinalStage();

        Assert.StartsWith("FROM debian:", stage[0]);
        Assert.Contains(stage, l => l.Contains("libhyperscan5", StringComparison.Ordinal) && l.Contains(" git ", StringComparison.Ordinal));
        Assert.Contains("""ENTRYPOINT ["leakguard", "watch"]""", stage);
    }
}
