using System.Text.RegularExpressions;

namespace LeakGuard.Core.Precision;

/// <summary>
/// Where a literal value under a secret-naming key is the leak whatever its strength: a
/// configuration file (<c>.env</c>, YAML, JSON, INI, TOML, properties, XML, shell profiles…),
/// a line that does not read as code in a file of no known kind, or a configuration statement inside
/// code: a shell script's variable assignment or <c>export</c>, a PHP <c>define()</c> or <c>$variable =</c>,
/// PowerShell's <c>$env:X =</c>, a batch file's <c>set X=</c>. In code, documentation and tests
/// a weak literal is far more often an example, so there the judge's other rules apply.
/// </summary>
public static partial class CredentialContext
{
    private static readonly HashSet<string> ShellExtensions = new(StringComparer.OrdinalIgnoreCase) { ".sh", ".bash", ".zsh", ".ksh" };
    private static readonly HashSet<string> PhpExtensions = new(StringComparer.OrdinalIgnoreCase) { ".php", ".inc", ".phtml" };
    private static readonly HashSet<string> BatchExtensions = new(StringComparer.OrdinalIgnoreCase) { ".bat", ".cmd" };

    public static bool Holds(FileKind kind, string memberPath, ReadOnlySpan<byte> line) => kind switch
    {
        FileKind.Configuration => true,
        // A file of no known kind (notes, logs, a snippet on stdin) holds configuration unless
        // the line reads as a statement of code.
        FileKind.Other => IsAssignmentStatement(line.TrimStart(" \t"u8)) || IsMakeAssignment(line.TrimStart(" \t"u8)) || !ReadsAsCode(line),
        FileKind.SourceCode => IsConfigurationStatement(memberPath, line),
        _ => false,
    };

    /// <summary>Whether any line of a file of this kind and path can be a credential context
    /// (<see cref="Holds"/> can be true): the scanner does not confirm configuration rules elsewhere.</summary>
    public static bool CanHold(FileKind kind, string memberPath) => kind switch
    {
        FileKind.Configuration or FileKind.Other => true,
        FileKind.SourceCode => ConfiguresInCode(Path.GetExtension(memberPath)),
        _ => false,
    };

    /// <summary>Languages whose files configure with statements <see cref="IsConfigurationStatement"/> knows.</summary>
    private static bool ConfiguresInCode(string extension) =>
        ShellExtensions.Contains(extension) || extension.Length == 0 || PhpExtensions.Contains(extension) || BatchExtensions.Contains(extension)
        || extension.Equals(".ps1", StringComparison.OrdinalIgnoreCase) || extension.Equals(".psm1", StringComparison.OrdinalIgnoreCase);

    private static readonly string[] CodeStarts =
    [
        "const ", "let ", "var ", "val ", "private ", "public ", "protected ", "internal ", "static ", "final ", "string ", "String ",
        "def ", "if ", "if(", "elif ", "else", "return ", "func ", "fn ", "my ", "our ", "echo ", "print", "puts ", "System.", "console.",
    ];

    private static readonly string[] CodeMarks = ["->", "=>", "::", "new ", "this.", "self.", " == ", " != ", "&&", "||"];

