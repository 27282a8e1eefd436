namespace LeakGuard.Core.Expansion.Archives;

/// <summary>
/// The bytes of one member as they are inflated. Arrays are allocated without being zeroed, so a
/// size the archive declares can presize the buffer (no regrowing, no copy out) and still costs
/// memory only for the bytes that actually arrive: a member that declares 200 MB and is cut off
/// after 4 MiB holds 4 MiB.
/// </summary>
internal sealed class MemberBuffer(long sizeHint)
{
    private byte[] _bytes = sizeHint > 0 ? GC.AllocateUninitializedArray<byte>((int)sizeHint) : [];

    public int Length { get; private set; }

    public ReadOnlyMemory<byte> Content => _bytes.AsMemory(0, Length);

    public void Append(ReadOnlySpan<byte> data)
    {
        if (data.Length > _bytes.Length - Length)
        {
            long grown = Math.Max((long)Length + data.Length, Math.Max(64 * 1024, 2L * _bytes.Length));
            var larger = GC.AllocateUninitializedArray<byte>((int)Math.Min(grown, Array.MaxLength));
            _bytes.AsSpan(0, Length).CopyTo(larger);
            _bytes = larger;
        }
        data.CopyTo(_bytes.AsSpan(Length));
        Length += data.Length;
    }
}
