using System.CommandLine;
using System.Globalization;
using LeakGuard.Core;
using LeakGuard.Core.Protection;
using LeakGuard.Core.Rules;
using LeakGuard.Core.Scanning;
using LeakGuard.Matching;
using LeakGuard.Processes;
using LeakGuard.Sources.Http;
using LeakGuard.Sources.Targets;

namespace LeakGuard.Cli.Commands;

/// <summary>
/// <c>leakguard protect add|list|remove|canary|push</c>: the index of protected code that
/// <c>scan --protected INDEX</c> reports copies of, and that <c>push</c> shares with the watch
/// workers of a store (docs/protected-code.md).
/// </summary>
internal static class ProtectCommand
{
    private const string IndexFileName = "protected.lgpi";

    public static Command Create()
    {
        var index = new Option<string>("--index")
        {
            Description = $"The index file (default: $XDG_CONFIG_HOME/leakguard/{IndexFileName}, else ~/.config/leakguard/{IndexFileName})",
            DefaultValueFactory = _ => DefaultIndexPath(),
        };

        var addName = new Argument<string>("name") { Description = "What findings call the codebase (e.g. acme/agent-core)" };
        var sources = new Argument<string[]>("sources")
        {
            Description = "Directories, files, archives, npm:NAME@VERSION, nuget:Id@VERSION, or git:PATH / git:URL (its tree at --ref)",
            Arity = ArgumentArity.OneOrMore,
        };
        var gitRef = new Option<string>("--ref") { Description = "git: the branch, tag or commit whose tree is protected", DefaultValueFactory = _ => "HEAD" };
        var paths = new ScanCommandOptions(ScanOptionGroups.Paths);
        var registries = new RegistryOptions();
        var add = new Command("add", "Fingerprint a codebase's text files into the index (replacing a codebase of the same name)")
        {
            addName, sources, gitRef, index,
        };
        paths.AddTo(add);
        registries.AddTo(add);
        add.SetAction(parsed => Add(parsed.GetValue(index)!, parsed.GetValue(addName)!, parsed.GetValue(sources)!, parsed.GetValue(gitRef)!,
            paths, registries, parsed));

        var store = new Option<string?>("--store")
        {
            Description = "A LeakGuard store (sqlite:PATH or postgres://…): list the index it shares with its watch workers",
        };
        var list = new Command("list", "List the protected codebases: name, files, size, fingerprints, canaries, sources") { index, store };
        list.SetAction((parsed, cancellation) => List(parsed.GetValue(index)!, parsed.GetValue(store), cancellation));

        var pushStore = new Option<string>("--store") { Description = "The store (sqlite:PATH or postgres://…) the watch workers use", Required = true };
        var push = new Command("push", "Put the index in a store, for every `watch` worker on it (they pick it up before their next scan)") { index, pushStore };
        push.SetAction((parsed, cancellation) => PushAsync(parsed.GetValue(index)!, parsed.GetValue(pushStore)!, cancellation));

        var removeName = new Argument<string>("name") { Description = "The codebase to remove" };
        var remove = new Command("remove", "Remove a codebase from the index") { removeName, index };
        remove.SetAction(parsed => Remove(parsed.GetValue(index)!, parsed.GetValue(removeName)!));

        var canaryName = new Argument<string>("name") { Description = "The codebase the canary belongs to" };
        var canary = new Command("canary", "Issue a unique marker to plant in the codebase's code (a comment or a string constant); scans report it critical")
        {
            canaryName, index,
        };
        canary.SetAction(parsed => Canary(parsed.GetValue(index)!, parsed.GetValue(canaryName)!));

        return new Command("protect", "Keep the index of protected code: codebases whose copies scans report") { add, list, remove, canary, push };
    }

    /// <summary>$XDG_CONFIG_HOME/leakguard/protected.lgpi, else ~/.config/leakguard/protected.lgpi.</summary>
    public static string DefaultIndexPath() => Path.Join(Path.GetDirectoryName(UserFingerprintKey.DefaultPath())!, IndexFileName);

