using System.IO.Hashing;
using LeakGuard.Core.Protection;

namespace LeakGuard.Core.Tests.Protection;

public sealed class IndexChecksumTests
{
    [Fact]
    public void It_is_xxh64_whatever_the_length_and_however_the_bytes_arrive()
    {
        // Lengths around the 32-byte stripe and the 8- and 4-byte tails, each appended whole and
        // in random pieces (a stream hands over whatever its reads return).
        var random = new Random(11);
        int[] lengths = [0, 1, 3, 4, 7, 8, 12, 31, 32, 33, 63, 64, 65, 100, 1_000, 4_099, 100_003];
        foreach (int length in lengths)
        {
            byte[] data = new byte[length];
            random.NextBytes(data);
            var whole = new IndexChecksum();
            whole.Append(data);
            var pieces = new IndexChecksum();
            for (int at = 0; at < length;)
            {
                int take = Math.Min(length - at, random.Next(0, 70));
                pieces.Append(data.AsSpan(at, take));
                at += take;
            }

            ulong expected = XxHash64.HashToUInt64(data);
            Assert.Equal(expected, whole.Current);
            Assert.Equal(expected, pieces.Current);
        }
    }
}
