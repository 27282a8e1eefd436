using System.Text;

namespace LeakGuard.Core.Exposure;

/// <summary>What a licence text (a .nuspec's &lt;license type="file"&gt;, npm's "SEE LICENSE IN
/// file") or a licence URL says: an OSI-approved licence, a licence that is not open source, or
/// nothing LeakGuard recognises.</summary>
public sealed record LicenseText(LicenseStatus Status, string Label)
{
    public static readonly LicenseText Unrecognised = new(LicenseStatus.Unknown, "not a licence text LeakGuard recognises");
}

/// <summary>
/// Recognises licence texts by phrases each licence has and others lack ("Permission is hereby
/// granted, free of charge, to any person obtaining a copy" is MIT's grant), after folding case and
/// reducing every run of punctuation and white space to one space, so Markdown, comment prefixes
/// and line breaks do not matter. Source-available licences that are not open source (BUSL,
/// SSPL, Commons Clause…) are tried first, because they are often an open-source text with a
/// restriction added. Then the licence or proprietary wording ("Microsoft Software License Terms",
/// "end user license agreement", "confidential") that comes first in the text decides: an EULA
/// that mentions the GPL further down is still an EULA, and the GPL that mentions proprietary
/// programs is still the GPL. "All rights reserved" decides only when nothing else does, because
/// BSD and MIT copyright lines carry it too.
/// Licence URLs are recognised when they name a licence on a well-known site (opensource.org,
/// spdx.org, licenses.nuget.org, apache.org, gnu.org, mozilla.org, choosealicense.com).
/// </summary>
public static class LicenseTexts
{
    /// <summary>Licence texts are read up to this size (GPL-3.0 is 35 KB).</summary>
    public const int MaxBytes = 256 * 1024;

    // Each entry: phrases that must all appear (already folded), and the licence they make.
    private static readonly (string[] Phrases, string Id)[] NotOpenSource =
    [
        (["business source license"], "BUSL-1.1"),
        (["server side public license"], "SSPL-1.0"),
        (["elastic license"], "Elastic-2.0"),
        (["commons clause"], "Commons Clause"),
        (["polyform", "license"], "PolyForm"),
        (["functional source license"], "FSL"),
        (["confluent community license"], "Confluent Community License"),
    ];

    // Several may match (the GPL points at the LGPL, the MPL names the GPLs as secondary
    // licences): the one whose first phrase comes first is the licence, ties going to the
    // earlier entry. "GPL" and "LGPL" take their version from the text.
    private static readonly (string[] Phrases, string Id)[] OpenSource =
    [
        (["gnu affero general public license"], "AGPL-3.0"),
        (["gnu lesser general public license"], "LGPL"),
        (["gnu library general public license"], "LGPL-2.0"),
        (["gnu general public license"], "GPL"),
        (["mozilla public license version 1 1"], "MPL-1.1"),
        (["mozilla public license"], "MPL-2.0"),
        (["eclipse public license v 2 0"], "EPL-2.0"),
        (["eclipse public license version 2 0"], "EPL-2.0"),
        (["eclipse public license"], "EPL-1.0"),
        (["apache license", "version 2 0"], "Apache-2.0"),
        (["apache org licenses license 2 0"], "Apache-2.0"),
        (["microsoft public license"], "MS-PL"),
        (["microsoft reciprocal license"], "MS-RL"),
        (["boost software license"], "BSL-1.0"),
        (["artistic license 2 0"], "Artistic-2.0"),
        (["common development and distribution license"], "CDDL-1.0"),
        (["european union public licence"], "EUPL-1.2"),
        (["universal permissive license"], "UPL-1.0"),
        (["blue oak model license"], "BlueOak-1.0.0"),
        (["sil open font license"], "OFL-1.1"),
        (["university of illinois ncsa open source license"], "NCSA"),
        (["mulan permissive software license"], "MulanPSL-2.0"),
        (["python software foundation license"], "Python-2.0"),
        (["unicode license v3"], "Unicode-3.0"),
        (["this is free and unencumbered software released into the public domain"], "Unlicense"),
        (["permission is hereby granted free of charge to any person obtaining a copy", "the above copyright notice and this permission notice shall be included"], "MIT"),
        (["permission is hereby granted free of charge to any person obtaining a copy"], "MIT-0"),
        (["permission to use copy modify and or distribute this software for any purpose with or without fee is hereby granted", "provided that the above copyright notice"], "ISC"),
        (["permission to use copy modify and or distribute this software for any purpose with or without fee is hereby granted"], "0BSD"),
        (["permission to use copy modify and distribute this software for any purpose with or without fee is hereby granted"], "ISC"),
        (["permission to use copy modify and distribute this software and its documentation for any purpose without fee and without a written agreement is hereby granted"], "PostgreSQL"),
        // X11 and its relatives: "…modify, distribute, and sell this software and its documentation…".
        (["permission to use copy modify distribute and sell this software and its documentation for any purpose is hereby granted"], "HPND"),
        (["permission to use copy modify and distribute this software and its documentation for any purpose", "hereby granted"], "HPND"),
        // "Redistribution and use of this software in source and binary forms" is a BSD too.
        (["redistribution and use", "source and binary forms with or without modification are permitted", "endorse or promote products derived from this software"], "BSD-3-Clause"),
        (["redistribution and use", "source and binary forms with or without modification are permitted"], "BSD-2-Clause"),
        (["altered source versions must be plainly marked as such"], "Zlib"),
    ];