    /// <summary>The index in <paramref name="path"/>; an empty one when there is none and it need not exist.</summary>
    /// <exception cref="UsageException">The file is missing (when it must exist), unreadable or not an index.</exception>
    public static ProtectedIndex LoadIndex(string path, bool mustExist)
    {
        if (!File.Exists(path))
        {
            return mustExist ? throw new UsageException($"'{path}': no such protected-code index (make one with `leakguard protect add`)") : ProtectedIndex.Empty;
        }
        try
        {
            return ProtectedIndex.Load(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"'{path}': {e.Message}");
        }
    }

    private static int Add(string indexPath, string name, string[] sources, string gitRef, ScanCommandOptions pathOptions,
        RegistryOptions registryOptions, ParseResult parsed)
    {
        if (ProtectedIndex.NameProblem(name) is { } problem)
        {
            throw new UsageException(problem);
        }
        var index = LoadIndex(indexPath, mustExist: false);
        var started = DateTimeOffset.UtcNow;
        var builder = new ProtectedCodebaseBuilder(name);
        var temporary = Directory.CreateTempSubdirectory("leakguard-protect-");
        try
        {
            var warnings = new List<string>();
            var named = new List<(string Name, string Target)>();
            foreach (string source in sources)
            {
                named.Add(source.StartsWith("git:", StringComparison.Ordinal)
                    ? (source, GitTree(source["git:".Length..], gitRef, temporary.FullName))
                    : (source, source));
            }
            Targets.Validate(named.Select(n => n.Target));
            // No rules: the scanner only walks and expands (archives, source maps, PDBs) for the observer.
            var settings = new ScanSettings { BuiltInRules = false, Engine = EngineKind.Managed, Limits = new ScanOptions() };
            using var session = ScanSession.Open(settings, rules: new RuleSet([]));
            var registry = registryOptions.Read(parsed, settings.Limits.MemberLimit);
            using var http = new RegistryHttp(registry.Limits);
            var fileSystem = pathOptions.ReadPaths(parsed, pathOptions.Read(parsed, []));
            foreach (var (sourceName, target) in named)
            {
                int before = builder.FileCount;
                using var resolved = Targets.Resolve([target], fileSystem, registry, http, null,
                    (path, message) => { lock (warnings) { warnings.Add($"{path}: {message}"); } });
                var result = session.Scan(resolved.Items, new Indexer(builder, target)).Result;
                warnings.AddRange(result.Warnings.Select(w => $"{w.Path}: {w.Message}"));
                if (builder.FileCount == before)
                {
                    throw new UsageException($"'{sourceName}' holds no text file to protect");
                }
            }
            foreach (string warning in warnings.Take(20))
            {
                Stderr.Line($"warning: {warning}");
            }
            var codebase = builder.Build(sources, DateTimeOffset.UtcNow, index.Codebases.FirstOrDefault(c => c.Name == name)?.Canaries ?? []);
            index.With(codebase).Save(indexPath);
            Console.WriteLine($"{name}: {codebase.Files.Count:N0} files, {codebase.Bytes:N0} bytes, {codebase.Fingerprints.Count:N0} fingerprints "
                + $"in {(DateTimeOffset.UtcNow - started).TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s -> {indexPath}");
            return LeakGuardCommand.Clean;
        }
        finally
        {
            temporary.Delete(recursive: true);
        }
    }

    private static async Task<int> List(string indexPath, string? storeName, CancellationToken cancellation)
    {
        var (index, where) = (LoadIndex(indexPath, mustExist: false), indexPath);
        if (storeName is not null)
        {
            await using var store = await WatchCommand.OpenStoreAsync(storeName, cancellation);
            var stored = await store.GetProtectedIndexAsync(cancellation);
            (index, where) = (stored is null ? ProtectedIndex.Empty : StoredIndex(stored), "the store");
            if (stored is not null)
            {
                Console.WriteLine($"pushed {stored.UpdatedAt:yyyy-MM-dd HH:mm:ss}Z, sha256 {stored.Digest}");
            }
        }
        if (index.Codebases.Count == 0)
        {
            Console.WriteLine($"no protected codebases in {where}");
            return LeakGuardCommand.Clean;
        }
        foreach (var c in index.Codebases)
        {
            Console.WriteLine($"{c.Name}\t{c.Files.Count:N0} files\t{c.Bytes:N0} bytes\t{c.Fingerprints.Count:N0} fingerprints\t"
                + $"{c.Canaries.Count} canaries\t{string.Join(" ", c.Sources)}");
        }
        return LeakGuardCommand.Clean;
    }

