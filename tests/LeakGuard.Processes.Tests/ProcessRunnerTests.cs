using System.Diagnostics;
using System.Text;

namespace LeakGuard.Processes.Tests;

public sealed class ProcessRunnerTests : IDisposable
{
    private static readonly TimeSpan Generous = TimeSpan.FromSeconds(30);

    private readonly string _folder = Directory.CreateTempSubdirectory("leakguard-process-tests-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static ProcessResult Shell(string script, params string[] arguments) =>
        ProcessRunner.Run(new ProcessCommand("sh", ["-c", script, "sh", .. arguments]), Generous);

    [Fact]
    public void The_exit_code_and_both_streams_come_back()
    {
        var result = Shell("echo out; echo err >&2; exit 3");

        Assert.Equal(3, result.ExitCode);
        Assert.False(result.Succeeded);
        Assert.Equal("out\n", result.StandardOutput);
        Assert.Equal("err\n", result.StandardError);
        Assert.Equal(0, result.StandardOutputDropped);
        var failure = Assert.Throws<ProcessFailedException>(() => result.EnsureSuccess());
        Assert.Equal("sh exited 3: err | out", failure.Message);
        var success = Shell("exit 0");
        Assert.Same(success, success.EnsureSuccess());
    }

    [Fact]
    public void Arguments_with_spaces_quotes_and_shell_characters_reach_the_child_unchanged()
    {
        string[] arguments = ["two words", "\"double\"", "'single'", "back\\slash", "$HOME", "*", "a;b|c&&d", "", "tab\there", "new\nline", "ünïcödé", "--flag=x y"];

        var result = Shell("printf '%s\\0' \"$@\"", arguments);

        Assert.Equal(arguments, result.StandardOutput.Split('\0')[..^1]);
    }

    [Fact]
    public void The_environment_is_inherited_with_overrides_and_removals()
    {
        var command = new ProcessCommand("sh", "-c", "printf '%s|%s|%s' \"$LEAKGUARD_TEST_SET\" \"${HOME-removed}\" \"${PATH:+inherited}\"")
        {
            Environment = new Dictionary<string, string?> { ["LEAKGUARD_TEST_SET"] = "a value", ["HOME"] = null },
        };

        Assert.Equal("a value|removed|inherited", ProcessRunner.Run(command, Generous).StandardOutput);
    }

    [Fact]
    public void The_child_starts_in_the_working_directory()
    {
        var result = ProcessRunner.Run(new ProcessCommand("pwd") { WorkingDirectory = _folder }, Generous);

        Assert.Equal(_folder, result.StandardOutput.TrimEnd('\n'));
    }

    [Fact]
    public void Standard_input_gets_the_text_given_and_is_closed_otherwise()
    {
        string text = "line one\nzwei: wörter\n" + new string('x', 200_000);

        Assert.Equal(text, ProcessRunner.Run(new ProcessCommand("cat") { StandardInput = text }, Generous).StandardOutput);
        // Closed, not inherited from the test runner: cat sees end-of-file at once.
        Assert.Equal("", ProcessRunner.Run(new ProcessCommand("cat"), Generous).StandardOutput);
    }

    [Fact]
    public void Output_past_the_limit_is_read_and_dropped_and_the_result_says_so()
    {
        var command = new ProcessCommand("sh", "-c", "head -c 300000 /dev/zero | tr '\\0' a; head -c 5000 /dev/zero | tr '\\0' e >&2; exit 1")
        {
            OutputLimit = 1000,
        };

        var result = ProcessRunner.Run(command, Generous);

        Assert.Equal(1, result.ExitCode);
        Assert.Equal(new string('a', 1000), result.StandardOutput);
        Assert.Equal(299_000, result.StandardOutputDropped);
        Assert.Equal(1000, result.StandardError.Length);
        Assert.Equal(4000, result.StandardErrorDropped);
        Assert.EndsWith("(output cut: 303000 characters not kept)", result.LastLines(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_timeout_kills_the_child_and_what_it_started()
    {
        string pidFile = Path.Join(_folder, "sleep.pid");
        var command = new ProcessCommand("sh", "-c", "sleep 60 & echo $! > \"$1\"; wait", "sh", pidFile);
        var clock = Stopwatch.StartNew();

        var error = Assert.Throws<ProcessTimeoutException>(() => ProcessRunner.Run(command, TimeSpan.FromSeconds(2)));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
        Assert.Equal("sh did not finish within 2 s and was stopped", error.Message);
        int sleep = int.Parse(File.ReadAllText(pidFile).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Eventually(() => !IsRunning(sleep), $"the sleep the shell started ({sleep}) is still running");
    }

    [Fact]
    public async Task Cancellation_kills_the_child_and_throws_operation_cancelled()
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));
        var clock = Stopwatch.StartNew();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => ProcessRunner.RunAsync(new ProcessCommand("sleep", "60"), Generous, cancel.Token));

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(20), $"took {clock.Elapsed}");
    }