    private static readonly string[] ProprietaryWording =
    [
        "microsoft software license terms", "end user license agreement", "proprietary and confidential",
        "proprietary license", "proprietary licence", "proprietary software", "confidential", "commercial license",
        "commercial licence", "unauthorized copying", "may not be copied", "may not be redistributed",
        "may not be distributed", "may not be reproduced",
    ];

    private const string AllRightsReserved = "all rights reserved";

    /// <summary>File names worth reading as a licence before any manifest names them: LICENSE,
    /// LICENCE.md, LICENSE-MIT, COPYING, EULA.txt, NOTICE…</summary>
    public static bool IsLicenseFileName(string path)
    {
        int slash = path.LastIndexOfAny(['/', '\\', '!']);
        var name = path.AsSpan(slash + 1);
        return name.Contains("licen", StringComparison.OrdinalIgnoreCase) ||
               name.StartsWith("copying", StringComparison.OrdinalIgnoreCase) ||
               name.StartsWith("eula", StringComparison.OrdinalIgnoreCase) ||
               name.StartsWith("notice", StringComparison.OrdinalIgnoreCase);
    }

    public static LicenseText Identify(ReadOnlySpan<byte> content)
    {
        string text = Fold(content[..Math.Min(content.Length, MaxBytes)]);
        if (text.Length == 0)
        {
            return LicenseText.Unrecognised;
        }
        foreach (var (phrases, id) in NotOpenSource)
        {
            if (ContainsAll(text, phrases))
            {
                return new LicenseText(LicenseStatus.NotOpenSource, $"{id} (source-available, not OSI-approved)");
            }
        }
        (int at, string? found) = (int.MaxValue, null);
        foreach (var (phrases, id) in OpenSource)
        {
            int index = text.IndexOf(phrases[0], StringComparison.Ordinal);
            if (index >= 0 && index < at && ContainsAll(text, phrases))
            {
                (at, found) = (index, id);
            }
        }
        bool proprietary = false;
        foreach (string wording in ProprietaryWording)
        {
            int index = text.IndexOf(' ' + wording + ' ', StringComparison.Ordinal);
            if (index >= 0 && index < at)
            {
                (at, found, proprietary) = (index, wording, true);
            }
        }
        if (found is null && text.Contains(' ' + AllRightsReserved + ' ', StringComparison.Ordinal))
        {
            (found, proprietary) = (AllRightsReserved, true);
        }
        if (found is null)
        {
            return LicenseText.Unrecognised;
        }
        if (proprietary)
        {
            return new LicenseText(LicenseStatus.NotOpenSource, $"a proprietary licence (\"{found}\")");
        }
        return new LicenseText(LicenseStatus.OpenSource, found switch
        {
            "LGPL" => text.Contains(" version 2 1 ", StringComparison.Ordinal) ? "LGPL-2.1" : "LGPL-3.0",
            "GPL" => text.Contains(" version 3 ", StringComparison.Ordinal) ? "GPL-3.0" : "GPL-2.0",
            _ => found,
        });
    }

