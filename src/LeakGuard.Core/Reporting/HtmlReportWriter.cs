using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using LeakGuard.Core.Exposure;
using LeakGuard.Core.Findings;

namespace LeakGuard.Core.Reporting;

/// <summary>
/// One self-contained HTML page for people triaging a scan: a summary by severity, rule and path,
/// then every finding with its location, redacted secret and details (for an exposure: how many
/// embedded sources are first-party, third-party or generated, and a collapsible tree of their
/// paths, built from nested <c>details</c> elements, not script). The page loads
/// nothing: styles and the filter script are inline, and its Content-Security-Policy allows no
/// other source and only this script (by its hash). Everything from the scan is HTML-encoded, so a
/// file named <c>&lt;img onerror=…&gt;</c> is text. The rows are written here, not by the script:
/// the page reads the same with scripts off, and filtering only hides rows.
/// </summary>
public sealed class HtmlReportWriter : IReportWriter
{
    /// <summary>Paths listed in the summary; the rest are counted in one line.</summary>
    private const int SummaryPaths = 50;

    /// <summary>Folders and files one exposure's source tree shows; paths past it are counted in one line.</summary>
    internal const int TreeNodes = 2000;

    /// <summary>A tree this small shows with every folder open; a larger one, with its folders closed.</summary>
    private const int OpenTreeNodes = 50;

    private const string FirstParty = "first-party", ThirdParty = "third-party", Generated = "generated";

    private const string Style = """
        body{font:14px/1.45 system-ui,sans-serif;margin:24px;color:#1b1f24;background:#fff}
        h1{font-size:20px;margin:0 0 4px}h2{font-size:16px;margin:24px 0 8px}
        table{border-collapse:collapse;width:100%;margin-bottom:8px}
        th,td{border-bottom:1px solid #d8dee4;padding:4px 8px;text-align:left;vertical-align:top}
        th{background:#f6f8fa}td.n{text-align:right;font-variant-numeric:tabular-nums}
        code,pre{font:12px ui-monospace,monospace}pre{white-space:pre-wrap;margin:4px 0;max-width:60em;overflow-wrap:anywhere}
        .sev{font-weight:600;border-radius:3px;padding:0 6px}
        .critical{background:#8b0000;color:#fff}.high{background:#d1242f;color:#fff}.medium{background:#bf8700;color:#fff}
        .low{background:#0969da;color:#fff}.info{background:#6e7781;color:#fff}
        .summary{display:flex;gap:32px;flex-wrap:wrap}.summary>div{min-width:16em}
        #filters{position:sticky;top:0;background:#fff;padding:8px 0;border-bottom:1px solid #d8dee4}
        #filters label{margin-right:16px}.muted{color:#57606a}
        pre.context{background:#f6f8fa;padding:4px 6px;border-radius:3px}pre.context mark{background:#fff8c5}
        .tree ul{list-style:none;margin:0;padding-left:14px}ul.tree{padding-left:0}.tree p{margin:4px 0}
        .src{font-size:11px;border-radius:3px;padding:0 4px}.first-party{background:#ffebe9}.third-party{background:#ddf4ff}.generated{background:#eaeef2}
        """;

    private const string Script = """
        (function(){
          var rank={critical:4,high:3,medium:2,low:1,info:0};
          var sev=document.getElementById('f-severity'),rule=document.getElementById('f-rule'),path=document.getElementById('f-path');
          var rows=document.querySelectorAll('#findings tbody tr'),shown=document.getElementById('shown');
          function apply(){
            var min=rank[sev.value],r=rule.value,p=path.value.toLowerCase(),n=0;
            for(var i=0;i<rows.length;i++){
              var d=rows[i].dataset;
              var ok=rank[d.severity]>=min&&(r===''||d.rule===r)&&(p===''||d.path.toLowerCase().indexOf(p)>=0);
              rows[i].hidden=!ok;if(ok)n++;
            }
            shown.textContent=String(n);
          }
          sev.addEventListener('change',apply);rule.addEventListener('change',apply);path.addEventListener('input',apply);
          apply();
        })();
        """;

    /// <summary>What the Content-Security-Policy allows: this page's own script and styles, nothing else.</summary>
    internal static readonly string ContentSecurityPolicy =
        $"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{Convert.ToBase64String(SHA256.HashData(Encoding.UTF8.GetBytes(Script)))}'; "
        + "img-src 'none'; form-action 'none'; base-uri 'none'";

