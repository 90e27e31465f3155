using EmpowerBot.Storage;
using EmpowerBot.Storage.AzureTables;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Storage.AzureTables;

/// <summary>The table service going away under a running store: clear failures, nothing half-written, recovery.</summary>
public sealed class AzureTableStoreOutageTests
{
    private const string Table = "outage";

    [Fact]
    public async Task Azurite_stopping_mid_test_is_unavailability_naming_the_endpoint_and_no_batch_is_half_written()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = timeout.Token;
        var folder = Directory.CreateTempSubdirectory("empowerbot-azurite-outage-");
        try
        {
            await using var azurite = await AzuriteProcess.StartAsync(location: folder.FullName);
            // Few, quick retries, so the outage shows at once.
            await using var host = AzureStoreHost.Create(azurite.ConnectionString, resilience: o =>
            {
                o.MaxRetries = 2;
                o.AttemptTimeout = TimeSpan.FromSeconds(2);
            });
            var store = host.Store;
            await store.EnsureTablesAsync([Table], ct);
            var pk = $"tenant|{Guid.NewGuid():N}";
            var balance = await store.InsertAsync(Table, Balance(pk, 100), ct);
            TableOperation[] credit =
            [
                TableOperation.Replace(Balance(pk, 150), balance),
                TableOperation.Insert(new TableEntity(pk, "credit|c1", new Dictionary<string, object?> { ["amount"] = 50L })),
                TableOperation.Insert(new TableEntity(pk, "idem|a1")),
            ];

            await azurite.StopAsync();

            var write = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.SubmitAsync(Table, credit, ct));
            var read = await Assert.ThrowsAsync<StorageUnavailableException>(() => store.GetAsync(Table, pk, "balance", ct));
            Assert.False(await store.PingAsync(ct));
            foreach (var message in new[] { write.Message, read.Message })
            {
                Assert.Contains(azurite.Endpoint, message);
                Assert.DoesNotContain(AzureTablesConnection.DevelopmentStorageKey, message);
            }

            await using var restarted = await AzuriteProcess.StartAsync(azurite.Port, folder.FullName);

            var rows = await store.QueryAsync(Table, pk, null, null, ct).ToListAsync(ct);
            var kept = Assert.Single(rows);
            Assert.Equal(("balance", balance, 100L), (kept.RowKey, kept.ETag, kept.GetInt64("spent")));
            Assert.Equal(3, (await store.SubmitAsync(Table, credit, ct)).Count);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static TableEntity Balance(string pk, long spent) => new(pk, "balance", new Dictionary<string, object?> { ["spent"] = spent });
}
