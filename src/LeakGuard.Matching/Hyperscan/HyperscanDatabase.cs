using System.Diagnostics.CodeAnalysis;
using System.IO.Hashing;
using System.IO.MemoryMappedFiles;
using System.Runtime.InteropServices;
using System.Text;

namespace LeakGuard.Matching.Hyperscan;

/// <summary>
/// A block-mode database holding either every pattern Hyperscan accepts or every keyword as a
/// caseless literal (<see cref="Part"/>). Pattern i has id i; keyword k has id patternCount + k.
/// Compiling takes seconds, so the serialized database is cached on disk, keyed by the
/// expressions, the libhs version and the CPU features.
/// </summary>
internal sealed unsafe class HyperscanDatabase : IDisposable
{
    private const string CacheFormat = "leakguard-hs-2";

    private HyperscanDatabase(HsDatabaseHandle handle, bool[] compiled, IReadOnlyList<string> notes, bool fromCache)
    {
        Handle = handle;
        Compiled = compiled;
        Notes = notes;
        FromCache = fromCache;
    }

    /// <summary>Invalid (null) when there are no patterns: there is then nothing to scan.</summary>
    public HsDatabaseHandle Handle { get; }

    /// <summary>Per pattern: true when Hyperscan runs it (false: keywords only).</summary>
    public bool[] Compiled { get; }

    public IReadOnlyList<string> Notes { get; }

    public bool FromCache { get; }

    /// <summary>What a database holds.</summary>
    public enum Part
    {
        Patterns,
        Keywords,
    }

    public static HyperscanDatabase Build(IReadOnlyList<CompiledPattern> patterns, byte[][] keywords, string? cacheDirectory, Part part)
    {
        HsNative.PlatformInfo platform;
        Check(HsNative.hs_populate_platform(&platform), "hs_populate_platform");
        string version = Marshal.PtrToStringAnsi(HsNative.hs_version()) ?? "?";
        // Keyword ids follow the pattern ids in both databases, so one callback reads either.
        int keywordIds = patterns.Count;
        if (part == Part.Patterns)
        {
            keywords = [];
        }
        else
        {
            patterns = [];
        }
        string key = CacheKey(patterns, keywords, keywordIds, version, platform);
        string? cachePath = cacheDirectory is null ? null : Path.Combine(cacheDirectory, $"hs-{key}.db");

        if (patterns.Count + keywords.Length == 0)
        {
            // Hyperscan refuses an empty database; with no patterns there is nothing to scan.
            return new HyperscanDatabase(new HsDatabaseHandle(), [], [], fromCache: false);
        }
        if (cachePath is not null && TryLoad(cachePath, patterns.Count) is { } cached)
        {
            CacheFiles.Touch(cachePath);
            return cached;
        }

        var compiled = Enumerable.Repeat(true, patterns.Count).ToArray();
        var notes = new List<string>();
        HsDatabaseHandle? db;
        while (!TryCompile(patterns, keywords, keywordIds, compiled, &platform, out db, out int failed, out string message))
        {
            if (failed < 0 || failed >= patterns.Count)
            {
                throw new InvalidOperationException($"Hyperscan could not compile the rule set: {message}");
            }
            compiled[failed] = false;
            notes.Add($"hyperscan: pattern '{patterns[failed].Definition.Id}' runs on the managed engine only ({message})");
            if (!compiled.Contains(true))
            {
                return new HyperscanDatabase(new HsDatabaseHandle(), compiled, notes, fromCache: false);
            }
        }
        var database = new HyperscanDatabase(db, compiled, notes, fromCache: false);
        if (cachePath is not null)
        {
            database.TrySave(cachePath);
        }
        return database;
    }

