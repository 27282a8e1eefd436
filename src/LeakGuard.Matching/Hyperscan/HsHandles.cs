using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace LeakGuard.Matching.Hyperscan;

/// <summary>A compiled or deserialized Hyperscan database (<c>hs_database_t*</c>), freed once no
/// call is still using it: with <c>hs_free_database</c> when Hyperscan allocated it, with
/// <see cref="NativeMemory.AlignedFree"/> when it was deserialised into memory of ours.</summary>
internal sealed class HsDatabaseHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    private readonly bool _ownMemory;

    public HsDatabaseHandle()
        : base(ownsHandle: true)
    {
    }

    /// <summary>A database at <paramref name="memory"/> from <see cref="NativeMemory.AlignedAlloc"/>.</summary>
    public HsDatabaseHandle(nint memory)
        : base(ownsHandle: true)
    {
        _ownMemory = true;
        SetHandle(memory);
    }

    protected override unsafe bool ReleaseHandle()
    {
        if (_ownMemory)
        {
            NativeMemory.AlignedFree((void*)handle);
            return true;
        }
        return HsNative.hs_free_database(handle) == HsNative.HS_SUCCESS;
    }
}

/// <summary>One thread's Hyperscan scratch space (<c>hs_scratch_t*</c>), freed with
/// <c>hs_free_scratch</c> once no scan is still using it.</summary>
internal sealed class HsScratchHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public HsScratchHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => HsNative.hs_free_scratch(handle) == HsNative.HS_SUCCESS;
}
