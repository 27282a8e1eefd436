namespace LeakGuard.Core.Tests.Fuzzing;

/// <summary>Tokens of each format for the mutator to insert: magic numbers, record signatures,
/// keys, escapes and the values at the edges of what a field holds.</summary>
internal static class FormatDictionaries
{
    public static readonly string[] Zip =
        ["PK\x03\x04", "PK\x01\x02", "PK\x05\x06", "PK\x06\x06", "PK\x06\x07", "PK\x07\x08", "\x01\x00\x1c\x00", "\xFF\xFF\xFF\xFF", "\xFF\xFF", "\x00\x00\x00\x00",
         "../", "/", "\\", "package/", "\x08\x00", "\x0e\x00", "\x63\x00"];

    public static readonly string[] Tar =
        ["ustar\x0000", "ustar  \x00", "././@LongLink", "PaxHeader/", "path=", "linkpath=", "size=", "mtime=", "uid=", "\x80", "\xFF", "\x80\x00\x00\x00\x00\x00\x00\xFF\xFF\xFF\xFF",
         "00000000000", "77777777777", "0000644\x00", "L", "K", "x", "g", "5", "1", "2", "S", "0", "../", "\n", "30 path=", "999999999999 size=1\n"];

    public static readonly string[] Gzip = ["\x1f\x8b\x08\x00", "\x1f\x8b\x08\x08", "\x1f\x8b\x08\x04", "\x1f\x8b\x08\x1f", "\xFF\xFF\xFF\xFF", "\x00\x00\xFF\xFF", "\x03\x00", .. Tar];

    // Stream and block headers, check types and the end-of-stream marks of each format, and the tar inside.
    public static readonly string[] Xz = ["\xFD7zXZ\x00", "\x00\x00\x00\x01", "\x00\x04", "\x00\x01", "\x21\x01\x16", "\x21\x01\x28", "YZ", "\x00\x00\x00\x00", "\xFF\xFF\xFF\xFF", .. Tar];

    public static readonly string[] Zstd = ["\x28\xB5\x2F\xFD", "\x50\x2A\x4D\x18", "\x00\x00\x00", "\x01\x00\x00", "\x02\x00\x00", "\xFF\xFF\xFF", "\xF8", "\x00", .. Tar];

    public static readonly string[] Bzip2 = ["BZh9", "BZh1", "\x31\x41\x59\x26\x53\x59", "\x17\x72\x45\x38\x50\x90", "\x00\x00\x00\x00", "\xFF\xFF\xFF\xFF", .. Tar];

    public static readonly string[] SevenZip =
        ["7z\xBC\xAF\x27\x1C", "\x00\x04", "\x01", "\x17", "\x06", "\x07", "\x0B", "\x0C", "\x05", "\x0E", "\x0F", "\x11", "\x00", "\x21", "\x03\x01\x01", "\x06\xF1\x07\x01",
         "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF", "\x80", "\xFE\xFF\xFF\x7F", "p\x00a\x00\x00\x00"];

    public static readonly string[] SourceMap =
        ["\"version\":3,", "\"sources\":[", "\"sourcesContent\":[", "\"mappings\":\"AAAA\",", "\"sections\":[", "{\"offset\":{\"line\":0,\"column\":0},\"map\":",
         "\"names\":[],", "\"file\":\"x.js\",", "\"sourceRoot\":\"../\",", "\\u0000", "\\udc00", "\\ud800", "\\uD83D\\uDE00", "\\u12", "\\\"", "\\\\", "\\/", "null", "true",
         "[", "{", "]", "}", ",", ":", "\"", "1e999", "-0", "0.5", "\"\\u00e9\"", "//# sourceMappingURL=data:application/json;base64,",
         "//# sourceMappingURL=", "/*# sourceMappingURL=x.map */", "data:application/json;charset=utf-8,", "%7B%22version%22%3A3", "%ZZ", "%",
         "eyJ2ZXJzaW9uIjozLCJzb3VyY2VzIjpbImEiXSwic291cmNlc0NvbnRlbnQiOlsieCJdfQ==", "====", "http://example.com/x.js.map", "https://u:p@h/x.map?sig=1",
         "../../", "node_modules/", "webpack://", "\r\n", "\x00"];

    public static readonly string[] Pdb =
        ["BSJB", "MPDB", "MZ", "PE\x00\x00", "#~\x00", "#Strings\x00", "#Blob\x00", "#GUID\x00", "#US\x00", "#Pdb\x00", "#-\x00",
         "\x1b\x57\x8a\x0e\x26\x69\x6e\x46\xb4\xad\x8a\xb0\x46\x11\xf5\xfe", // EmbeddedSource's GUID
         "\x56\x05\x11\xcc\x91\xa0\x38\x4d\x9f\xec\x25\xab\x9a\x35\x1a\x6a", // SourceLink's
         "\xFF\xFF\xFF\x7F", "\x00\x00\x00\x80", "\x11\x00\x00\x00", "{\"documents\":{\"/*\":\"https://raw.githubusercontent.com/a/b/*\"}}", "\x78\x9c"];

    public static readonly string[] ScanConfiguration =
        ["include:", "exclude:", "rules:", "  extra:", "  disable:", "  override:", "    - id: ", "      severity: high", "      confidence: low", "allowlist:",
         "  paths:", "  values:", "  stopwords:", "[", "]", "{", "}", "&a ", "*a", "!!binary ", "!!python/object ", "? ", ": ", "- ", "\n  ", "\n", "'", "\"", "|", ">",
         "---\n", "...\n", "%YAML 1.2\n", "<<: *a", "'(a{1,30}){1,30}'", "'**/'", "'[z-a]'", "\\x", "\t", "#", "~", "null"];
}