    private static bool TryCompile(IReadOnlyList<CompiledPattern> patterns, byte[][] keywords, int keywordIds, bool[] compiled,
        HsNative.PlatformInfo* platform, [NotNullWhen(true)] out HsDatabaseHandle? db, out int failedPattern, out string message)
    {
        var expressions = new List<byte[]>();
        var flags = new List<uint>();
        var ids = new List<uint>();
        for (int p = 0; p < patterns.Count; p++)
        {
            if (compiled[p])
            {
                expressions.Add(NulTerminated(patterns[p].Definition.Pattern));
                flags.Add(HsNative.HS_FLAG_MULTILINE);
                ids.Add((uint)p);
            }
        }
        for (int k = 0; k < keywords.Length; k++)
        {
            expressions.Add(NulTerminated(LiteralRegex(keywords[k])));
            flags.Add(HsNative.HS_FLAG_CASELESS);
            ids.Add((uint)(keywordIds + k));
        }

        var handles = new GCHandle[expressions.Count];
        var pointers = new byte*[expressions.Count];
        try
        {
            for (int i = 0; i < handles.Length; i++)
            {
                handles[i] = GCHandle.Alloc(expressions[i], GCHandleType.Pinned);
                pointers[i] = (byte*)handles[i].AddrOfPinnedObject();
            }
            uint[] flagArray = [.. flags];
            uint[] idArray = [.. ids];
            HsDatabaseHandle database;
            HsNative.CompileError* error = null;
            int rc;
            fixed (byte** expr = pointers)
            fixed (uint* f = flagArray)
            fixed (uint* id = idArray)
            {
                rc = HsNative.hs_compile_multi(expr, f, id, (uint)expressions.Count, HsNative.HS_MODE_BLOCK, platform, out database, &error);
            }
            if (rc == HsNative.HS_SUCCESS)
            {
                db = database;
                failedPattern = -1;
                message = "";
                return true;
            }
            database.Dispose();
            db = null;
            message = error is null ? $"error {rc}" : Marshal.PtrToStringAnsi(error->Message) ?? $"error {rc}";
            int index = error is null ? -1 : error->Expression;
            failedPattern = index >= 0 && index < ids.Count ? (int)ids[index] : -1;
            if (error is not null)
            {
                HsNative.hs_free_compile_error(error);
            }
            return false;
        }
        finally
        {
            foreach (var handle in handles)
            {
                if (handle.IsAllocated)
                {
                    handle.Free();
                }
            }
        }
    }

