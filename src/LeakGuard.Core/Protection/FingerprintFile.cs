namespace LeakGuard.Core.Protection;

/// <summary>What the fingerprint files (the protected-code index, the common list) share: a
/// header naming the file kind and the fingerprinting it was made with, and replacing a file
/// whole, so a reader never sees half of one.</summary>
internal static class FingerprintFile
{
    public static void WriteHeader(BinaryWriter writer, byte[] magic)
    {
        writer.Write(magic);
        writer.Write(Winnowing.K);
        writer.Write(Winnowing.W);
        writer.Write(Winnowing.MinDistinct);
        writer.Write(Winnowing.Scheme);
    }

    /// <param name="what">What the file is, for the message when it is not one.</param>
    /// <param name="remake">The command that makes it again.</param>
    /// <param name="older">The magic of this kind's earlier layouts: such a file is to be made again, not "not one".</param>
    /// <exception cref="InvalidDataException">Not such a file, or made by a build that fingerprints differently.</exception>
    /// <exception cref="EndOfStreamException">Shorter than a header.</exception>
    public static void ReadHeader(BinaryReader reader, byte[] magic, string path, string what, string remake, byte[][]? older = null)
    {
        byte[] read = reader.ReadBytes(magic.Length);
        if (older?.Any(o => read.AsSpan().SequenceEqual(o)) == true)
        {
            throw new InvalidDataException($"{path} is a {what} of an earlier LeakGuard's layout; make it again with `{remake}`");
        }
        if (!read.AsSpan().SequenceEqual(magic))
        {
            throw new InvalidDataException($"{path} is not a LeakGuard {what} (made by `{remake}`)");
        }
        // Fingerprints of another run length, window or scheme never meet these: the file must be made again.
        if ((reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32(), reader.ReadInt32())
            != (Winnowing.K, Winnowing.W, Winnowing.MinDistinct, Winnowing.Scheme))
        {
            throw new InvalidDataException($"{path} was made by a LeakGuard that fingerprints differently; make it again with `{remake}`");
        }
    }

    /// <summary>Writes through a temporary file renamed over <paramref name="path"/>.</summary>
    public static void Save(string path, Action<Stream> write)
    {
        string full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        string temporary = full + $".{Environment.ProcessId}.tmp";
        using (var stream = File.Create(temporary))
        {
            write(stream);
        }
        File.Move(temporary, full, overwrite: true);
    }
}
