using LeakGuard.Core.Reporting;
using static LeakGuard.Core.Tests.Samples;

namespace LeakGuard.Core.Tests.Reporting;

public class CsvReportWriterTests
{
    /// <summary>An RFC 4180 reader: quoted fields, doubled quotes, CRLF records.</summary>
    private static List<List<string>> Parse(string csv)
    {
        var rows = new List<List<string>>();
        var row = new List<string>();
        var cell = new System.Text.StringBuilder();
        int i = 0;
        while (i < csv.Length)
        {
            Assert.Equal('"', csv[i++]);
            while (!(csv[i] == '"' && (i + 1 == csv.Length || csv[i + 1] != '"')))
            {
                cell.Append(csv[i] == '"' ? csv[i++] : csv[i]);
                i++;
            }
            i++;
            row.Add(cell.ToString());
            cell.Clear();
            if (csv[i] == ',')
            {
                i++;
                continue;
            }
            Assert.Equal("\r\n", csv.Substring(i, 2));
            i += 2;
            rows.Add(row);
            row = [];
        }
        return rows;
    }

    [Fact]
    public void Writes_a_header_and_one_row_per_finding_with_the_redacted_secret()
    {
        var findings = new[] { Finding(line: 1), Finding(path: "b.js", line: null, secret: null) };

        var rows = Parse(Render(new CsvReportWriter(), Report(findings)));

        Assert.Equal(3, rows.Count);
        var header = rows[0];
        Assert.All(rows, r => Assert.Equal(header.Count, r.Count));
        var first = header.Zip(rows[1]).ToDictionary(p => p.First, p => p.Second);
        Assert.Equal(("critical", "github.classic-pat", "src/app.js", "1", "ghp_…G5iK", findings[0].Fingerprint),
            (first["severity"], first["rule_id"], first["path"], first["line"], first["secret"], first["fingerprint"]));
        var second = header.Zip(rows[2]).ToDictionary(p => p.First, p => p.Second);
        Assert.Equal(("b.js", "", ""), (second["path"], second["line"], second["secret"]));
    }

    [Fact]
    public void Commas_quotes_and_newlines_in_a_value_stay_in_their_cell()
    {
        string path = "a, \"b\"\r\nc.js";

        var rows = Parse(Render(new CsvReportWriter(), Report([Finding(path: path)])));

        Assert.Equal(2, rows.Count);
        Assert.Equal(path, rows[1][rows[0].IndexOf("path")]);
    }

    [Theory]
    [InlineData("=HYPERLINK(\"http://x\")")]
    [InlineData("+1+2")]
    [InlineData("-2+3")]
    [InlineData("@SUM(A1)")]
    [InlineData("\tx")]
    [InlineData("\rx")]
    public void A_cell_a_spreadsheet_would_run_as_a_formula_is_text(string path)
    {
        var rows = Parse(Render(new CsvReportWriter(), Report([Finding(path: path)])));

        Assert.Equal("'" + path, rows[1][rows[0].IndexOf("path")]);
    }

    [Fact]
    public void A_value_that_only_contains_formula_characters_is_left_as_it_is()
    {
        var rows = Parse(Render(new CsvReportWriter(), Report([Finding(path: "src/a=b+c.js")])));

        Assert.Equal("src/a=b+c.js", rows[1][rows[0].IndexOf("path")]);
    }
}