    private static HyperscanDatabase? TryLoad(string path, int patternCount)
    {
        // The file is mapped, not read, and deserialised into native memory of ours, each mapped in
        // one call (NativePages): a managed copy and Hyperscan's own allocation cost a page fault per
        // 4 KiB, about a tenth of a one-file scan's start-up for two 5 MB databases.
        try
        {
            long length = new FileInfo(path).Length;
            if (length is 0 or > int.MaxValue)
            {
                return null;
            }
            using var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
            using var view = file.CreateViewAccessor(0, length, MemoryMappedFileAccess.Read);
            byte* mapped = null;
            view.SafeMemoryMappedViewHandle.AcquirePointer(ref mapped);
            try
            {
                NativePages.PopulateRead(mapped, (nuint)(view.PointerOffset + length));
                return Deserialize(mapped + view.PointerOffset, (int)length, patternCount);
            }
            finally
            {
                view.SafeMemoryMappedViewHandle.ReleasePointer();
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Missing, unreadable or cut short (EndOfStreamException): compiled afresh.
            return null;
        }
    }

    private static HyperscanDatabase? Deserialize(byte* bytes, int length, int patternCount)
    {
        // Layout: pattern count, one flag byte per pattern, note count, notes (UTF-8, length-prefixed), database.
        using var reader = new BinaryReader(new UnmanagedMemoryStream(bytes, length), Encoding.UTF8);
        if (reader.ReadString() != CacheFormat || reader.ReadInt32() != patternCount)
        {
            return null;
        }
        var compiled = new bool[patternCount];
        for (int i = 0; i < patternCount; i++)
        {
            compiled[i] = reader.ReadBoolean();
        }
        var notes = new string[reader.ReadInt32()];
        for (int i = 0; i < notes.Length; i++)
        {
            notes[i] = reader.ReadString();
        }
        int offset = (int)reader.BaseStream.Position;
        var serialized = bytes + offset;
        var serializedLength = (nuint)(length - offset);
        if (HsNative.hs_serialized_database_size(serialized, serializedLength, out nuint size) != HsNative.HS_SUCCESS)
        {
            return null;
        }
        var memory = (byte*)NativeMemory.AlignedAlloc(size, 64);
        NativePages.PopulateWrite(memory, size);
        if (HsNative.hs_deserialize_database_at(serialized, serializedLength, (nint)memory) != HsNative.HS_SUCCESS)
        {
            NativeMemory.AlignedFree(memory);
            return null;
        }
        return new HyperscanDatabase(new HsDatabaseHandle((nint)memory), compiled, notes, fromCache: true);
    }

    private void TrySave(string path)
    {
        byte* bytes = null;
        nuint length = 0;
        if (HsNative.hs_serialize_database(Handle, &bytes, &length) != HsNative.HS_SUCCESS)
        {
            return;
        }
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            string temp = $"{path}.{Environment.ProcessId}.tmp";
            using (var stream = File.Create(temp))
            using (var writer = new BinaryWriter(stream, Encoding.UTF8))
            {
                writer.Write(CacheFormat);
                writer.Write(Compiled.Length);
                foreach (bool c in Compiled)
                {
                    writer.Write(c);
                }
                writer.Write(Notes.Count);
                foreach (string note in Notes)
                {
                    writer.Write(note);
                }
                writer.Write(new ReadOnlySpan<byte>(bytes, checked((int)length)));
            }
            File.Move(temp, path, overwrite: true);
            CacheFiles.Prune(Path.GetDirectoryName(path)!, "hs-*.db");
        }
        catch (IOException)
        {
            // A cache that cannot be written only costs the next start a compile.
        }
        catch (UnauthorizedAccessException)
        {
        }
        finally
        {
            NativeMemory.Free(bytes);
        }
    }

    private static string CacheKey(IReadOnlyList<CompiledPattern> patterns, byte[][] keywords, int keywordIds, string version, HsNative.PlatformInfo platform)
    {
        var text = new StringBuilder();
        text.Append(CacheFormat).Append('\n').Append(version).Append('\n').Append(keywordIds).Append('\n')
            .Append(platform.CpuFeatures).Append(' ').Append(platform.Tune).Append('\n');
        foreach (var pattern in patterns)
        {
            text.Append(pattern.Definition.Pattern).Append('\n');
        }
        foreach (byte[] keyword in keywords)
        {
            text.Append(Encoding.ASCII.GetString(keyword)).Append('\n');
        }
        // Not a cryptographic hash: the cache is the user's own, and hashing with SHA-256 loaded
        // OpenSSL, about 15 ms of a one-file scan that otherwise never needs it. XXH64 twice with
        // two seeds, not XXH128, whose vector code was compiled just in time at every start-up.
        byte[] bytes = Encoding.UTF8.GetBytes(text.ToString());
        return $"{XxHash64.HashToUInt64(bytes):x16}{XxHash64.HashToUInt64(bytes, seed: 0x5BD1E995):x16}";
    }

    private static string LiteralRegex(byte[] literal)
    {
        var text = new StringBuilder(literal.Length * 4);
        foreach (byte b in literal)
        {
            text.Append("\\x").Append(b.ToString("x2"));
        }
        return text.ToString();
    }

    private static byte[] NulTerminated(string text)
    {
        var bytes = new byte[Encoding.UTF8.GetByteCount(text) + 1];
        Encoding.UTF8.GetBytes(text, bytes);
        return bytes;
    }

    private static void Check(int rc, string call)
    {
        if (rc != HsNative.HS_SUCCESS)
        {
            throw new InvalidOperationException($"{call} failed with Hyperscan error {rc}");
        }
    }

    public void Dispose() => Handle.Dispose();
}
