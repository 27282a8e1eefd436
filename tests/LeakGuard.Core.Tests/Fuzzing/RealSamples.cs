using LeakGuard.Core.Tests.Support;

namespace LeakGuard.Core.Tests.Fuzzing;

/// <summary>
/// The real inputs the parsers are fuzzed from, made once by the real tools: tar in each of its
/// formats with a magic (long names in PAX and GNU headers), gzip, xz, zstd and bzip2 of a file and of a tar,
/// 7z solid and not, zip deflated, stored and Zip64 (and a zip holding a .tgz), npm pack's tarball, esbuild's source map and inline
/// map. Each holds a token, so a parser that reads them reaches every member.
/// </summary>
public sealed class RealSamples
{
    public RealSamples()
    {
        string dir = CoreTestKit.TempDirectory();
        string tree = Path.Join(dir, "package");
        string deep = Path.Join(tree, "lib", new string('n', 60), new string('m', 60));
        Directory.CreateDirectory(deep);
        File.WriteAllText(Path.Join(tree, "package.json"), """{ "name": "@acme/cli", "version": "2.1.0", "license": "UNLICENSED" }""");
        File.WriteAllText(Path.Join(tree, "index.js"), $"const token = \"{CoreTestKit.GitHubToken}\";\nmodule.exports = token;\n");
        File.WriteAllText(Path.Join(deep, "a-long-file-name-that-needs-a-long-name-header.txt"), "password = \"Xk9#mQ2!vL7p\"\n");
        File.WriteAllBytes(Path.Join(tree, "blob.bin"), [0, 1, 2, 3, 0xFF, 0x1F, 0x8B, 8, 0]);

        // Not v7: without the "ustar" magic the scanner does not take it for a tar.
        Tar = [.. new[] { "ustar", "pax", "gnu" }.Select(format =>
        {
            CoreTestKit.Run(dir, "tar", [$"--format={format}", "-cf", $"{format}.tar", "package"]);
            return File.ReadAllBytes(Path.Join(dir, $"{format}.tar"));
        })];

        CoreTestKit.Run(dir, "tar", "-czf", "package.tgz", "package");
        CoreTestKit.Run(dir, "sh", "-c", "gzip -c -n package/index.js > index.js.gz");
        var npm = NpmArtefact.Create("\"license\": \"UNLICENSED\"").Bundle("--sourcemap").BundleTo("dist/inline.js", "--sourcemap=inline");
        string npmTarball = npm.Pack();
        Gzip = [File.ReadAllBytes(Path.Join(dir, "package.tgz")), File.ReadAllBytes(Path.Join(dir, "index.js.gz")), File.ReadAllBytes(npmTarball)];

        CoreTestKit.Run(dir, "zip", "-q", "-r", "deflated.zip", "package");
        CoreTestKit.Run(dir, "zip", "-q", "-r", "-0", "stored.zip", "package");
        // Info-ZIP writes Zip64 records for what it reads from a stream.
        CoreTestKit.Run(dir, "sh", "-c", "zip -q zip64.zip - < package/index.js");
        CoreTestKit.Run(dir, "zip", "-q", "nested.zip", "package.tgz", "index.js.gz");
        Zip = [.. new[] { "deflated.zip", "stored.zip", "zip64.zip", "nested.zip" }.Select(name => File.ReadAllBytes(Path.Join(dir, name)))];

        // xz, zstd and bzip2: of the tar and of one file; 7z solid and one block per file.
        CoreTestKit.Run(dir, "tar", "-cf", "package.tar", "package");
        Xz = Compressed(dir, "xz -c");
        Zstd = Compressed(dir, "zstd -q -c");
        Bzip2 = Compressed(dir, "bzip2 -c");
        CoreTestKit.Run(dir, "7z", "a", "-bd", "-bso0", "-bsp0", "-ms=on", "solid.7z", "package");
        CoreTestKit.Run(dir, "7z", "a", "-bd", "-bso0", "-bsp0", "-ms=off", "blocks.7z", "package");
        SevenZip = [File.ReadAllBytes(Path.Join(dir, "solid.7z")), File.ReadAllBytes(Path.Join(dir, "blocks.7z"))];

        SourceMaps = [File.ReadAllBytes(Path.Join(npm.Project, "dist", "cli.js.map"))];
        InlineSourceMaps = [File.ReadAllBytes(Path.Join(npm.Project, "dist", "inline.js"))];
        Directory.Delete(dir, recursive: true);
    }

    public IReadOnlyList<byte[]> Tar { get; }

    /// <summary>The tar, and index.js, compressed by <paramref name="command"/> (writing to stdout).</summary>
    private static byte[][] Compressed(string dir, string command)
    {
        CoreTestKit.Run(dir, "sh", "-c", $"{command} package.tar > tar.out && {command} package/index.js > file.out");
        return [File.ReadAllBytes(Path.Join(dir, "tar.out")), File.ReadAllBytes(Path.Join(dir, "file.out"))];
    }

    /// <summary>A .tar.xz and an .xz of one file.</summary>
    public IReadOnlyList<byte[]> Xz { get; }

    /// <summary>A .tar.zst and a .zst of one file.</summary>
    public IReadOnlyList<byte[]> Zstd { get; }

    /// <summary>A .tar.bz2 and a .bz2 of one file.</summary>
    public IReadOnlyList<byte[]> Bzip2 { get; }

    /// <summary>A solid 7z and one with a block per file.</summary>
    public IReadOnlyList<byte[]> SevenZip { get; }

    /// <summary>A .tgz, a gzipped file and an npm pack tarball.</summary>
    public IReadOnlyList<byte[]> Gzip { get; }

    public IReadOnlyList<byte[]> Zip { get; }

    /// <summary>esbuild's external map, with sourcesContent.</summary>
    public IReadOnlyList<byte[]> SourceMaps { get; }

    /// <summary>esbuild's bundle with its map inline, as a base64 data: URL.</summary>
    public IReadOnlyList<byte[]> InlineSourceMaps { get; }
}