    [Fact]
    public void A_program_that_is_not_there_cannot_be_started()
    {
        var error = Assert.Throws<ProcessStartException>(() => ProcessRunner.Run(new ProcessCommand("leakguard-no-such-program"), Generous));

        Assert.StartsWith("leakguard-no-such-program could not be started", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Messages_name_the_program_but_not_its_arguments_unless_described()
    {
        var quiet = new ProcessCommand("sh", "-c", "exit 2", "https://user:hunter2@git.example.com/r.git");
        var described = new ProcessCommand("sh", "-c", "exit 2") { Description = "sh -c 'exit 2'" };

        Assert.Equal("sh exited 2: no output", Assert.Throws<ProcessFailedException>(() => ProcessRunner.Run(quiet, Generous).EnsureSuccess()).Message);
        Assert.StartsWith("sh -c 'exit 2' exited 2", Assert.Throws<ProcessFailedException>(() => ProcessRunner.Run(described, Generous).EnsureSuccess()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_started_process_runs_until_disposed_and_its_output_is_collected()
    {
        int pid;
        using (var server = ProcessRunner.Start(new ProcessCommand("sh", "-c", "echo ready; echo also >&2; exec sleep 60")))
        {
            pid = server.Id;
            // stdout and stderr are read apart, so under load either may arrive first.
            Eventually(() => server.Output.Contains("also\n", StringComparison.Ordinal) && server.Output.Contains("ready\n", StringComparison.Ordinal),
                $"not both streams yet: '{server.Output}'");
            Assert.False(server.HasExited);
            Assert.False(server.WaitForExit(TimeSpan.FromMilliseconds(100)));
        }
        Assert.False(IsRunning(pid));
    }

    [Fact]
    public void A_started_process_that_exits_keeps_its_exit_code_and_last_lines()
    {
        using var child = ProcessRunner.Start(new ProcessCommand("sh", "-c", "read line; echo \"got $line\"; exit 4") { StandardInput = "hello\n" });

        Assert.True(child.WaitForExit(Generous));

        Assert.Equal(4, child.ExitCode);
        Assert.Equal("got hello\n", child.Output);
        Assert.Throws<InvalidOperationException>(() => child.StandardOutput);
    }

    [Fact]
    public void A_piped_process_is_talked_to_over_its_streams_and_its_errors_are_collected()
    {
        using var cat = ProcessRunner.StartPiped(new ProcessCommand("sh", "-c", "echo starting >&2; exec cat"));

        cat.StandardInput.Write("ping\n"u8);
        cat.StandardInput.Flush();
        byte[] answer = new byte[5];
        cat.StandardOutput.ReadExactly(answer);

        Assert.Equal("ping\n", Encoding.ASCII.GetString(answer));
        Eventually(() => cat.Output == "starting\n", $"stderr not collected: '{cat.Output}'");
        cat.StandardInput.Close();
        Assert.True(cat.WaitForExit(Generous));
        Assert.Equal(0, cat.ExitCode);
    }

    /// <summary>Gone, or a zombie waiting for a parent to reap it: either way it runs no more.</summary>
    private static bool IsRunning(int pid)
    {
        try
        {
            string stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    private static void Eventually(Func<bool> condition, string failure)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(10), failure);
            Thread.Sleep(50);
        }
    }
}
