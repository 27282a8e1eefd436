using LeakGuard.Core.Scanning;
using LeakGuard.Sources.Processes;

namespace LeakGuard.Sources.NuGet;

/// <summary>
/// What <c>dotnet pack</c> ships for a project: the project is packed (Release) into a fresh
/// temporary folder and every .nupkg and .snupkg it produced becomes an item; given a .nupkg,
/// that file is the item. Dispose removes the temporary folder.
/// </summary>
public sealed class DotnetPackOutput : IDisposable
{
    private readonly string? _temporary;

    public IReadOnlyList<SourceItem> Items { get; }

    private DotnetPackOutput(string? temporary, IReadOnlyList<SourceItem> items)
    {
        _temporary = temporary;
        Items = items;
    }

    public static DotnetPackOutput For(string projectOrPackage, TimeSpan timeout)
    {
        if (File.Exists(projectOrPackage) && projectOrPackage.EndsWith(".nupkg", StringComparison.OrdinalIgnoreCase))
        {
            return new DotnetPackOutput(null, [Item(projectOrPackage)]);
        }
        if (!File.Exists(projectOrPackage) && !Directory.Exists(projectOrPackage))
        {
            throw new ExternalCommandException($"'{projectOrPackage}': no such project, folder or .nupkg");
        }
        string temporary = Directory.CreateTempSubdirectory("leakguard-pack-").FullName;
        try
        {
            string project = Path.GetFullPath(projectOrPackage);
            string workingDirectory = Directory.Exists(project) ? project : Path.GetDirectoryName(project)!;
            ExternalCommand.Run(workingDirectory, "dotnet", ["pack", project, "-c", "Release", "-o", temporary, "--nologo", "-v", "q"], timeout);
            var packages = Directory.GetFiles(temporary, "*.nupkg").Concat(Directory.GetFiles(temporary, "*.snupkg")).Order(StringComparer.Ordinal).ToList();
            if (packages.Count == 0)
            {
                throw new ExternalCommandException($"dotnet pack {projectOrPackage} produced no package (is it packable?)");
            }
            return new DotnetPackOutput(temporary, [.. packages.Select(Item)]);
        }
        catch
        {
            Directory.Delete(temporary, recursive: true);
            throw;
        }
    }

    private static SourceItem Item(string path) => new()
    {
        Path = Path.GetFileName(path),
        Length = new FileInfo(path).Length,
        Open = () => File.OpenRead(path),
    };

    public void Dispose()
    {
        if (_temporary is not null && Directory.Exists(_temporary))
        {
            Directory.Delete(_temporary, recursive: true);
        }
    }
}
