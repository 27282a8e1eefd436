using LeakGuard.Processes;

namespace LeakGuard.Tests.Shared;

/// <summary>Decompression bombs made by the real zip, for tests that what comes after one is
/// still found. A linked file in the Core and CLI test projects.</summary>
public static class ArchiveBombs
{
    /// <summary>A zip of 8 zips of 8 zips of 8 files of 4 MiB of zeros: about 5 KB that expand to
    /// 2 GiB in 584 members, none of which inflates past the 200x ratio beyond its 4 MiB floor on
    /// its own. Written as bomb.zip in <paramref name="dir"/>; returns its path.</summary>
    public static string NestedZip(string dir)
    {
        string work = Path.Join(dir, "bomb-work");
        Directory.CreateDirectory(work);
        File.WriteAllBytes(Path.Join(work, "z0"), new byte[4 * 1024 * 1024]);
        string inner = "z0";
        foreach (string level in (string[])["a", "b", "c"])
        {
            var copies = new List<string> { inner };
            for (int i = 1; i < 8; i++)
            {
                File.CreateSymbolicLink(Path.Join(work, $"{inner}-{i}"), inner);
                copies.Add($"{inner}-{i}");
            }
            // zip follows the links: eight members with the same bytes.
            string archive = $"{level}.zip";
            ProcessRunner.Run(new ProcessCommand("zip", ["-q", "-9", archive, .. copies]) { WorkingDirectory = work, Description = "zip" },
                TimeSpan.FromMinutes(1)).EnsureSuccess();
            inner = archive;
        }
        string bomb = Path.Join(dir, "bomb.zip");
        File.Move(Path.Join(work, inner), bomb);
        Directory.Delete(work, recursive: true);
        return bomb;
    }
}