    private static readonly JsonWriterOptions DetailsOptions = new() { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public void Write(ScanReport report, TextWriter output)
    {
        var findings = report.Result.Findings;
        var stats = report.Result.Stats;
        output.Write("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\n");
        output.Write($"<meta http-equiv=\"Content-Security-Policy\" content=\"{Encode(ContentSecurityPolicy)}\">\n");
        output.Write($"<title>{Encode(report.Tool)} report: {findings.Count.ToString("N0", CultureInfo.InvariantCulture)} findings</title>\n");
        output.Write($"<style>{Style}</style></head><body>\n");
        output.Write($"<h1>{Encode(report.Tool)} {Encode(report.Version)}: <span id=\"total\">{Count(findings.Count)}</span> findings</h1>\n");
        output.Write($"<p class=\"muted\">{Count(stats.Blobs)} files, {Encode(ByteCount.Format(stats.Bytes))}, "
            + $"{stats.Seconds.ToString("0.##", CultureInfo.InvariantCulture)} s, engine {Encode(report.Result.Engine)}; "
            + $"{Count(report.Result.Warnings.Count)} warnings</p>\n");
        WriteSummary(output, findings);
        WriteFilters(output, findings);
        WriteFindings(output, findings);
        WriteNotes(output, report);
        output.Write($"<script>{Script}</script>\n</body></html>\n");
    }

    private static void WriteSummary(TextWriter output, IReadOnlyList<Finding> findings)
    {
        output.Write("<h2>Summary</h2><div class=\"summary\">\n<div><table id=\"by-severity\"><thead><tr><th>severity</th><th>findings</th></tr></thead><tbody>\n");
        foreach (var severity in Enum.GetValues<Severity>().OrderDescending())
        {
            int n = findings.Count(f => f.Severity == severity);
            output.Write($"<tr data-severity=\"{severity.Name()}\"><td><span class=\"sev {severity.Name()}\">{severity.Name()}</span></td><td class=\"n\">{Count(n)}</td></tr>\n");
        }
        output.Write("</tbody></table></div>\n<div><table id=\"by-rule\"><thead><tr><th>rule</th><th>findings</th></tr></thead><tbody>\n");
        foreach (var rule in findings.GroupBy(f => f.RuleId, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal))
        {
            output.Write($"<tr><td><code>{Encode(rule.Key)}</code></td><td class=\"n\">{Count(rule.Count())}</td></tr>\n");
        }
        output.Write("</tbody></table></div>\n<div><table id=\"by-path\"><thead><tr><th>path</th><th>findings</th></tr></thead><tbody>\n");
        var paths = findings.GroupBy(f => f.Location.Path, StringComparer.Ordinal).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).ToList();
        foreach (var path in paths.Take(SummaryPaths))
        {
            output.Write($"<tr><td><code>{Encode(path.Key)}</code></td><td class=\"n\">{Count(path.Count())}</td></tr>\n");
        }
        if (paths.Count > SummaryPaths)
        {
            output.Write($"<tr><td class=\"muted\">{Count(paths.Count - SummaryPaths)} more paths</td><td class=\"n\">{Count(paths.Skip(SummaryPaths).Sum(g => g.Count()))}</td></tr>\n");
        }
        output.Write("</tbody></table></div>\n</div>\n");
    }

