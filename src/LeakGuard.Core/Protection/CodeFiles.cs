namespace LeakGuard.Core.Protection;

/// <summary>Which files are source code, by name: what the index takes and what scans look up.</summary>
public static class CodeFiles
{
    /// <summary>Extensions of source code. Only code is protected and looked for: licences, documentation, data
    /// and declarations generated from code (<c>.d.ts</c>) read the same in every project that
    /// ships them, so they would only match other projects' copies of the same boilerplate.</summary>
    private static readonly HashSet<string> Extensions = new(StringComparer.OrdinalIgnoreCase)
    {
        ".js", ".mjs", ".cjs", ".jsx", ".ts", ".mts", ".cts", ".tsx", ".vue", ".svelte", ".py", ".pyw", ".cs", ".vb", ".fs", ".java",
        ".kt", ".kts", ".scala", ".groovy", ".go", ".rs", ".rb", ".php", ".c", ".h", ".cc", ".cpp", ".cxx", ".hpp", ".hh", ".m", ".mm",
        ".swift", ".dart", ".lua", ".pl", ".pm", ".r", ".sh", ".bash", ".ps1", ".sql", ".ex", ".exs", ".erl", ".clj", ".hs", ".ml",
        ".sol", ".zig", ".nim", ".jl",
    };

    /// <summary>Whether a file of this path is source code the index takes.</summary>
    public static bool IsCode(string path) =>
        !path.EndsWith(".d.ts", StringComparison.OrdinalIgnoreCase) && Extensions.Contains(Path.GetExtension(path));
}