    private static async Task<int> PushAsync(string indexPath, string storeName, CancellationToken cancellation)
    {
        var index = LoadIndex(indexPath, mustExist: true);
        await using var store = await WatchCommand.OpenStoreAsync(storeName, cancellation);
        string digest = await store.SetProtectedIndexAsync(index.ToBytes(), cancellation);
        Console.WriteLine($"{index.Codebases.Count} codebases -> the store (sha256 {digest})");
        return LeakGuardCommand.Clean;
    }

    /// <summary>The index a store holds.</summary>
    /// <exception cref="UsageException">It is not one this version reads.</exception>
    public static ProtectedIndex StoredIndex(Storage.StoredProtectedIndex stored)
    {
        try
        {
            return ProtectedIndex.FromBytes(stored.Content, "the store's protected-code index");
        }
        catch (InvalidDataException e)
        {
            throw new UsageException(e.Message + "; push it again with `leakguard protect push`");
        }
    }

    private static int Remove(string indexPath, string name)
    {
        var smaller = LoadIndex(indexPath, mustExist: true).Without(name)
            ?? throw new UsageException($"'{name}': no such codebase in {indexPath} (see `leakguard protect list`)");
        smaller.Save(indexPath);
        Console.WriteLine($"{name}: removed from {indexPath}");
        return LeakGuardCommand.Clean;
    }

    private static int Canary(string indexPath, string name)
    {
        var index = LoadIndex(indexPath, mustExist: true);
        var codebase = index.Codebases.FirstOrDefault(c => c.Name == name)
            ?? throw new UsageException($"'{name}': no such codebase in {indexPath}; add it first with `leakguard protect add`");
        string marker = Canaries.New();
        index.With(codebase with { Canaries = [.. codebase.Canaries, marker] }).Save(indexPath);
        Console.WriteLine(marker);
        return LeakGuardCommand.Clean;
    }

    /// <summary>The tree of <paramref name="repository"/> (a local path or a URL) at <paramref name="gitRef"/>
    /// as a tar file that <c>git archive</c> wrote: exactly the committed files, nothing of the work tree.</summary>
    private static string GitTree(string repository, string gitRef, string temporary)
    {
        string tar = Path.Join(temporary, $"tree-{Directory.GetFiles(temporary).Length}.tar");
        string local = repository;
        if (!Directory.Exists(repository))
        {
            local = Path.Join(temporary, $"clone-{Directory.GetDirectories(temporary).Length}");
            string[] branch = gitRef == "HEAD" ? [] : ["--branch", gitRef];
            Git(["clone", "--quiet", "--depth", "1", "--no-checkout", .. branch, "--", repository, local], repository);
        }
        Git(["-C", local, "archive", "--format=tar", "-o", tar, gitRef == "HEAD" || local != repository ? "HEAD" : gitRef], repository);
        return tar;
    }

    private static void Git(string[] arguments, string repository)
    {
        var result = ProcessRunner.Run(new ProcessCommand("git", arguments) { Description = "git" }, TimeSpan.FromMinutes(30));
        if (!result.Succeeded)
        {
            throw new UsageException($"git:{repository}: {result.StandardError.Trim()}");
        }
    }

    /// <summary>Adds every text file and member the scan reaches, named as in the source
    /// (without the folder or archive the user named).</summary>
    private sealed class Indexer(ProtectedCodebaseBuilder builder, string target) : IBlobObserver
    {
        private readonly string _prefix = target.TrimEnd('/');

        public void Observe(Blob blob) => builder.AddFile(Relative(blob.Path), blob.Content.Span);

        private string Relative(string path)
        {
            if (path.Length > _prefix.Length && path.StartsWith(_prefix, StringComparison.Ordinal) && path[_prefix.Length] is '/' or '!')
            {
                return path[(_prefix.Length + 1)..];
            }
            int bang = path.IndexOf('!');
            return bang < 0 ? path : path[(bang + 1)..];
        }
    }
}
