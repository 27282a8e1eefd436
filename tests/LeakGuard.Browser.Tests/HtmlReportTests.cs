using System.Text.Json;
using LeakGuard.Processes;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;

namespace LeakGuard.Browser.Tests;

/// <summary>The <c>--format html</c> report of a real scan, opened in Chromium: its counts agree
/// with the JSON report of the same scan, and its filters show what they say.</summary>
public sealed class HtmlReportTests : IDisposable
{
    private readonly Chromium chromium = new();
    private readonly string tree = SecretsTree.Write();
    private readonly string output = Directory.CreateTempSubdirectory("leakguard-browser-report-").FullName;

    public void Dispose()
    {
        chromium.Dispose();
        Directory.Delete(tree, recursive: true);
        Directory.Delete(output, recursive: true);
    }

    /// <summary>Runs the built CLI as a user would; exit 1 means it found something.</summary>
    private void Scan(string format, string file)
    {
        string dll = Path.Join(AppContext.BaseDirectory, "leakguard.dll");
        var command = new ProcessCommand("dotnet", [dll, "scan", tree, "--format", format, "--output", file, "--engine", "managed"])
        {
            Environment = new Dictionary<string, string?>
            {
                ["NO_COLOR"] = "1", ["XDG_CONFIG_HOME"] = output, ["LEAKGUARD_CACHE"] = Path.Join(output, "cache"),
            },
            Description = "leakguard scan",
        };
        var result = ProcessRunner.Run(command, TimeSpan.FromMinutes(3));
        Assert.True(result.ExitCode == 1, $"leakguard scan --format {format} exited {result.ExitCode}: {result.StandardError}");
    }

    [Fact]
    public void The_report_shows_the_scans_counts_and_its_filters_hide_what_they_exclude()
    {
        string json = Path.Join(output, "report.json");
        string html = Path.Join(output, "report.html");
        Scan("json", json);
        Scan("html", html);
        using var report = JsonDocument.Parse(File.ReadAllText(json));
        var findings = report.RootElement.GetProperty("findings").EnumerateArray().ToList();
        int Count(Func<JsonElement, bool> which) => findings.Count(which);
        Assert.True(findings.Count >= 5, $"the tree holds at least five secrets; the scan found {findings.Count}");

        var browser = chromium.Browser;
        browser.Navigate().GoToUrl(new Uri(html).AbsoluteUri);
        chromium.Screenshot("html-report");

        Assert.Equal(findings.Count.ToString(), browser.FindElement(By.Id("total")).Text);
        Assert.Equal(findings.Count.ToString(), browser.FindElement(By.Id("shown")).Text);
        Assert.Equal(findings.Count, browser.FindElements(By.CssSelector("#findings tbody tr")).Count(r => r.Displayed));
        foreach (string severity in new[] { "critical", "high", "medium", "low", "info" })
        {
            var row = browser.FindElement(By.CssSelector($"#by-severity tr[data-severity='{severity}'] td.n"));
            Assert.Equal(Count(f => f.GetProperty("severity").GetString() == severity).ToString(), row.Text);
        }
        // The file named as markup is shown as its name; no script ran from it.
        Assert.Contains("<img src=x onerror=alert(1)>.js", browser.FindElement(By.Id("findings")).Text);
        Assert.Throws<NoAlertPresentException>(() => browser.SwitchTo().Alert());

        new SelectElement(browser.FindElement(By.Id("f-severity"))).SelectByValue("critical");
        int critical = Count(f => f.GetProperty("severity").GetString() == "critical");
        Assert.True(critical > 0 && critical < findings.Count, "the tree holds critical findings and others");
        Assert.Equal(critical.ToString(), browser.FindElement(By.Id("shown")).Text);
        var shown = browser.FindElements(By.CssSelector("#findings tbody tr")).Where(r => r.Displayed).ToList();
        Assert.Equal(critical, shown.Count);
        Assert.All(shown, r => Assert.Equal("critical", r.GetAttribute("data-severity")));

        new SelectElement(browser.FindElement(By.Id("f-severity"))).SelectByValue("info");
        browser.FindElement(By.Id("f-path")).SendKeys("billing");
        int billing = Count(f => f.GetProperty("location").GetProperty("path").GetString()!.Contains("billing", StringComparison.OrdinalIgnoreCase));
        Assert.True(billing > 0);
        chromium.WaitFor("the path filter to apply", b => b.FindElement(By.Id("shown")).Text == billing.ToString());
        chromium.Screenshot("html-report-filtered");
    }
}
