using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Storage.AzureTables;

/// <summary>The conformance suite against Azurite, plus what only the Azure backend has to get right.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableStoreConformanceTests(AzuriteFixture azurite) : TableStoreConformance
{
    private AzureStoreHost? _host;

    protected override Task<ITableStore> CreateStoreAsync()
    {
        _host = AzureStoreHost.Create(azurite.ConnectionString);
        return Task.FromResult<ITableStore>(_host.Store);
    }

    public override async Task DisposeAsync()
    {
        await base.DisposeAsync();
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }
    }
}
