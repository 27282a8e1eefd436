using System.Text;
using LeakGuard.Core.Expansion.Decoding;

namespace LeakGuard.Core.Tests.Expansion;

/// <summary>The run finder skips text in blocks; what it finds must be exactly what a plain
/// byte-by-byte reading of its rules finds.</summary>
public class Base64RunFinderTests
{
    private const int Minimum = 24;

    private static bool IsSymbol(byte c) => char.IsAsciiLetterOrDigit((char)c) || c is (byte)'+' or (byte)'/' or (byte)'-' or (byte)'_';

    /// <summary>Every maximal run of symbols at least <see cref="Minimum"/> long that has both cases,
    /// is not all hex digits and does not mix the two alphabets' own symbols.</summary>
    private static List<(int Start, int Length)> Reference(byte[] content)
    {
        var runs = new List<(int, int)>();
        for (int i = 0; i < content.Length;)
        {
            if (!IsSymbol(content[i]))
            {
                i++;
                continue;
            }
            int start = i;
            while (i < content.Length && IsSymbol(content[i]))
            {
                i++;
            }
            var run = content.AsSpan(start, i - start);
            bool upper = run.ContainsAnyInRange((byte)'A', (byte)'Z'), lower = run.ContainsAnyInRange((byte)'a', (byte)'z');
            bool notHex = run.IndexOfAnyExcept("0123456789abcdefABCDEF"u8) >= 0;
            bool standard = run.IndexOfAny("+/"u8) >= 0, urlSafe = run.IndexOfAny("-_"u8) >= 0;
            if (run.Length >= Minimum && upper && lower && notHex && !(standard && urlSafe))
            {
                runs.Add((start, run.Length));
            }
        }
        return runs;
    }

    private static List<(int Start, int Length)> Found(byte[] content)
    {
        var runs = new List<(int, int)>();
        var finder = new Base64RunFinder(content, Minimum);
        while (finder.TryNext(out int start, out int length))
        {
            runs.Add((start, length));
        }
        return runs;
    }

    [Fact]
    public void Runs_found_in_random_text_are_exactly_those_read_byte_by_byte()
    {
        var random = new Random(20261206);
        const string Words = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
        string[] extras = ["+", "/", "-", "_", "=", "==", " ", "\n", ".", "(", "\"", "0123456789abcdef"];
        for (int sample = 0; sample < 3000; sample++)
        {
            var text = new StringBuilder();
            int pieces = random.Next(1, 40);
            for (int p = 0; p < pieces; p++)
            {
                // Runs of every length around the minimum and the 32-byte blocks, and separators.
                int length = random.Next(0, 3) == 0 ? random.Next(20, 70) : random.Next(1, 12);
                for (int c = 0; c < length; c++)
                {
                    text.Append(random.Next(0, 12) == 0 ? extras[random.Next(extras.Length)] : Words[random.Next(Words.Length)].ToString());
                }
                text.Append(extras[random.Next(4, extras.Length)]);
            }
            byte[] content = Encoding.ASCII.GetBytes(text.ToString());

            Assert.Equal(Reference(content), Found(content));
        }
    }
}
