using System.Reflection;
using System.Runtime.InteropServices;

namespace LeakGuard.Matching.Hyperscan;

/// <summary>The thin P/Invoke surface of libhs (Hyperscan 5) that LeakGuard uses.</summary>
internal static unsafe partial class HsNative
{
    private const string Library = "hs";

    public const int HS_SUCCESS = 0;
    public const int HS_SCAN_TERMINATED = -3;
    public const uint HS_FLAG_CASELESS = 1;
    public const uint HS_FLAG_MULTILINE = 4;
    public const uint HS_MODE_BLOCK = 1;

    [StructLayout(LayoutKind.Sequential)]
    public struct CompileError
    {
        public nint Message;
        public int Expression;
    }

    [StructLayout(LayoutKind.Sequential)]
    public struct PlatformInfo
    {
        public uint Tune;
        public ulong CpuFeatures;
        public ulong Reserved1;
        public ulong Reserved2;
    }

    static HsNative() => NativeLibrary.SetDllImportResolver(typeof(HsNative).Assembly, Resolve);

    /// <summary>Debian's runtime package ships only the versioned soname.</summary>
    private static nint Resolve(string name, Assembly assembly, DllImportSearchPath? path)
    {
        if (name != Library)
        {
            return 0;
        }
        foreach (string candidate in new[] { "libhs.so.5", "libhs.so", "libhs.5.dylib", "libhs.dylib" })
        {
            if (NativeLibrary.TryLoad(candidate, assembly, path, out nint handle))
            {
                return handle;
            }
        }
        return 0;
    }

    /// <summary>True when libhs loads and supports this CPU.</summary>
    public static bool TryProbe(out string reason)
    {
        try
        {
            if (hs_valid_platform() != HS_SUCCESS)
            {
                reason = "this CPU lacks the instructions Hyperscan needs (SSSE3)";
                return false;
            }
            reason = "";
            return true;
        }
        catch (DllNotFoundException)
        {
            reason = "libhs.so.5 not found (Debian: apt-get install libhyperscan5)";
            return false;
        }
        catch (EntryPointNotFoundException e)
        {
            reason = $"libhs is not usable: {e.Message}";
            return false;
        }
    }

    [LibraryImport(Library)]
    public static partial int hs_valid_platform();

    [LibraryImport(Library)]
    public static partial nint hs_version();

    [LibraryImport(Library)]
    public static partial int hs_populate_platform(PlatformInfo* platform);

    // The database and scratch a call creates come back as SafeHandles, created by the marshaller
    // before the call, so nothing can fail between the allocation and the handle owning it.

    [LibraryImport(Library)]
    public static partial int hs_compile_multi(byte** expressions, uint* flags, uint* ids, uint elements, uint mode,
        PlatformInfo* platform, out HsDatabaseHandle database, CompileError** error);

    [LibraryImport(Library)]
    public static partial int hs_free_compile_error(CompileError* error);

    /// <summary>Only for <see cref="HsDatabaseHandle"/>'s release.</summary>
    [LibraryImport(Library)]
    public static partial int hs_free_database(nint database);

    [LibraryImport(Library)]
    public static partial int hs_serialize_database(HsDatabaseHandle database, byte** bytes, nuint* length);

    [LibraryImport(Library)]
    public static partial int hs_serialized_database_size(byte* bytes, nuint length, out nuint deserializedSize);

    /// <summary>Deserialises into <paramref name="database"/>, 8-byte aligned memory of the caller's
    /// that <see cref="hs_free_database"/> must not free.</summary>
    [LibraryImport(Library)]
    public static partial int hs_deserialize_database_at(byte* bytes, nuint length, nint database);

    /// <summary><paramref name="scratch"/> goes in as well as out: an invalid (null) handle asks for
    /// new scratch space; the marshaller swaps in a new handle for what comes back.</summary>
    [LibraryImport(Library)]
    public static partial int hs_alloc_scratch(HsDatabaseHandle database, ref HsScratchHandle scratch);

    /// <summary>Only for <see cref="HsScratchHandle"/>'s release.</summary>
    [LibraryImport(Library)]
    public static partial int hs_free_scratch(nint scratch);

    /// <summary>The SafeHandle parameters are marshalled with DangerousAddRef/Release around the
    /// call (no allocation), so disposing the engine cannot free either handle mid-scan.</summary>
    [LibraryImport(Library)]
    public static partial int hs_scan(HsDatabaseHandle database, byte* data, uint length, uint flags, HsScratchHandle scratch,
        delegate* unmanaged[Cdecl]<uint, ulong, ulong, uint, void*, int> onEvent, void* context);
}
