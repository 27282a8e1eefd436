namespace LeakGuard.Service.Alerts;

/// <summary>Appends each alert as one line of <see cref="AlertJson"/> to a file, created with its folder if missing.</summary>
public sealed class FileAlertChannel(string path) : IAlertChannel
{
    // One writer at a time in this process: two appends must not interleave inside a line.
    private readonly SemaphoreSlim writeLock = new(1, 1);

    public string Description => $"file {path}";

    public async Task<AlertDelivery> DeliverAsync(Alert alert, CancellationToken cancellationToken)
    {
        byte[] json = AlertJson.Serialize(alert);
        byte[] line = new byte[json.Length + 1];
        json.CopyTo(line, 0);
        line[^1] = (byte)'\n';
        await writeLock.WaitAsync(cancellationToken);
        try
        {
            if (Path.GetDirectoryName(Path.GetFullPath(path)) is { } folder)
            {
                Directory.CreateDirectory(folder);
            }
            // One write call for the whole line, so a reader tailing the file never sees half of one.
            await using var file = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            await file.WriteAsync(line, cancellationToken);
            await file.FlushAsync(cancellationToken);
            return AlertDelivery.Delivered;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return AlertDelivery.RetryableFailure($"cannot append to {path}: {e.Message}");
        }
        finally
        {
            writeLock.Release();
        }
    }
}
