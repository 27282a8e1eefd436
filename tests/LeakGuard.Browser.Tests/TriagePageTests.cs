using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using LeakGuard.Core.Scanning;
using LeakGuard.Matching;
using LeakGuard.Service.Api;
using LeakGuard.Storage;
using Microsoft.AspNetCore.Builder;
using OpenQA.Selenium;
using OpenQA.Selenium.Support.UI;
using Serilog;

namespace LeakGuard.Browser.Tests;

/// <summary>
/// The service's triage page in Chromium, on a real Kestrel host and SQLite store holding what a
/// real scan of <see cref="SecretsTree"/> found: sign in with the key, filter, open a finding, mark
/// it a false positive, and see the change through the API as any other client would.
/// </summary>
public sealed class TriagePageTests : IAsyncLifetime
{
    private const string Key = "lg-browser-key-0123456789abcdef";
    private const string Target = "git:https://git.example.com/acme/billing.git";

    private readonly Chromium chromium = new();
    private readonly string directory = Directory.CreateTempSubdirectory("leakguard-browser-store-").FullName;
    private readonly Serilog.Core.Logger logger = new LoggerConfiguration().CreateLogger();
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(10) };
    private ILeakGuardStore store = null!;
    private WebApplication app = null!;
    private IReadOnlyList<StoredFinding> stored = [];
    private string origin = "";

    public async Task InitializeAsync()
    {
        store = await StoreFactory.OpenAsync("sqlite:" + Path.Join(directory, "leakguard.db"));
        using (var session = ScanSession.Open(new ScanSettings { Engine = EngineKind.Managed }))
        {
            var items = SecretsTree.Files.Select(file => new SourceItem
            {
                Path = file.Key, Open = () => new MemoryStream(System.Text.Encoding.UTF8.GetBytes(file.Value)),
            });
            stored = await store.RecordScanAsync(Target, session.Scan(items).Result.Findings, []);
        }
        Assert.True(stored.Count >= 5, $"the scan of the tree found {stored.Count} findings, fewer than the five secrets it holds");
        int port = FreePort();
        app = ApiServer.Build(new IPEndPoint(IPAddress.Loopback, port), new ApiKey(Key), new ServiceMetrics(), logger);
        FindingsEndpoints.Map(app, store);
        await app.StartAsync();
        origin = $"http://127.0.0.1:{port}";
        http.BaseAddress = new Uri(origin);
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", Key);
    }

    public async Task DisposeAsync()
    {
        chromium.Dispose();
        await app.StopAsync();
        await app.DisposeAsync();
        await store.DisposeAsync();
        await logger.DisposeAsync();
        http.Dispose();
        Directory.Delete(directory, recursive: true);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private IWebElement[] Rows() => [.. chromium.Browser.FindElements(By.CssSelector("#findings tbody tr"))];

    private void SignIn(string key)
    {
        var browser = chromium.Browser;
        chromium.WaitFor("the sign-in form", b => b.FindElement(By.Id("signin")).Displayed);
        browser.FindElement(By.Id("key")).SendKeys(key);
        browser.FindElement(By.Id("signin-button")).Click();
    }

    [Fact]
    public async Task A_signed_in_user_filters_opens_a_finding_and_marks_it_a_false_positive()
    {
        var browser = chromium.Browser;
        browser.Navigate().GoToUrl(origin + "/");

        SignIn("lg-not-the-key-0123456789abcdef");
        chromium.WaitFor("the wrong key to be refused", b => b.FindElement(By.Id("signin-error")).Text.Contains("wrong API key"));
        Assert.Empty(browser.Manage().Cookies.AllCookies);
        SignIn(Key);
        chromium.WaitFor("every stored finding to be listed", _ => Rows().Length == stored.Count);
        chromium.Screenshot("triage-list");

        var cookie = Assert.Single(browser.Manage().Cookies.AllCookies);
        Assert.Equal(TriageSessions.CookieName, cookie.Name);
        Assert.True(cookie.IsHttpOnly);
        Assert.Equal("Strict", cookie.SameSite);
        Assert.Equal("", browser.ExecuteScript("return document.cookie;"));

        int critical = stored.Count(f => f.Finding.Severity == Core.Findings.Severity.Critical);
        Assert.True(critical > 0 && critical < stored.Count);
        new SelectElement(browser.FindElement(By.Id("f-severity"))).SelectByValue("critical");
        chromium.WaitFor("the severity filter to apply", _ => Rows().Length == critical);
        Assert.All(Rows(), r => Assert.Equal("critical", r.GetAttribute("data-severity")));

        // The finding in the file whose name is markup: its name is text, no script of it ran.
        var target = stored.Single(f => f.Finding.Location.Path.Contains("onerror", StringComparison.Ordinal));
        Assert.Equal(Core.Findings.Severity.Critical, target.Finding.Severity);
        Rows().Single(r => r.GetAttribute("data-id") == target.Id.ToString()).Click();
        chromium.WaitFor("the finding's detail", b => b.FindElement(By.Id("detail")).Displayed && b.FindElement(By.Id("d-status")).Text == "open");
        Assert.Contains(target.Finding.Location.Path, browser.FindElement(By.Id("d-fields")).Text);
        Assert.Throws<NoAlertPresentException>(() => browser.SwitchTo().Alert());
        string context = browser.FindElement(By.Id("d-context")).Text;
        Assert.Contains("const token", context);
        Assert.Contains(target.Finding.Secret!, context);
        Assert.DoesNotContain("ghp_zw0NSLncSZqX1fVqalRrrdSyJOujvSFFqmRb", browser.PageSource);
        Assert.Equal("found", browser.FindElement(By.Id("d-history")).Text.Split(' ', 2)[1]);

        browser.FindElement(By.Id("act-false-positive")).Click();
        chromium.WaitFor("the new status on the page", b => b.FindElement(By.Id("d-status")).Text == "false-positive");
        chromium.WaitFor("the change in the history", b => b.FindElements(By.CssSelector("#d-history li")).Count == 2);
        chromium.Screenshot("triage-false-positive");

        using var response = await http.GetAsync(new Uri($"/api/findings/{target.Id}", UriKind.Relative));
        using var json = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal("false-positive", json.RootElement.GetProperty("status").GetString());
        var change = json.RootElement.GetProperty("history").EnumerateArray().Last();
        Assert.Equal("false-positive", change.GetProperty("status").GetString());
        Assert.StartsWith("triage page session ", change.GetProperty("actor").GetString(), StringComparison.Ordinal);

        new SelectElement(browser.FindElement(By.Id("f-status"))).SelectByValue("false-positive");
        chromium.WaitFor("the status filter to apply", _ => Rows().Length == 1);
        Assert.Equal(target.Id.ToString(), Rows()[0].GetAttribute("data-id"));
    }

    [Fact]
    public void A_reloaded_page_keeps_its_session_and_signing_out_ends_it()
    {
        var browser = chromium.Browser;
        browser.Navigate().GoToUrl(origin + "/");
        SignIn(Key);
        chromium.WaitFor("the list", _ => Rows().Length == stored.Count);

        browser.Navigate().Refresh();
        chromium.WaitFor("the list again, without signing in", b => b.FindElement(By.Id("app")).Displayed && Rows().Length == stored.Count);
        browser.FindElement(By.Id("signout")).Click();
        chromium.WaitFor("the sign-in form", b => b.FindElement(By.Id("signin")).Displayed);

        browser.Navigate().Refresh();
        chromium.WaitFor("the sign-in form after reloading", b => b.FindElement(By.Id("signin")).Displayed);
        Assert.False(browser.FindElement(By.Id("app")).Displayed);
    }
}
