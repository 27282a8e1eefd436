using Microsoft.Win32.SafeHandles;

namespace LeakGuard.Matching.Hyperscan;

/// <summary>A compiled or deserialized Hyperscan database (<c>hs_database_t*</c>), freed with
/// <c>hs_free_database</c> once no call is still using it.</summary>
internal sealed class HsDatabaseHandle : SafeHandleZeroOrMinusOneIsInvalid
{
    public HsDatabaseHandle()
        : base(ownsHandle: true)
    {
    }

    protected override bool ReleaseHandle() => HsNative.hs_free_database(handle) == HsNative.HS_SUCCESS;
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
