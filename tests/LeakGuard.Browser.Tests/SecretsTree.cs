namespace LeakGuard.Browser.Tests;

/// <summary>A folder of files holding credentials in the documented shapes of their providers
/// (synthetic values, as in the rules' own examples), with different severities and rules.</summary>
internal static class SecretsTree
{
    public static readonly IReadOnlyDictionary<string, string> Files = new Dictionary<string, string>
    {
        ["config/.env"] = "NODE_ENV=production\nGITHUB_TOKEN=ghp_E3co3cbFG4Z1qyU0XTbYhUJxSlpU7936ip9D\nSTRIPE_SECRET_KEY=sk_test_tYpATIk27f4t3tGolUByxRmX\n",
        ["deploy/credentials"] = "[default]\naws_access_key_id = AKIA53M6QI4CWK2A4NOC\naws_secret_access_key = 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\n",
        ["src/billing.js"] = "import Stripe from 'stripe';\n\nStripe.ApiKey = \"sk_live_M0XvqZjxTW3xvboSRt5Mh3dA\";\nexport default Stripe;\n",
        // A name that is markup: every page must show it as text.
        ["src/<img src=x onerror=alert(1)>.js"] = "const token = 'ghp_zw0NSLncSZqX1fVqalRrrdSyJOujvSFFqmRb';\n",
        ["README.md"] = "# billing\n\nNothing secret here.\n",
    };

    public static string Write()
    {
        string root = Directory.CreateTempSubdirectory("leakguard-browser-tree-").FullName;
        foreach (var (path, content) in Files)
        {
            string full = Path.Join(root, path);
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            File.WriteAllText(full, content);
        }
        return root;
    }
}