    /// <summary>The licence a URL names, when it is a well-known licence page; null otherwise.</summary>
    public static LicenseText? FromUrl(string url)
    {
        if (!Uri.TryCreate(url.Trim(), UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            return null;
        }
        string host = uri.Host.ToLowerInvariant();
        host = host.StartsWith("www.", StringComparison.Ordinal) ? host[4..] : host;
        string path = Uri.UnescapeDataString(uri.AbsolutePath).Trim('/');
        foreach (string suffix in new[] { ".html", ".htm", ".php", ".txt", ".md", ".json" })
        {
            if (path.EndsWith(suffix, StringComparison.OrdinalIgnoreCase))
            {
                path = path[..^suffix.Length];
            }
        }
        string[] segments = path.Split('/', StringSplitOptions.RemoveEmptyEntries);
        string? last = segments.Length > 0 ? segments[^1] : null;
        string? id = host switch
        {
            "licenses.nuget.org" => path,
            "opensource.org" when segments is ["licenses" or "license", _] => Alias(last!),
            "spdx.org" when segments is ["licenses", _] => last,
            "choosealicense.com" when segments is ["licenses", _] => last,
            "apache.org" when last is not null && last.Equals("LICENSE-2.0", StringComparison.OrdinalIgnoreCase) => "Apache-2.0",
            "gnu.org" when segments is ["licenses", _] => Gnu(last!),
            "mozilla.org" when path.EndsWith("MPL/2.0", StringComparison.OrdinalIgnoreCase) => "MPL-2.0",
            "unlicense.org" => "Unlicense",
            "microsoft.com" when uri.Fragment.Equals("#Ms-PL", StringComparison.OrdinalIgnoreCase) => "MS-PL",
            _ => null,
        };
        if (id is null || id.Length == 0)
        {
            return null;
        }
        return OpenSourceLicenses.IsOpenSource(id) ? new LicenseText(LicenseStatus.OpenSource, OpenSourceLicenses.Canonical(id)) : null;

        // opensource.org's old page names (mit-license.php, bsd-license.php…).
        static string Alias(string name) => name.ToLowerInvariant() switch
        {
            "mit-license" => "MIT",
            "bsd-license" => "BSD-2-Clause",
            "apache2.0" => "Apache-2.0",
            "gpl-license" => "GPL-2.0",
            "lgpl-license" => "LGPL-2.1",
            _ => name,
        };

        // gnu.org/licenses/gpl-3.0.en.html, lgpl-2.1, agpl-3.0.
        static string? Gnu(string name)
        {
            string bare = name.EndsWith(".en", StringComparison.OrdinalIgnoreCase) ? name[..^3] : name;
            return bare.ToLowerInvariant() switch
            {
                "gpl-3.0" or "gpl" => "GPL-3.0",
                "gpl-2.0" or "old-licenses" => "GPL-2.0",
                "lgpl-3.0" or "lgpl" => "LGPL-3.0",
                "lgpl-2.1" => "LGPL-2.1",
                "agpl-3.0" or "agpl" => "AGPL-3.0",
                _ => null,
            };
        }
    }

    private static bool ContainsAll(string text, string[] phrases)
    {
        foreach (string phrase in phrases)
        {
            if (!text.Contains(phrase, StringComparison.Ordinal))
            {
                return false;
            }
        }
        return true;
    }

    /// <summary>Lower-case letters and digits, every other run of characters one space, with a
    /// space at either end so that whole words can be matched.</summary>
    private static string Fold(ReadOnlySpan<byte> content)
    {
        string decoded = Encoding.UTF8.GetString(content);
        var folded = new StringBuilder(decoded.Length + 2).Append(' ');
        foreach (char c in decoded)
        {
            if (char.IsLetterOrDigit(c))
            {
                folded.Append(char.ToLowerInvariant(c));
            }
            else if (folded[^1] != ' ')
            {
                folded.Append(' ');
            }
        }
        if (folded[^1] != ' ')
        {
            folded.Append(' ');
        }
        return folded.Length == 1 ? "" : folded.ToString();
    }
}
