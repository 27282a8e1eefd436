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
        w.Write(Magic);
        w.Write(files.Count);
        foreach (var file in files)
        {
            w.Write(file.Source);
            w.Write(file.Rules.Count);
            foreach (var rule in file.Rules)
            {
                WriteRule(w, rule);
            }
        }
        w.Write(EndMark);
    }

    public static List<RuleDocumentFile> Read(Stream stream)
    {
        using var r = new BinaryReader(stream, System.Text.Encoding.UTF8, leaveOpen: true);
        if (r.ReadString() != Magic)
        {
            throw new InvalidDataException("not a rule cache");
        }
        var files = new List<RuleDocumentFile>(Count(r));
        for (int f = files.Capacity; f > 0; f--)
        {
            string source = r.ReadString();
            var rules = new List<RuleDocument>(Count(r));
            for (int i = rules.Capacity; i > 0; i--)
            {
                rules.Add(ReadRule(r));
            }
            files.Add(new RuleDocumentFile(source, rules));
        }
        if (r.ReadInt32() != EndMark || stream.Position != stream.Length)
        {
            throw new InvalidDataException("rule cache does not end where it should");
        }
        return files;
    }

    private static void WriteRule(BinaryWriter w, RuleDocument d)
    {
        Text(w, d.Id);
        Text(w, d.Name);
        Text(w, d.Kind);
        Text(w, d.Severity);
        Text(w, d.Confidence);
        Text(w, d.Context);
        Texts(w, d.Tags);
        Text(w, d.Pattern);
        Texts(w, d.Keywords);
        Text(w, d.Parser);
        w.Write(d.Entropy.HasValue);
        if (d.Entropy is { } entropy)
        {
            w.Write(entropy);
        }
        Text(w, d.Checksum);
        Text(w, d.Path);
        Text(w, d.Description);
        Texts(w, d.Examples);
        Texts(w, d.NegativeExamples);
        Texts(w, d.References);
        w.Write(d.Validate is not null);
        if (d.Validate is { } v)
        {
            Text(w, v.Method);
            Text(w, v.Url);
            TextMap(w, v.Headers);
            Text(w, v.Basic);
            Text(w, v.Body);
            Text(w, v.ContentType);
            Text(w, v.Signer);
            Text(w, v.Pair);
            Numbers(w, v.Live);
            ListMap(w, v.LiveJson);
            Texts(w, v.LiveBody);
            w.Write(v.SecretIsUrl.HasValue);
            if (v.SecretIsUrl is { } secretIsUrl)
            {
                w.Write(secretIsUrl);
            }
            Text(w, v.HostPair);
            Numbers(w, v.Invalid);
            ListMap(w, v.InvalidJson);
            Texts(w, v.InvalidBody);
            TextMap(w, v.Identity);
            Text(w, v.ScopesHeader);
            Text(w, v.Scopes);
            w.Write(v.Concurrency.HasValue);
            if (v.Concurrency is { } concurrency)
            {
                w.Write(concurrency);
            }
            Texts(w, v.Sites);
        }
    }

    private static RuleDocument ReadRule(BinaryReader r)
    {
        var d = new RuleDocument
        {
            Id = Text(r),
            Name = Text(r),
            Kind = Text(r),
            Severity = Text(r),
            Confidence = Text(r),
            Context = Text(r),
            Tags = Texts(r),
            Pattern = Text(r),
            Keywords = Texts(r),
            Parser = Text(r),
            Entropy = r.ReadBoolean() ? r.ReadDouble() : null,
            Checksum = Text(r),
            Path = Text(r),
            Description = Text(r),
            Examples = Texts(r),
            NegativeExamples = Texts(r),
            References = Texts(r),
        };
        if (r.ReadBoolean())
        {
            d.Validate = new ValidateDocument
            {
                Method = Text(r),
                Url = Text(r),
                Headers = TextMap(r),
                Basic = Text(r),
                Body = Text(r),
                ContentType = Text(r),
                Signer = Text(r),
                Pair = Text(r),
                Live = Numbers(r),
                LiveJson = ListMap(r),
                LiveBody = Texts(r),
                SecretIsUrl = r.ReadBoolean() ? r.ReadBoolean() : null,
                HostPair = Text(r),
                Invalid = Numbers(r),
                InvalidJson = ListMap(r),
                InvalidBody = Texts(r),
                Identity = TextMap(r),
                ScopesHeader = Text(r),
                Scopes = Text(r),
                Concurrency = r.ReadBoolean() ? r.ReadInt32() : null,
                Sites = NullableTexts(r),
            };
        }
        return d;
    }

    private static void Text(BinaryWriter w, string? text)
    {
        w.Write(text is not null);
        if (text is not null)
        {
            w.Write(text);
        }
    }

    private static string? Text(BinaryReader r) => r.ReadBoolean() ? r.ReadString() : null;

    // A count of -1 is a missing list; a count is never more than the bytes left, so a damaged
    // file cannot make a reader allocate more than the file holds.
    private static int Count(BinaryReader r)
    {
        int count = r.ReadInt32();
        if (count < -1 || count > r.BaseStream.Length - r.BaseStream.Position)
        {
            throw new InvalidDataException("rule cache count out of range");
        }
        return count;
    }

    private static void Texts(BinaryWriter w, IReadOnlyCollection<string?>? texts)
    {
        w.Write(texts?.Count ?? -1);
        foreach (string? text in texts ?? [])
        {
            Text(w, text);
        }
    }

    private static List<string?>? NullableTexts(BinaryReader r)
    {
        int count = Count(r);
        if (count < 0)
        {
            return null;
        }
        var texts = new List<string?>(count);
        for (int i = 0; i < count; i++)
        {
            texts.Add(Text(r));
        }
        return texts;
    }

    // A YAML list may hold a null (`examples: [~]`); it is kept, as the loader decides what it means.
    private static List<string>? Texts(BinaryReader r)
    {
        int count = Count(r);
        if (count < 0)
        {
            return null;
        }
        var texts = new List<string>(count);
        for (int i = 0; i < count; i++)
        {
            texts.Add(Text(r)!);
        }
        return texts;
    }

    private static void Numbers(BinaryWriter w, List<int>? numbers)
    {
        w.Write(numbers?.Count ?? -1);
        foreach (int n in numbers ?? [])
        {
            w.Write(n);
        }
    }

    private static List<int>? Numbers(BinaryReader r)
    {
        int count = Count(r);
        if (count < 0)
        {
            return null;
        }
        var numbers = new List<int>(count);
        for (int i = 0; i < count; i++)
        {
            numbers.Add(r.ReadInt32());
        }
        return numbers;
    }

    private static void TextMap(BinaryWriter w, Dictionary<string, string>? map)
    {
        w.Write(map?.Count ?? -1);
        foreach (var (key, value) in map ?? [])
        {
            w.Write(key);
            w.Write(value);
        }
    }

    private static Dictionary<string, string>? TextMap(BinaryReader r)
    {
        int count = Count(r);
        if (count < 0)
        {
            return null;
        }
        var map = new Dictionary<string, string>(count);
        for (int i = 0; i < count; i++)
        {
            map[r.ReadString()] = r.ReadString();
        }
        return map;
    }

    private static void ListMap(BinaryWriter w, Dictionary<string, List<string>>? map)
    {
        w.Write(map?.Count ?? -1);
        foreach (var (key, values) in map ?? [])
        {
            w.Write(key);
            Texts(w, values);
        }
    }

    private static Dictionary<string, List<string>>? ListMap(BinaryReader r)
    {
        int count = Count(r);
        if (count < 0)
        {
            return null;
        }
        var map = new Dictionary<string, List<string>>(count);
        for (int i = 0; i < count; i++)
        {
            map[r.ReadString()] = Texts(r) ?? [];
        }
        return map;
    }
}
