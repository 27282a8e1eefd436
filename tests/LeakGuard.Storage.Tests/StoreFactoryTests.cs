namespace LeakGuard.Storage.Tests;

public sealed class StoreFactoryTests
{
    [Fact]
    public async Task An_unrecognised_store_string_is_rejected_without_echoing_it()
    {
        var error = await Assert.ThrowsAsync<ArgumentException>(() => StoreFactory.OpenAsync("mysql://u:hunter2@db/x"));

        Assert.DoesNotContain("hunter2", error.Message, StringComparison.Ordinal);
    }
}
