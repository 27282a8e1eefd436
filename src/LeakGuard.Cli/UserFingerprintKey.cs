using LeakGuard.Core;
using LeakGuard.Core.Findings;

namespace LeakGuard.Cli;

/// <summary>
/// The command line's <see cref="FingerprintKey"/>: <c>$LEAKGUARD_FINGERPRINT_KEY</c> when set (CI,
/// or any machine whose baselines must match another's), else the key file in the user's
/// configuration folder, made on first use and readable by the user alone.
/// </summary>
internal static class UserFingerprintKey
{
    public const string Variable = "LEAKGUARD_FINGERPRINT_KEY";

    public const string FileName = "fingerprint.key";

    /// <param name="note">Told when no key can be kept, so this run's fingerprints match no other run's.</param>
    /// <exception cref="UsageException">The variable or the key file holds no usable key.</exception>
    public static FingerprintKey Load(Action<string> note)
    {
        if (FromEnvironment() is { } configured)
        {
            return new FingerprintKey(configured);
        }
        string path = DefaultPath();
        try
        {
            return ReadOrCreate(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            note($"fingerprints of this run match no other run's: the key file {path} could not be made ({e.Message}); set {Variable}");
            return FingerprintKey.Ephemeral;
        }
    }

    /// <summary>The key text in <c>$LEAKGUARD_FINGERPRINT_KEY</c>, trimmed; null when it is not set.</summary>
    /// <exception cref="UsageException">It is set but too short (its value is never repeated).</exception>
    public static string? FromEnvironment()
    {
        if (Environment.GetEnvironmentVariable(Variable)?.Trim() is not { Length: > 0 } text)
        {
            return null;
        }
        return text.Length >= FingerprintKey.MinimumLength
            ? text
            : throw new UsageException($"{Variable}: a fingerprint key has at least {FingerprintKey.MinimumLength} characters");
    }

    /// <summary>$XDG_CONFIG_HOME/leakguard/fingerprint.key, else ~/.config/leakguard/fingerprint.key.</summary>
    public static string DefaultPath()
    {
        string config = Environment.GetEnvironmentVariable("XDG_CONFIG_HOME") is { Length: > 0 } xdg
            ? xdg
            : Path.Join(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".config");
        return Path.Join(config, "leakguard", FileName);
    }

    /// <summary>The key in <paramref name="path"/>, made first when there is none. Two processes
    /// making it at once agree: each writes its own file and moves it into place only if nothing is
    /// there yet, then both read what is there.</summary>
    internal static FingerprintKey ReadOrCreate(string path)
    {
        if (!File.Exists(path))
        {
            Create(path);
        }
        try
        {
            return new FingerprintKey(File.ReadAllText(path));
        }
        catch (ArgumentException)
        {
            throw new UsageException($"{path}: not a fingerprint key (at least {FingerprintKey.MinimumLength} characters); "
                + "restore it, or delete it to make a new one (every fingerprint then changes)");
        }
    }

    private static void Create(string path)
    {
        const UnixFileMode OwnerOnly = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        string folder = Path.GetDirectoryName(path)!;
        if (OperatingSystem.IsWindows())
        {
            Directory.CreateDirectory(folder);
        }
        else
        {
            Directory.CreateDirectory(folder, OwnerOnly | UnixFileMode.UserExecute);
        }
        string partial = Path.Join(folder, $".{FileName}.{Environment.ProcessId}.{Guid.NewGuid():N}");
        try
        {
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                options.UnixCreateMode = OwnerOnly;
            }
            using (var file = new FileStream(partial, options))
            {
                file.Write(System.Text.Encoding.ASCII.GetBytes(FingerprintKey.Generate() + "\n"));
                file.Flush(flushToDisk: true);
            }
            File.Move(partial, path, overwrite: false);
        }
        catch (IOException) when (File.Exists(path))
        {
            // Another process made the key first: it is the key.
        }
        finally
        {
            File.Delete(partial);
        }
    }
}
