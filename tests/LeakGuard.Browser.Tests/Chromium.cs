using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using OpenQA.Selenium.Support.UI;

namespace LeakGuard.Browser.Tests;

/// <summary>
/// Debian's Chromium, headless, driven through Debian's chromedriver (tests/setup/browser.sh
/// installs both). Both paths are given, so Selenium Manager never looks for a driver online.
/// Screenshots go to TestResults/LeakGuard.Browser.Tests/screenshots in the repository, beside
/// the results ./test keeps.
/// </summary>
public sealed class Chromium : IDisposable
{
    public const string Binary = "/usr/bin/chromium";
    public const string Driver = "/usr/bin/chromedriver";

    /// <summary>The longest any page step may take; far above what one takes on this machine.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(20);

    public ChromeDriver Browser { get; }

    public Chromium()
    {
        Assert.True(File.Exists(Binary) && File.Exists(Driver),
            $"{Binary} and {Driver} are needed (apt-get install chromium chromium-driver; tests/setup/browser.sh does it)");
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(Driver)!, Path.GetFileName(Driver));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = Binary };
        // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
        options.AddArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu", "--window-size=1280,1024",
            "--no-first-run", "--disable-extensions", "--disable-background-networking");
        Browser = new ChromeDriver(service, options, StepTimeout);
        Browser.Manage().Timeouts().PageLoad = StepTimeout;
    }

    /// <summary>Waits until <paramref name="condition"/> holds, failing the test with <paramref name="what"/> if it never does.</summary>
    public T WaitFor<T>(string what, Func<IWebDriver, T> condition)
    {
        var wait = new WebDriverWait(Browser, StepTimeout) { Message = what };
        wait.IgnoreExceptionTypes(typeof(NoSuchElementException), typeof(StaleElementReferenceException));
        return wait.Until(condition);
    }

    public string Screenshot(string name)
    {
        string directory = Path.Join(RepositoryRoot(), "TestResults", "LeakGuard.Browser.Tests", "screenshots");
        Directory.CreateDirectory(directory);
        string path = Path.Join(directory, name + ".png");
        Browser.GetScreenshot().SaveAsFile(path);
        return path;
    }

    private static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Join(directory.FullName, "LeakGuard.sln")))
            {
                return directory.FullName;
            }
        }
        return AppContext.BaseDirectory;
    }

    public void Dispose()
    {
        Browser.Quit();
        Browser.Dispose();
    }
}
