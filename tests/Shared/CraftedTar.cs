using System.Text;

namespace LeakGuard.Tests.Shared;

/// <summary>Damage done to a tar the real tar made, as the security review did it: the header
/// stays valid (its checksum is fixed) and only the crafted field is wrong. A linked file in the
/// Core and CLI test projects.</summary>
public static class CraftedTar
{
    /// <summary>Makes the size field of <paramref name="member"/>'s header a base-256 number
    /// (first byte 0x80) too large for any integer.</summary>
    public static void OverflowSize(byte[] tar, string member) => Overflow(tar, member, 124);

    /// <summary>The same for the modification time, a field a scan has no use for.</summary>
    public static void OverflowTimestamp(byte[] tar, string member) => Overflow(tar, member, 136);

    private static void Overflow(byte[] tar, string member, int field)
    {
        byte[] name = Encoding.ASCII.GetBytes(member);
        int header = 0;
        while (!tar.AsSpan(header, 100).StartsWith(name))
        {
            header += 512;
        }
        var number = tar.AsSpan(header + field, 12);
        number.Fill(0xFF);
        number[0] = 0x80;
        var checksum = tar.AsSpan(header + 148, 8);
        checksum.Fill((byte)' ');
        int sum = 0;
        foreach (byte b in tar.AsSpan(header, 512))
        {
            sum += b;
        }
        Encoding.ASCII.GetBytes(Convert.ToString(sum, 8).PadLeft(6, '0') + "\0 ").CopyTo(checksum);
    }
}
