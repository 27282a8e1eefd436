using System.Buffers.Binary;
using System.Text;

namespace LeakGuard.Core.Rules;

/// <summary>
/// The built-in rule documents in a compact binary form for <see cref="BuiltInRuleCache"/>: read
/// by code compiled ahead of time, where System.Text.Json's generic metadata was ~200 methods
/// compiled just in time on every start-up. A file that does not read back exactly (too short,
/// a count larger than the file, a missing end mark) is refused with <see cref="InvalidDataException"/>.
/// </summary>
internal static class RuleDocumentBinary
{
    private const string Magic = "leakguard-rules";
    private const int EndMark = 0x4C475244;

    public static void Write(Stream stream, List<RuleDocumentFile> files)
    {
        using var w = new BinaryWriter(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        var codec = new Codec(w, null);
        w.Write(Magic);
        w.Write(files.Count);
        foreach (var file in files)
        {
            w.Write(file.Source);
            w.Write(file.Rules.Count);
            foreach (var rule in file.Rules)
            {
                Fields(codec, rule);
            }
        }
        w.Write(EndMark);
    }

    public static List<RuleDocumentFile> Read(byte[] bytes)
    {
        var r = new Reader(bytes);
        var codec = new Codec(null, r);
        if (r.ReadString() != Magic)
        {
            throw new InvalidDataException("not a rule cache");
        }
        var files = new List<RuleDocumentFile>(codec.Count(0));
        for (int f = files.Capacity; f > 0; f--)
        {
            string source = r.ReadString();
            var rules = new List<RuleDocument>(codec.Count(0));
            for (int i = rules.Capacity; i > 0; i--)
            {
                var rule = new RuleDocument();
                Fields(codec, rule);
                rules.Add(rule);
            }
            files.Add(new RuleDocumentFile(source, rules));
        }
        if (r.ReadInt32() != EndMark || r.Left != 0)
        {
            throw new InvalidDataException("rule cache does not end where it should");
        }
        return files;
    }

    /// <summary>Every field, in one order for writing and reading: the codec writes each value
    /// and returns it, or reads one and returns that.</summary>
    private static void Fields(Codec c, RuleDocument d)
    {
        d.Id = c.Text(d.Id);
        d.Name = c.Text(d.Name);
        d.Kind = c.Text(d.Kind);
        d.Severity = c.Text(d.Severity);
        d.Confidence = c.Text(d.Confidence);
        d.Context = c.Text(d.Context);
        d.Tags = c.Texts(d.Tags);
        d.Pattern = c.Text(d.Pattern);
        d.Keywords = c.Texts(d.Keywords);
        d.Parser = c.Text(d.Parser);
        d.Entropy = c.Number(d.Entropy);
        d.Checksum = c.Text(d.Checksum);
        d.Path = c.Text(d.Path);
        d.Description = c.Text(d.Description);
        d.Examples = c.LaterTexts(d.Examples, texts => d.CachedExamples = texts);
        d.NegativeExamples = c.LaterTexts(d.NegativeExamples, texts => d.CachedNegativeExamples = texts);
        d.References = c.LaterTexts(d.References, texts => d.CachedReferences = texts);
        if (!c.Flag(d.Validate is not null))
        {
            return;
        }
        var v = d.Validate ??= new ValidateDocument();
        v.Method = c.Text(v.Method);
        v.Url = c.Text(v.Url);
        v.Headers = c.TextMap(v.Headers);
        v.Basic = c.Text(v.Basic);
        v.Body = c.Text(v.Body);
        v.ContentType = c.Text(v.ContentType);
        v.Signer = c.Text(v.Signer);
        v.Pair = c.Text(v.Pair);
        v.Live = c.Numbers(v.Live);
        v.LiveJson = c.ListMap(v.LiveJson);
        v.LiveBody = c.Texts(v.LiveBody);
        v.SecretIsUrl = c.Flag(v.SecretIsUrl);
        v.HostPair = c.Text(v.HostPair);
        v.Invalid = c.Numbers(v.Invalid);
        v.InvalidJson = c.ListMap(v.InvalidJson);
        v.InvalidBody = c.Texts(v.InvalidBody);
        v.Identity = c.TextMap(v.Identity);
        v.ScopesHeader = c.Text(v.ScopesHeader);
        v.Scopes = c.Text(v.Scopes);
        v.Concurrency = c.Number(v.Concurrency);
        v.Sites = c.NullableTexts(v.Sites);
    }

    /// <summary>Writes (with a writer) or reads (with a reader) one value of each kind. A missing
    /// value or list is a flag or a count of -1; a count is never more than the bytes left, so a
    /// damaged file cannot make a reader allocate more than the file holds.</summary>
    private sealed class Codec(BinaryWriter? w, Reader? r)
    {
        public bool Flag(bool value)
        {
            w?.Write(value);
            return r?.ReadBoolean() ?? value;
        }

        public bool? Flag(bool? value) => Flag(value.HasValue) ? Flag(value ?? false) : null;

        public string? Text(string? value) => Flag(value is not null) ? Value(value) : null;

        public double? Number(double? value)
        {
            if (!Flag(value.HasValue))
            {
                return null;
            }
            w?.Write(value.GetValueOrDefault());
            return r?.ReadDouble() ?? value;
        }

        public int? Number(int? value) => Flag(value.HasValue) ? Int(value.GetValueOrDefault()) : null;

        public int Int(int value)
        {
            w?.Write(value);
            return r?.ReadInt32() ?? value;
        }

        public int Count(int value)
        {
            w?.Write(value);
            if (r is null)
            {
                return value;
            }
            int count = r.ReadInt32();
            return count < -1 || count > r.Left
                ? throw new InvalidDataException("rule cache count out of range")
                : count;
        }

        // A YAML list may hold a null (`examples: [~]`); it is kept, as the loader decides what it means.
        public List<string>? Texts(List<string>? values) => List(values, v => Text(v)!);

        public List<string?>? NullableTexts(List<string?>? values) => List(values, Text);

        /// <summary>Writes <paramref name="values"/> as <see cref="Texts"/> does; reading, steps over
        /// them (their bounds checked) and hands <paramref name="cached"/> a list that decodes them
        /// when first read, and returns null.</summary>
        public List<string>? LaterTexts(List<string>? values, Action<IReadOnlyList<string>> cached)
        {
            if (r is null)
            {
                return Texts(values);
            }
            int at = r.Position;
            int count = Count(0);
            for (int i = 0; i < count; i++)
            {
                if (r.ReadBoolean())
                {
                    r.SkipString();
                }
            }
            if (count >= 0)
            {
                cached(new CachedTexts(r.Bytes, at, count));
            }
            return null;
        }

        public List<int>? Numbers(List<int>? values) => List(values, Int);

        public Dictionary<string, string>? TextMap(Dictionary<string, string>? map) => Map(map, Value);

        public Dictionary<string, List<string>>? ListMap(Dictionary<string, List<string>>? map) => Map(map, v => Texts(v) ?? []);

        private string Value(string? value)
        {
            w?.Write(value!);
            return r?.ReadString() ?? value!;
        }

        private List<T>? List<T>(List<T>? values, Func<T, T> item)
        {
            int count = Count(values?.Count ?? -1);
            if (count < 0)
            {
                return null;
            }
            var list = new List<T>(count);
            for (int i = 0; i < count; i++)
            {
                list.Add(item(values is null ? default! : values[i]));
            }
            return list;
        }

        private Dictionary<string, T>? Map<T>(Dictionary<string, T>? map, Func<T, T> value)
        {
            var pairs = map?.ToList();
            int count = Count(pairs?.Count ?? -1);
            if (count < 0)
            {
                return null;
            }
            var result = new Dictionary<string, T>(count);
            for (int i = 0; i < count; i++)
            {
                string key = Value(pairs is null ? null : pairs[i].Key);
                result[key] = value(pairs is null ? default! : pairs[i].Value);
            }
            return result;
        }
    }
    /// <summary>Reads what <see cref="BinaryWriter"/> wrote, from the file's bytes in memory: its
    /// strings decoded straight from UTF-8, where <see cref="BinaryReader"/> went through a decoder and
    /// a character buffer (a string builder past 128 bytes) for each of the cache's ~40,000 strings.</summary>
    private sealed class Reader(byte[] bytes, int at = 0)
    {
        private int _at = at;

        public byte[] Bytes => bytes;

        public int Position => _at;

        public long Left => bytes.Length - _at;

        public bool ReadBoolean() => Take(1)[0] != 0;

        public int ReadInt32() => BinaryPrimitives.ReadInt32LittleEndian(Take(sizeof(int)));

        public double ReadDouble() => BinaryPrimitives.ReadDoubleLittleEndian(Take(sizeof(double)));

        public string ReadString() => Encoding.UTF8.GetString(Take(ReadLength()));

        public void SkipString() => Take(ReadLength());

        private int ReadLength()
        {
            // The length as BinaryWriter writes it: seven bits a byte, low first, at most five bytes.
            uint length = 0;
            for (int shift = 0; ; shift += 7)
            {
                byte b = Take(1)[0];
                if (shift == 28 && b > 0b1111)
                {
                    throw new InvalidDataException("rule cache string length out of range");
                }
                length |= (uint)(b & 0x7F) << shift;
                if (b < 0x80)
                {
                    break;
                }
            }
            return length > int.MaxValue ? throw new InvalidDataException("rule cache string length out of range") : (int)length;
        }

        private ReadOnlySpan<byte> Take(int count)
        {
            if (count > bytes.Length - _at)
            {
                throw new InvalidDataException("rule cache ends early");
            }
            var taken = bytes.AsSpan(_at, count);
            _at += count;
            return taken;
        }
    }

    /// <summary>A list of strings in the cache, decoded by <see cref="Codec.Texts"/> when first read;
    /// its bounds were checked when the cache was read.</summary>
    private sealed class CachedTexts(byte[] bytes, int at, int count) : IReadOnlyList<string>
    {
        private List<string>? _texts;

        public int Count => count;

        public string this[int index] => Texts[index];

        public IEnumerator<string> GetEnumerator() => Texts.GetEnumerator();

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

        private List<string> Texts => _texts ??= new Codec(null, new Reader(bytes, at)).Texts(null)!;
    }
}
