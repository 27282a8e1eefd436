using System.Text;
using System.Text.Json;
using LeakGuard.Core.Expansion.SourceMaps;

namespace LeakGuard.Core.Tests.Expansion;

/// <summary>
/// A map's sources are unescaped from the positions its outline pass noted, without a second
/// JSON parse: the bytes must be exactly what <see cref="Utf8JsonReader.CopyString(Span{byte})"/>
/// gives, and it must refuse exactly what CopyString refuses.
/// </summary>
public sealed class JsonStringTextTests
{
    [Theory]
    [InlineData("plain text")]
    [InlineData(@"line one\nline two\r\n\ttabbed \""quoted\"" back\\slash \/ \b\f")]
    [InlineData(@"\u00e9t\u00E9 \u20ac \ud83d\ude00 \u0000 end")]
    [InlineData(@"\u0041\u00410")]
    public void Text_unescapes_to_what_the_reader_copies(string escaped)
    {
        byte[] json = Encoding.UTF8.GetBytes($"\"{escaped}\"");
        Assert.Equal(Copy(json), Unescape(json));
    }

    [Theory]
    [InlineData(@"lone high \ud83d then text")]
    [InlineData(@"lone low \ude00")]
    [InlineData(@"high then high \ud83d\ud83d")]
    [InlineData(@"ends on a high \ud83d")]
    public void A_lone_surrogate_is_refused_as_the_reader_refuses_it(string escaped)
    {
        byte[] json = Encoding.UTF8.GetBytes($"\"{escaped}\"");
        Assert.Null(Copy(json));
        Assert.Null(Unescape(json));
    }

    [Fact]
    public void Bytes_that_are_not_UTF8_in_an_escaped_string_are_refused_as_the_reader_refuses_them()
    {
        byte[] json = [.. "\"a\\n"u8, 0xC3, 0x28, .. "b\""u8];
        Assert.Null(Copy(json));
        Assert.Null(Unescape(json));
    }

    /// <summary>Many random strings of escapes, multi-byte characters, quotes and stray bytes: the
    /// two agree on every one the reader accepts as a string at all.</summary>
    [Fact]
    public void Random_strings_unescape_exactly_as_the_reader_copies_them()
    {
        var random = new Random(20261206);
        string[] pieces =
        [
            "a", "Z", "0", " ", "é", "€", "😀", "\\n", "\\t", "\\r", "\\\"", "\\\\", "\\/", "\\b", "\\f",
            "\\u0041", "\\u00e9", "\\u20AC", "\\ud83d\\ude00", "\\ud83d", "\\ude00", "\\u0000", "\\uFFFF",
        ];
        int compared = 0;
        for (int i = 0; i < 5_000; i++)
        {
            var text = new StringBuilder("\"");
            for (int n = random.Next(0, 40); n > 0; n--)
            {
                text.Append(pieces[random.Next(pieces.Length)]);
            }
            byte[] json = [.. Encoding.UTF8.GetBytes(text.Append('"').ToString())];
            if (random.Next(10) == 0)
            {
                // A stray byte that is no UTF-8 on its own.
                json[random.Next(1, json.Length - 1)] = (byte)random.Next(0x80, 0x100);
            }
            if (!IsString(json))
            {
                continue;
            }
            Assert.Equal(Copy(json), Unescape(json));
            compared++;
        }
        Assert.True(compared > 4_000, $"only {compared} of 5,000 random strings were strings to the reader");
    }

    private static bool IsString(byte[] json)
    {
        try
        {
            var reader = new Utf8JsonReader(json);
            return reader.Read() && reader.TokenType == JsonTokenType.String;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static byte[]? Copy(byte[] json)
    {
        var reader = new Utf8JsonReader(json);
        Assert.True(reader.Read());
        byte[] buffer = new byte[json.Length];
        try
        {
            return buffer[..reader.CopyString(buffer)];
        }
        catch (InvalidOperationException)
        {
            return null;
        }
    }

    private static byte[]? Unescape(byte[] json)
    {
        var escaped = json.AsSpan(1, json.Length - 2);
        byte[] buffer = new byte[escaped.Length];
        return JsonStringText.TryUnescape(escaped, buffer, out int length) ? buffer[..length] : null;
    }
}
