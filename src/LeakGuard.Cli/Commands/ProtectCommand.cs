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
    private const string CommonFileName = "common.lgcf";

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
        var gitRef = new Option<string>("--ref") { Description = "git: the branch, tag or commit whose tree is read", DefaultValueFactory = _ => "HEAD" };
        var common = new Option<string>("--common")
        {
            Description = $"The list of fingerprints found in open source (default: {CommonFileName} beside the default index); "
                + "`add` drops those from the codebase, when the file exists",
            DefaultValueFactory = _ => DefaultCommonPath(),
        };
        var paths = new ScanCommandOptions(ScanOptionGroups.Paths);
        var registries = new RegistryOptions();
        var add = new Command("add", "Fingerprint a codebase's text files into the index (replacing a codebase of the same name)")
        {
            addName, sources, gitRef, index, common,
        };
        paths.AddTo(add);
        registries.AddTo(add);
        add.SetAction(parsed => Add(parsed.GetValue(index)!, parsed.GetValue(common)!, parsed.GetValue(addName)!, parsed.GetValue(sources)!,
            parsed.GetValue(gitRef)!, paths, registries, parsed));

        var commonSources = new Argument<string[]>("sources")
        {
            Description = "Open-source code, as for `add`: folders of dependencies, package caches, archives, packages, git trees",
            Arity = ArgumentArity.OneOrMore,
        };
        var commonAdd = new Command("add", "Add the fingerprints of open-source code to the common list; `protect add` drops them from protected codebases")
        {
            commonSources, gitRef, common,
        };
        paths.AddTo(commonAdd);
        registries.AddTo(commonAdd);
        commonAdd.SetAction(parsed => AddCommon(parsed.GetValue(common)!, parsed.GetValue(commonSources)!, parsed.GetValue(gitRef)!, paths, registries, parsed));
        var commonCommand = new Command("common", "The fingerprints of open-source code, which are not evidence of whose code a copy is") { commonAdd };

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

        return new Command("protect", "Keep the index of protected code: codebases whose copies scans report") { add, list, remove, canary, push, commonCommand };
    }

    /// <summary>$XDG_CONFIG_HOME/leakguard/protected.lgpi, else ~/.config/leakguard/protected.lgpi.</summary>
    public static string DefaultIndexPath() => Path.Join(Path.GetDirectoryName(UserFingerprintKey.DefaultPath())!, IndexFileName);

    private static string DefaultCommonPath() => Path.Join(Path.GetDirectoryName(UserFingerprintKey.DefaultPath())!, CommonFileName);

    /// <summary>The index in <paramref name="path"/>; an empty one when there is none and it need not exist.</summary>
    /// <exception cref="UsageException">The file is missing (when it must exist), unreadable or not an index.</exception>
    /// <param name="checkInBackground">For a scan: its tables are checked while the scan loads its
    /// rules, and <see cref="ScanSession.Open"/> reports damage.</param>
    public static ProtectedIndex LoadIndex(string path, bool mustExist, bool checkInBackground = false)
    {
        if (!File.Exists(path))
        {
            return mustExist ? throw new UsageException($"'{path}': no such protected-code index (make one with `leakguard protect add`)") : ProtectedIndex.Empty;
        }
        try
        {
            return ProtectedIndex.Load(path, checkInBackground);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"'{path}': {e.Message}");
        }
    }

    private static int Add(string indexPath, string commonPath, string name, string[] sources, string gitRef, ScanCommandOptions pathOptions,
        RegistryOptions registryOptions, ParseResult parsed)
    {
        if (ProtectedIndex.NameProblem(name) is { } problem)
        {
            throw new UsageException(problem);
        }
        var index = LoadIndex(indexPath, mustExist: false);
        var openSource = File.Exists(commonPath) ? LoadCommon(commonPath) : CommonFingerprints.Empty;
        var started = DateTimeOffset.UtcNow;
        var builder = new ProtectedCodebaseBuilder(name);
        ReadSources(sources, gitRef, pathOptions, registryOptions, parsed, target => new Indexer(builder, target), () => builder.FileCount);
        var codebase = builder.Build(sources, DateTimeOffset.UtcNow, index.Codebases.FirstOrDefault(c => c.Name == name)?.Canaries ?? [],
            openSource, out int dropped);
        index.With(codebase).Save(indexPath);
        string common = openSource.Count == 0 ? "" : $" ({dropped:N0} more dropped as found in open source)";
        Console.WriteLine($"{name}: {codebase.Files.Count:N0} files, {codebase.Bytes:N0} bytes, {codebase.Fingerprints.Count:N0} fingerprints{common} "
            + $"in {Seconds(started)} s -> {indexPath}");
        return LeakGuardCommand.Clean;
    }

    private static int AddCommon(string commonPath, string[] sources, string gitRef, ScanCommandOptions pathOptions,
        RegistryOptions registryOptions, ParseResult parsed)
    {
        var list = File.Exists(commonPath) ? LoadCommon(commonPath) : CommonFingerprints.Empty;
        var started = DateTimeOffset.UtcNow;
        var collector = new CommonCollector();
        ReadSources(sources, gitRef, pathOptions, registryOptions, parsed, _ => collector, () => collector.Files);
        var larger = list.With(collector.Hashes, sources);
        larger.Save(commonPath);
        Console.WriteLine($"{collector.Files:N0} code files, {collector.Hashes.Count:N0} fingerprints; {larger.Count - list.Count:N0} new, "
            + $"{larger.Count:N0} in all, in {Seconds(started)} s -> {commonPath}");
        return LeakGuardCommand.Clean;
    }

    private static string Seconds(DateTimeOffset started) => (DateTimeOffset.UtcNow - started).TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture);

    private static CommonFingerprints LoadCommon(string path)
    {
        try
        {
            return CommonFingerprints.Load(path);
        }
        catch (Exception e) when (e is InvalidDataException or IOException or UnauthorizedAccessException)
        {
            throw new UsageException($"'{path}': {e.Message}");
        }
    }

    /// <summary>Walks and expands each source as a scan does (archives, source maps, PDBs, packages,
    /// git trees) and shows every blob to the observer made for it.</summary>
    /// <param name="files">How many files the observers took so far: a source that gives none is an error.</param>
    private static void ReadSources(string[] sources, string gitRef, ScanCommandOptions pathOptions, RegistryOptions registryOptions,
        ParseResult parsed, Func<string, IBlobObserver> observer, Func<int> files)
    {
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
                int before = files();
                using var resolved = Targets.Resolve([target], fileSystem, registry, http, null,
                    (path, message) => { lock (warnings) { warnings.Add($"{path}: {message}"); } });
                var result = session.Scan(resolved.Items, observer(target)).Result;
                warnings.AddRange(result.Warnings.Select(w => $"{w.Path}: {w.Message}"));
                if (files() == before)
                {
                    throw new UsageException($"'{sourceName}' holds no code file to fingerprint");
                }
            }
            foreach (string warning in warnings.Take(20))
            {
                Stderr.Line($"warning: {warning}");
            }
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

    /// <summary>The fingerprints of every code file the scan reaches (several threads at once).</summary>
    private sealed class CommonCollector : IBlobObserver
    {
        private int _files;

        public HashSet<ulong> Hashes { get; } = [];

        public int Files => Volatile.Read(ref _files);

        public void Observe(Blob blob)
        {
            if (!ProtectedCodebaseBuilder.IsFingerprinted(blob.Path, blob.Content.Span))
            {
                return;
            }
            var fingerprints = Winnowing.Of(blob.Content.Span);
            lock (Hashes)
            {
                _files++;
                foreach (var f in fingerprints)
                {
                    Hashes.Add(f.Hash);
                }
            }
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
