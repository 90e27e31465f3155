namespace EmpowerBot.Tests.Fixtures;

/// <summary>The one Azurite shared by every test of the <see cref="AzuriteCollection"/>; each test uses fresh partitions or tables.</summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    private AzuriteProcess? _azurite;

    public AzuriteProcess Azurite => _azurite ?? throw new InvalidOperationException("Azurite starts in InitializeAsync.");

    public string ConnectionString => Azurite.ConnectionString;

    public async Task InitializeAsync() => _azurite = await AzuriteProcess.StartAsync();

    /// <summary>Runs a scenario on two bot instances sharing one fresh table set on this Azurite, on one clock.</summary>
    public async Task OnTwoHostsAsync(Func<BotHost, BotHost, Task> scenario)
    {
        var shared = TestStorage.AzureTables(ConnectionString, TestStorage.NewTablePrefix());
        using var first = new BotHost(shared);
        using var second = new BotHost(shared, first.Clock);
        await scenario(first, second);
    }

    public async Task DisposeAsync()
    {
        if (_azurite is not null)
        {
            await _azurite.DisposeAsync();
        }
    }
}

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "Azurite";
}