    private static void WriteFilters(TextWriter output, IReadOnlyList<Finding> findings)
    {
        output.Write("<h2>Findings</h2><div id=\"filters\"><label>severity at least <select id=\"f-severity\">");
        foreach (var severity in Enum.GetValues<Severity>().OrderDescending())
        {
            string selected = severity == Severity.Info ? " selected" : "";
            output.Write($"<option value=\"{severity.Name()}\"{selected}>{severity.Name()}</option>");
        }
        output.Write("</select></label><label>rule <select id=\"f-rule\"><option value=\"\">all</option>");
        foreach (string rule in findings.Select(f => f.RuleId).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal))
        {
            output.Write($"<option value=\"{Encode(rule)}\">{Encode(rule)}</option>");
        }
        output.Write("</select></label><label>path contains <input id=\"f-path\" type=\"search\"></label>");
        output.Write($"<span class=\"muted\">showing <span id=\"shown\">{Count(findings.Count)}</span> of {Count(findings.Count)}</span></div>\n");
    }

    private static void WriteFindings(TextWriter output, IReadOnlyList<Finding> findings)
    {
        output.Write("<table id=\"findings\"><thead><tr><th>severity</th><th>rule</th><th>where</th><th>secret</th><th>details</th></tr></thead><tbody>\n");
        foreach (var f in findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Location.Path, StringComparer.Ordinal).ThenBy(f => f.Location.Line))
        {
            var l = f.Location;
            string where = l.Line is { } line ? $"{l.Path}:{line.ToString(CultureInfo.InvariantCulture)}" : l.Path;
            output.Write($"<tr data-severity=\"{f.Severity.Name()}\" data-rule=\"{Encode(f.RuleId)}\" data-path=\"{Encode(l.Path)}\">");
            output.Write($"<td><span class=\"sev {f.Severity.Name()}\">{f.Severity.Name()}</span><br><span class=\"muted\">{f.Confidence.Name()} confidence</span></td>");
            output.Write($"<td>{Encode(f.Title)}<br><code class=\"muted\">{Encode(f.RuleId)}</code></td>");
            output.Write($"<td><code>{Encode(where)}</code>");
            foreach (var (label, value) in new[] { ("commit", l.Commit), ("author", l.Author), ("package", l.Package is null ? null : $"{l.Package}@{l.Version}") })
            {
                if (value is not null)
                {
                    output.Write($"<br><span class=\"muted\">{label}</span> <code>{Encode(value)}</code>");
                }
            }
            output.Write($"</td><td><code>{Encode(f.Secret ?? "")}</code><br><code class=\"muted\" title=\"fingerprint\">{Encode(f.Fingerprint)}</code>");
            if (f.Validation is { } validation)
            {
                output.Write($"<br><span class=\"muted\">validation</span> <code>{Encode(validation.Describe())}</code>");
            }
            if (f.Context is { } context)
            {
                output.Write("<pre class=\"context\">");
                for (int i = 0; i < context.Lines.Count; i++)
                {
                    output.Write(i == context.SecretLine ? $"<mark>{Encode(context.Lines[i])}</mark>\n" : $"{Encode(context.Lines[i])}\n");
                }
                output.Write("</pre>");
            }
            output.Write("</td><td>");
            if (f.Kind == FindingKind.Exposure && f.Details.ContainsKey("embeddedSources"))
            {
                WriteSourceTree(output, f.Details);
            }
            if (f.Details.Count > 0)
            {
                output.Write($"<details><summary>{Count(f.Details.Count)} fields</summary><pre>{Encode(DetailsJson.ToText(f.Details, DetailsOptions))}</pre></details>");
            }
            output.Write("</td></tr>\n");
        }
        output.Write("</tbody></table>\n");
    }

    /// <summary>
    /// The embedded sources as a tree of nested <c>details</c>, each file marked first-party,
    /// third-party or generated, under the counts per class: the paths the finding lists by class
    /// (<c>sources</c>, up to <see cref="EmbeddedSourceStats.ListedSources"/>), and how many more there are.
    /// </summary>
    private static void WriteSourceTree(TextWriter output, IReadOnlyDictionary<string, object?> details)
    {
        long total = Number(details, "embeddedSources");
        var counts = new Dictionary<string, long>
        {
            [FirstParty] = Number(details, "firstParty"),
            [ThirdParty] = Number(details, "thirdParty"),
            [Generated] = Number(details, "generated"),
        };
        var root = new Folder();
        var listed = new Dictionary<string, long> { [FirstParty] = 0, [ThirdParty] = 0, [Generated] = 0 };
        int nodes = 0, leftOut = 0;
        var classes = details.GetValueOrDefault("sources") as IReadOnlyDictionary<string, object?>;
        foreach (var (key, source) in new[] { ("firstParty", FirstParty), ("thirdParty", ThirdParty), ("generated", Generated) })
        {
            foreach (string path in classes?.GetValueOrDefault(key) as IEnumerable<string> ?? [])
            {
                if (!root.TryAdd(path, source, TreeNodes - nodes, out int added))
                {
                    leftOut++;
                }
                else if (added > 0)
                {
                    nodes += added;
                    listed[source]++;
                }
            }
        }
        long shown = listed.Values.Sum();
        output.Write($"<details class=\"tree\"><summary>source tree: {Count(shown)} of {Count(total)} embedded sources listed</summary>");
        output.Write($"<p>{Count(total)} embedded sources: ");
        output.Write(string.Join(", ", counts.Select(c => $"<span class=\"src {c.Key}\">{c.Key}</span> {Count(c.Value)}")));
        output.Write("</p><ul class=\"tree\">");
        root.Write(output, open: nodes <= OpenTreeNodes);
        output.Write("</ul>");
        if (leftOut > 0)
        {
            output.Write($"<p class=\"muted\">{Count(leftOut)} more paths left out: the tree shows at most {Count(TreeNodes)} folders and files.</p>");
        }
        long notListed = Math.Max(0, total - shown);
        if (notListed > 0)
        {
            string byClass = string.Join(", ", counts.Where(c => c.Value > listed[c.Key]).Select(c => $"{Count(c.Value - listed[c.Key])} {c.Key}"));
            output.Write($"<p class=\"muted\">{Count(notListed)} more not listed{(byClass.Length > 0 ? $" ({byClass})" : "")}: "
                + $"a finding lists at most {Count(EmbeddedSourceStats.ListedSources)} paths.</p>");
        }
        output.Write("</details>");
    }

    /// <summary>A count as the scan wrote it.</summary>
    private static long Number(IReadOnlyDictionary<string, object?> details, string key) => details.GetValueOrDefault(key) switch
    {
        int n => n,
        long n => n,
        _ => 0,
    };

    /// <summary>One folder of a source tree: its folders and files by name, and how many files are under it.</summary>
    private sealed class Folder
    {
        private readonly SortedDictionary<string, Folder> _folders = new(StringComparer.Ordinal);
        private readonly SortedDictionary<string, string> _files = new(StringComparer.Ordinal);
        private int _count;

        /// <summary>Adds a file by its path unless that takes more than <paramref name="budget"/> new nodes.</summary>
        /// <param name="added">The folders and file the path added: 0 for a path already there written
        /// another way (<c>a\b</c>, <c>a//b</c>).</param>
        public bool TryAdd(string path, string source, int budget, out int added)
        {
            string[] names = path.Split(['/', '\\'], StringSplitOptions.RemoveEmptyEntries);
            if (names.Length == 0)
            {
                names = [path];
            }
            // Count what the path adds before adding any of it, so a path is in the tree whole or not at all.
            added = 0;
            Folder? at = this;
            foreach (string name in names[..^1])
            {
                at = at?._folders.GetValueOrDefault(name);
                added += at is null ? 1 : 0;
            }
            added += at is not null && at._files.ContainsKey(names[^1]) ? 0 : 1;
            if (added > budget || added == 0)
            {
                return added == 0;
            }
            var folder = this;
            folder._count++;
            foreach (string name in names[..^1])
            {
                if (!folder._folders.TryGetValue(name, out var next))
                {
                    folder._folders[name] = next = new Folder();
                }
                folder = next;
                folder._count++;
            }
            folder._files[names[^1]] = source;
            return true;
        }

        public void Write(TextWriter output, bool open)
        {
            string state = open ? " open" : "";
            foreach (var (name, child) in _folders)
            {
                // A chain of folders that hold one folder each is one row: ../../src/app/.
                var (label, folder) = (name + "/", child);
                while (folder._files.Count == 0 && folder._folders.Count == 1)
                {
                    var only = folder._folders.First();
                    (label, folder) = (label + only.Key + "/", only.Value);
                }
                output.Write($"<li><details{state}><summary><code>{Encode(label)}</code> <span class=\"muted\">{Count(folder._count)}</span></summary><ul>");
                folder.Write(output, open);
                output.Write("</ul></details></li>");
            }
            foreach (var (name, source) in _files)
            {
                output.Write($"<li><code>{Encode(name)}</code> <span class=\"src {source}\">{source}</span></li>");
            }
        }
    }

    private static void WriteNotes(TextWriter output, ScanReport report)
    {
        var notes = report.Notes.Concat(report.Result.Notes).ToList();
        if (notes.Count == 0 && report.Result.Warnings.Count == 0)
        {
            return;
        }
        output.Write("<h2>Notes and warnings</h2><ul id=\"warnings\">\n");
        foreach (string note in notes)
        {
            output.Write($"<li>{Encode(note)}</li>\n");
        }
        foreach (var warning in report.Result.Warnings)
        {
            output.Write($"<li><code>{Encode(warning.Path)}</code>: {Encode(warning.Message)}</li>\n");
        }
        output.Write("</ul>\n");
    }

    private static string Count(long n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Encode(string text) => WebUtility.HtmlEncode(text);
}