    /// <summary>A statement of code rather than a setting: it ends like one (<c>;</c>, <c>{</c>,
    /// <c>)</c>), starts with a declaration or keyword, or uses operators configuration has no
    /// use for (<c>-&gt;</c>, <c>=&gt;</c>, <c>::</c>, <c>==</c>).</summary>
    private static bool ReadsAsCode(ReadOnlySpan<byte> line)
    {
        string text = System.Text.Encoding.Latin1.GetString(line.Trim(" \t\r"u8));
        if (text.Length == 0)
        {
            return false;
        }
        if (text[^1] is ';' or '{' or ')')
        {
            return true;
        }
        if (LiteralEntry().IsMatch(text))
        {
            // A line that is one hash or array entry mapping a key to a literal (Ruby's
            // :password => 'x', Perl's password => "x", PHP's 'password' => 'x',) configures,
            // as a config file's key = value does: => marks code only in other statements.
            return false;
        }
        foreach (string start in CodeStarts)
        {
            if (text.StartsWith(start, StringComparison.Ordinal))
            {
                return true;
            }
        }
        foreach (string mark in CodeMarks)
        {
            if (text.Contains(mark, StringComparison.Ordinal))
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Statements that configure in any language: <c>export NAME=</c>, <c>define(</c>,
    /// <c>$name = …</c>, <c>set NAME=</c>.</summary>
    private static bool IsAssignmentStatement(ReadOnlySpan<byte> text) =>
        StartsWithWord(text, "export"u8) || text.StartsWith("define"u8) || StartsWithWord(text, "set"u8)
        || (text.Length > 1 && text[0] == (byte)'$' && StartsWithAssignment(text[1..]));

    /// <summary>A line of code that configures rather than computes: it assigns a literal to a
    /// name the way configuration files do.</summary>
    private static bool IsConfigurationStatement(string memberPath, ReadOnlySpan<byte> line)
    {
        var text = line.TrimStart(" \t"u8);
        string extension = Path.GetExtension(memberPath);
        if (ShellExtensions.Contains(extension) || extension.Length == 0)
        {
            foreach (var word in (ReadOnlySpan<string>)["export", "readonly", "declare", "local"])
            {
                if (StartsWithWord(text, System.Text.Encoding.ASCII.GetBytes(word)))
                {
                    text = text[word.Length..].TrimStart(" \t"u8);
                    break;
                }
            }
            return StartsWithAssignment(text);
        }
        if (PhpExtensions.Contains(extension))
        {
            return text.StartsWith("define"u8) || (text.Length > 1 && text[0] == (byte)'$' && StartsWithAssignment(text[1..]));
        }
        if (extension.Equals(".ps1", StringComparison.OrdinalIgnoreCase) || extension.Equals(".psm1", StringComparison.OrdinalIgnoreCase))
        {
            return text.Length > 5 && System.Text.Ascii.EqualsIgnoreCase(text[..5], "$env:"u8);
        }
        if (BatchExtensions.Contains(extension))
        {
            return text.Length > 4 && System.Text.Ascii.EqualsIgnoreCase(text[..4], "set "u8);
        }
        return false;
    }

    /// <summary>Make's own assignments (<c>NAME ?= x</c>, <c>NAME ::= x</c>, <c>NAME :::= x</c>): a
    /// Makefile's settings, whose <c>::</c> is no scope operator of code. Not <c>:=</c>, which is
    /// also Pascal's and Go's assignment in code (<c>Password := 'pass';</c>).</summary>
    private static bool IsMakeAssignment(ReadOnlySpan<byte> text)
    {
        int i = 0;
        while (i < text.Length && (char.IsAsciiLetterOrDigit((char)text[i]) || text[i] is (byte)'_' or (byte)'.' or (byte)'-'))
        {
            i++;
        }
        var rest = text[i..].TrimStart(" \t"u8);
        return i > 0 && (rest.StartsWith("?="u8) || rest.StartsWith("::="u8) || rest.StartsWith(":::="u8));
    }

    private static bool StartsWithWord(ReadOnlySpan<byte> text, ReadOnlySpan<byte> word) =>
        text.StartsWith(word) && text.Length > word.Length && text[word.Length] is (byte)' ' or (byte)'\t';

    /// <summary><c>NAME=</c>, <c>NAME =</c> or <c>NAME['key'] =</c> at the start of the text (not <c>==</c>).</summary>
    private static bool StartsWithAssignment(ReadOnlySpan<byte> text)
    {
        int i = 0;
        while (i < text.Length && (char.IsAsciiLetterOrDigit((char)text[i]) || text[i] == (byte)'_'))
        {
            i++;
        }
        if (i == 0)
        {
            return false;
        }
        if (i < text.Length && text[i] == (byte)'[')
        {
            int close = text[i..].IndexOf((byte)']');
            if (close < 0)
            {
                return false;
            }
            i += close + 1;
        }
        while (i < text.Length && text[i] is (byte)' ' or (byte)'\t')
        {
            i++;
        }
        return i + 1 < text.Length && text[i] == (byte)'=' && text[i + 1] != (byte)'=';
    }

    /// <summary>A whole line that is <c>key =&gt; "literal"</c>, the key bare, quoted or a Ruby
    /// symbol, the literal in one kind of quotes with no escapes, an optional trailing comma.</summary>
    [GeneratedRegex(@"^:?[""']?[A-Za-z0-9_.\-]{1,80}[""']?[ \t]*=>[ \t]*(?:""[^""\\]*""|'[^'\\]*'),?$", RegexOptions.CultureInvariant)]
    private static partial Regex LiteralEntry();
}
