using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;

namespace LeakGuard.Tests.Shared.Fuzzing;

/// <summary>
/// Runs a parser on its real samples and then on mutations of them, in process, and fails on
/// what it must never do: throw what it does not document, or allocate more than a bound for one
/// input. A hang is not timed here: it is the parser's own limits that must end every input, and
/// a test that never ends shows they do not.
/// <para>In CI each parser gets a fixed seed and a fixed number of inputs, so a run is the same
/// every time. <c>LEAKGUARD_FUZZ_SECONDS=N</c> runs each parser for N seconds instead, from
/// <c>LEAKGUARD_FUZZ_SEED</c> or a random seed, and goes on after a failure to find more; the
/// inputs that failed are written to <c>LEAKGUARD_FUZZ_CRASHES</c> (default: a folder under
/// the temp folder) and each run appends one line to <c>LEAKGUARD_FUZZ_REPORT</c> when set.
/// <c>tests/LeakGuard.Benchmarks/fuzz.sh</c> drives the long run.</para>
/// </summary>
public sealed class FuzzLoop
{
    /// <summary>Inputs per parser in a CI run: a few seconds each on this machine.</summary>
    public const int CiExecutions = 1500;

    private const int CiSeed = 20261204;

    /// <summary>Distinct failures a long run collects before it stops.</summary>
    private const int MaxFailures = 20;

    public required string Parser { get; init; }

    public required IReadOnlyList<byte[]> Samples { get; init; }

    /// <summary>Tokens of the format for the mutator to insert.</summary>
    public IReadOnlyList<string> Dictionary { get; init; } = [];

    /// <summary>Most bytes one input may allocate, as a function of its length.</summary>
    public required Func<int, long> AllocationLimit { get; init; }

    /// <summary>Runs the parser on one input; throws what the parser throws.</summary>
    public required Action<byte[]> Target { get; init; }

    /// <summary>What the parser documents for bad input (a usage error naming the line): not a failure.</summary>
    public Func<Exception, bool> Expected { get; init; } = _ => false;

    public sealed record Outcome(string Parser, int Seed, long Executions, TimeSpan Elapsed, long MostAllocated, IReadOnlyList<string> Failures)
    {
        public override string ToString() =>
            $"{Parser}: {Executions:N0} executions in {Elapsed.TotalSeconds:N1} s from seed {Seed}, most allocated by one input {MostAllocated:N0} bytes, "
            + $"{Failures.Count} failures{string.Concat(Failures.Select(f => "\n  " + f))}";
    }

    public Outcome Run()
    {
        var seconds = Environment.GetEnvironmentVariable("LEAKGUARD_FUZZ_SECONDS");
        bool longRun = int.TryParse(seconds, CultureInfo.InvariantCulture, out int budget) && budget > 0;
        int seed = longRun
            ? int.TryParse(Environment.GetEnvironmentVariable("LEAKGUARD_FUZZ_SEED"), CultureInfo.InvariantCulture, out int given) ? given : Random.Shared.Next()
            : CiSeed;
        // Each parser its own stream of inputs from one seed (string hashes vary between runs).
        var mutator = new Mutator(Samples, Dictionary, seed ^ Parser.Aggregate(17, (hash, c) => hash * 31 + c));
        var clock = Stopwatch.StartNew();
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        long executions = 0, mostAllocated = 0;
        // The samples themselves first: a parser that fails on them fails on every real input.
        foreach (byte[] sample in Samples)
        {
            Execute(sample, ref mostAllocated, failures, seed, executions++);
        }
        while (longRun ? clock.Elapsed < TimeSpan.FromSeconds(budget) && failures.Count < MaxFailures : executions < CiExecutions)
        {
            Execute(mutator.Next(), ref mostAllocated, failures, seed, executions++);
            if (!longRun && failures.Count > 0)
            {
                break;
            }
        }
        var outcome = new Outcome(Parser, seed, executions, clock.Elapsed, mostAllocated, [.. failures.Values]);
        if (Environment.GetEnvironmentVariable("LEAKGUARD_FUZZ_REPORT") is { Length: > 0 } report)
        {
            File.AppendAllText(report, outcome + "\n");
        }
        return outcome;
    }

    private void Execute(byte[] input, ref long mostAllocated, Dictionary<string, string> failures, int seed, long execution)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        (string Key, string Text)? failure = null;
        try
        {
            Target(input);
        }
        catch (Exception e) when (!Expected(e))
        {
            // One failure per exception type and place: the same bug found twice is one bug.
            string where = Where(e);
            failure = ($"{e.GetType().Name} in {where}", $"{e.GetType().Name} in {where}: {e.Message}");
        }
        catch (Exception)
        {
        }
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        mostAllocated = Math.Max(mostAllocated, allocated);
        long limit = AllocationLimit(input.Length);
        if (failure is null && allocated > limit)
        {
            failure = ("allocation", $"allocated {allocated:N0} bytes for {input.Length:N0} bytes of input (limit {limit:N0})");
        }
        if (failure is { } found && !failures.ContainsKey(found.Key))
        {
            failures[found.Key] = $"{found.Text} (seed {seed}, input {execution}, saved as {Save(input)})";
        }
    }

    /// <summary>The innermost LeakGuard method on the stack (a throw helper of the runtime says
    /// little), and the innermost method when it is not LeakGuard's.</summary>
    private static string Where(Exception e)
    {
        var methods = new StackTrace(e).GetFrames().Select(f => f.GetMethod()).OfType<System.Reflection.MethodBase>().ToList();
        string Name(System.Reflection.MethodBase m) => $"{m.DeclaringType?.Name}.{m.Name}";
        var ours = methods.FirstOrDefault(m => m.DeclaringType?.Namespace?.StartsWith("LeakGuard.", StringComparison.Ordinal) == true
            && m.DeclaringType.Namespace?.Contains(".Tests", StringComparison.Ordinal) != true);
        return ours is null ? (methods.Count > 0 ? Name(methods[0]) : "?")
            : methods[0] == ours ? Name(ours) : $"{Name(ours)} ({Name(methods[0])})";
    }

    private string Save(byte[] input)
    {
        string folder = Environment.GetEnvironmentVariable("LEAKGUARD_FUZZ_CRASHES") is { Length: > 0 } given
            ? given
            : Path.Join(Path.GetTempPath(), "leakguard-fuzz-crashes");
        folder = Path.Join(folder, Parser);
        Directory.CreateDirectory(folder);
        string path = Path.Join(folder, Convert.ToHexStringLower(SHA256.HashData(input))[..16] + ".bin");
        File.WriteAllBytes(path, input);
        return path;
    }
}
