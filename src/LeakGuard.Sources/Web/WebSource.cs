using System.Formats.Tar;
using LeakGuard.Core.Exposure;
using LeakGuard.Core.Scanning;

namespace LeakGuard.Sources.Web;

/// <summary>
/// A <c>web:</c> target as one item: the site, crawled when a scanner worker opens it, is handed
/// to the scan as one artefact (a tar of the files fetched, in memory), so its members go through
/// the same pipeline as a package's — <c>web:https://app.example.com/!static/js/main.3f2a.js.map!src/App.tsx</c>
/// — and its release context sees every script and map together. A site has no package.json, so
/// the site itself is the package: first-party (not open source) unless its owner declared it
/// open source (<see cref="WebSettings.OpenSourceSites"/>).
/// </summary>
public sealed class WebSource(WebTarget target, WebSettings settings, Action<string, string> warn)
{
    public SourceItem Item() => new()
    {
        Path = target.Name,
        Origin = new BlobOrigin
        {
            Package = target.Site.TrimEnd('/'),
            Manifest = SiteManifest(target, settings),
        },
        Open = () => Archive(new SiteCrawler(target, settings, warn).Crawl()),
    };

    /// <summary>The files fetched, as the tar the scan expands (PAX, so any name length is kept).</summary>
    public static MemoryStream Archive(IReadOnlyList<SiteFile> files)
    {
        var tar = new MemoryStream();
        using (var writer = new TarWriter(tar, TarEntryFormat.Pax, leaveOpen: true))
        {
            foreach (var file in files)
            {
                writer.WriteEntry(new PaxTarEntry(TarEntryType.RegularFile, file.Member) { DataStream = new MemoryStream(file.Content, writable: false) });
            }
        }
        tar.Position = 0;
        return tar;
    }

    /// <summary>What decides the severity of the site's exposed source, as a package's manifest would.</summary>
    public static PackageManifest SiteManifest(WebTarget target, WebSettings settings)
    {
        string site = target.Site.TrimEnd('/');
        var host = target.Entries[0].Host;
        bool openSource = settings.OpenSourceSites.Any(s => s.TrimEnd('/').Equals(site, StringComparison.OrdinalIgnoreCase) || s.Equals(host, StringComparison.OrdinalIgnoreCase));
        return new PackageManifest
        {
            Path = target.Name,
            Name = site,
            Status = openSource ? LicenseStatus.OpenSource : LicenseStatus.NotOpenSource,
            Reason = openSource
                ? "open source: declared by the site's owner (--web-open-source)"
                : "not open source: code a site serves is first-party unless its owner declares it open source (--web-open-source)",
        };
    }
}
