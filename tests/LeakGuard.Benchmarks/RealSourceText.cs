using System.Text;

namespace LeakGuard.Benchmarks;

/// <summary>Real source text found on every machine here: Python's standard library, the .NET
/// SDK's XML documentation and the C headers under /usr/include, concatenated to a fixed size.</summary>
internal static class RealSourceText
{
    private static readonly string[] Roots = ["/usr/lib/python3.11", "/usr/share/dotnet/packs", "/usr/include"];
    private static readonly string[] Extensions = [".py", ".xml", ".h"];

    /// <summary>The files <see cref="Load"/> reads, in the same order, up to <paramref name="bytes"/> in all.</summary>
    public static IReadOnlyList<string> Files(long bytes)
    {
        var files = new List<string>();
        long total = 0;
        foreach (string root in Roots.Where(Directory.Exists))
        {
            foreach (string file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                if (!Extensions.Contains(Path.GetExtension(file)))
                {
                    continue;
                }
                files.Add(file);
                total += new FileInfo(file).Length;
                if (total >= bytes)
                {
                    return files;
                }
            }
        }
        return files;
    }

    public static byte[] Load(int bytes)
    {
        var buffer = new MemoryStream(bytes);
        foreach (string root in Roots.Where(Directory.Exists))
        {
            foreach (string file in Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
            {
                if (!Extensions.Contains(Path.GetExtension(file)))
                {
                    continue;
                }
                byte[] content = File.ReadAllBytes(file);
                int take = Math.Min(content.Length, bytes - (int)buffer.Length);
                buffer.Write(content, 0, take);
                if (buffer.Length >= bytes)
                {
                    return buffer.ToArray();
                }
            }
        }
        if (buffer.Length == 0)
        {
            throw new InvalidOperationException("no real source text found under " + string.Join(", ", Roots));
        }
        // A small machine: repeat what there is.
        byte[] some = buffer.ToArray();
        var result = new byte[bytes];
        for (int i = 0; i < bytes; i += some.Length)
        {
            some.AsSpan(0, Math.Min(some.Length, bytes - i)).CopyTo(result.AsSpan(i));
        }
        return result;
    }

    public static string Describe(byte[] data) => $"{data.Length / 1048576.0:N0} MiB of real source text";

    public static string Ascii(byte[] data) => Encoding.Latin1.GetString(data);
}
