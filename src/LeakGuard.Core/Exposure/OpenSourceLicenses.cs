namespace LeakGuard.Core.Exposure;

/// <summary>
/// Decides whether an SPDX licence expression (package.json's "license", a .nuspec's licence
/// expression) makes a package open source: every alternative of an OR may be chosen, so one
/// OSI-approved alternative suffices; every part of an AND applies, so all must be OSI-approved.
/// Anything not on the list counts as not open source: a false "critical" costs a look, a false
/// "low" hides a leak.
/// </summary>
public static class OpenSourceLicenses
{
    /// <summary>OSI-approved SPDX identifiers that packages actually use (opensource.org/licenses).</summary>
    private static readonly HashSet<string> Approved = new(StringComparer.OrdinalIgnoreCase)
    {
        "0BSD", "AFL-3.0", "AGPL-3.0", "AGPL-3.0-only", "AGPL-3.0-or-later", "Apache-1.1", "Apache-2.0",
        "APSL-2.0", "Artistic-2.0", "BlueOak-1.0.0", "BSD-1-Clause", "BSD-2-Clause", "BSD-2-Clause-Patent",
        "BSD-3-Clause", "BSL-1.0", "CDDL-1.0", "CECILL-2.1", "ECL-2.0", "EFL-2.0", "EPL-1.0", "EPL-2.0",
        "EUPL-1.1", "EUPL-1.2", "GPL-2.0", "GPL-2.0-only", "GPL-2.0-or-later", "GPL-3.0", "GPL-3.0-only",
        "GPL-3.0-or-later", "HPND", "ISC", "LGPL-2.0", "LGPL-2.0-only", "LGPL-2.0-or-later", "LGPL-2.1", "LGPL-2.1-only", "LGPL-2.1-or-later", "LGPL-3.0",
        "LGPL-3.0-only", "LGPL-3.0-or-later", "LPL-1.02", "MIT", "MIT-0", "MPL-1.1", "MPL-2.0", "MS-PL",
        "MS-RL", "MulanPSL-2.0", "NCSA", "OFL-1.1", "OSL-3.0", "PHP-3.01", "PostgreSQL", "Python-2.0",
        "UPL-1.0", "Unicode-3.0", "Unlicense", "W3C", "Zlib", "ZPL-2.1",
    };

    /// <summary>An approved identifier as SPDX spells it ("mit" → "MIT"); anything else as it is.</summary>
    public static string Canonical(string id) => Approved.TryGetValue(id, out string? spelled) ? spelled : id;

    public static bool IsOpenSource(string expression)
    {
        string flat = expression.Replace('(', ' ').Replace(')', ' ');
        foreach (string alternative in flat.Split(" OR ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            bool all = true;
            foreach (string part in alternative.Split(" AND ", StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                // "GPL-2.0 WITH Classpath-exception-2.0": an exception only adds permissions.
                string id = part.Split(" WITH ", 2, StringSplitOptions.TrimEntries)[0].TrimEnd('+');
                all &= Approved.Contains(id);
            }
            if (all)
            {
                return true;
            }
        }
        return false;
    }
}
