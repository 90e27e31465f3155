using EmpowerBot.Storage;
using EmpowerBot.Storage.AzureTables;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Storage.AzureTables;

/// <summary>What only the Azure backend has to get right, against Azurite: paging, key escaping, sharing, outages.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AzureTableStoreTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Table = "azurespecific";

    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));
    private AzureStoreHost _host = null!;

    private CancellationToken Ct => _timeout.Token;

    public async Task InitializeAsync()
    {
        _host = AzureStoreHost.Create(azurite.ConnectionString);
        await _host.Store.EnsureTablesAsync([Table], Ct);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        _timeout.Dispose();
    }

    [Fact]
    public async Task A_query_follows_continuation_pages_until_the_last_row()
    {
        var pk = Partition();
        var keys = Enumerable.Range(0, 9).Select(i => $"r{i}").ToList();
        await _host.Store.SubmitAsync(Table, [.. keys.Select(k => TableOperation.Insert(new TableEntity(pk, k)))], Ct);
        _host.Store.PageSize = 2;

        var all = await _host.Store.QueryAsync(Table, pk, null, null, Ct).ToListAsync(Ct);
        var range = await _host.Store.QueryAsync(Table, pk, "r3", "r8", Ct).ToListAsync(Ct);

        Assert.Equal(keys, all.Select(r => r.RowKey));
        Assert.Equal(["r3", "r4", "r5", "r6", "r7"], range.Select(r => r.RowKey));
    }

    [Theory]
    [InlineData("it's")]
    [InlineData("''")]
    [InlineData("50% off+more & x=y")]
    [InlineData("(a,b)")]
    [InlineData("tenant|aad:ü é|2026-11")]
    [InlineData("𝄞 music")]
    public async Task Keys_with_quotes_and_url_characters_address_exactly_their_row(string key)
    {
        var pk = Partition() + key;
        var etag = await _host.Store.InsertAsync(Table, new TableEntity(pk, key, new Dictionary<string, object?> { ["V"] = 1L }), Ct);
        var replaced = await _host.Store.ReplaceAsync(Table, new TableEntity(pk, key, new Dictionary<string, object?> { ["V"] = 2L }), etag, Ct);
        await _host.Store.SubmitAsync(Table, [TableOperation.Upsert(new TableEntity(pk, key + "'2")), TableOperation.Insert(new TableEntity(pk, key + "'3"))], Ct);

        var row = await _host.Store.GetAsync(Table, pk, key, Ct);
        var rows = await _host.Store.QueryAsync(Table, pk, key, key + "'3", Ct).ToListAsync(Ct);

        Assert.Equal((pk, key, replaced, 2L), (row!.PartitionKey, row.RowKey, row.ETag, row.GetInt64("V")));
        Assert.Equal([key, key + "'2"], rows.Select(r => r.RowKey));
        await _host.Store.DeleteAsync(Table, pk, key, replaced, Ct);
        Assert.Null(await _host.Store.GetAsync(Table, pk, key, Ct));
    }

    [Fact]
    public async Task Keys_that_look_like_an_entity_address_are_still_just_keys()
    {
        // Single operations only: Azurite's batch parser finds keys in the decoded URL with a regular expression,
        // which such keys fool. The service parses the OData literal; in a batch an insert carries its keys in the body.
        const string key = "PartitionKey='x',RowKey='y')";
        var pk = Partition() + key;
        var etag = await _host.Store.InsertAsync(Table, new TableEntity(pk, key), Ct);
        await _host.Store.InsertAsync(Table, new TableEntity(pk, "x"), Ct);

        Assert.Equal(etag, (await _host.Store.GetAsync(Table, pk, key, Ct))!.ETag);
        Assert.Equal([key, "x"], (await _host.Store.QueryAsync(Table, pk, null, null, Ct).ToListAsync(Ct)).Select(r => r.RowKey));
        await _host.Store.DeleteAsync(Table, pk, key, etag, Ct);
        Assert.Null(await _host.Store.GetAsync(Table, pk, key, Ct));
    }

    [Fact]
    public async Task Doubles_that_json_cannot_spell_round_trip()
    {
        var pk = Partition();
        double[] values = [double.NaN, double.PositiveInfinity, double.NegativeInfinity, 2.0, 1e300, double.Epsilon];
        await _host.Store.InsertAsync(Table, new TableEntity(pk, "r", values.Select((v, i) => ($"D{i}", v)).ToDictionary(p => p.Item1, p => (object?)p.v)), Ct);

        var row = (await _host.Store.GetAsync(Table, pk, "r", Ct))!;

        Assert.Equal(values, values.Select((_, i) => Assert.IsType<double>(row.Properties[$"D{i}"])));
    }

    [Fact]
    public async Task Creating_tables_that_exist_is_harmless_and_ping_answers()
    {
        await _host.Store.EnsureTablesAsync([Table, Table], Ct);

        Assert.True(await _host.Store.PingAsync(Ct));
    }

    [Fact]
    public async Task Two_instances_on_one_account_see_each_others_writes_and_conflicts()
    {
        await using var other = AzureStoreHost.Create(azurite.ConnectionString);
        var pk = Partition();
        var first = await _host.Store.InsertAsync(Table, new TableEntity(pk, "balance", new Dictionary<string, object?> { ["spent"] = 100L }), Ct);

        var seen = (await other.Store.GetAsync(Table, pk, "balance", Ct))!;
        await other.Store.ReplaceAsync(Table, new TableEntity(pk, "balance", new Dictionary<string, object?> { ["spent"] = 150L }), seen.ETag!, Ct);
        var conflict = await Assert.ThrowsAsync<StorageConflictException>(() =>
            _host.Store.ReplaceAsync(Table, new TableEntity(pk, "balance", new Dictionary<string, object?> { ["spent"] = 120L }), first, Ct));

        Assert.Equal((first, ConflictReason.PreconditionFailed), (seen.ETag, conflict.Reason));
        Assert.Equal(150L, (await _host.Store.GetAsync(Table, pk, "balance", Ct))!.GetInt64("spent"));
    }

    [Fact]
    public async Task A_table_prefix_keeps_two_deployments_on_one_account_apart()
    {
        await using var staging = AzureStoreHost.Create(azurite.ConnectionString, tablePrefix: "staging");
        await staging.Store.EnsureTablesAsync([Table], Ct);
        var pk = Partition();

        await staging.Store.InsertAsync(Table, new TableEntity(pk, "r", new Dictionary<string, object?> { ["Where"] = "staging" }), Ct);
        await _host.Store.InsertAsync(Table, new TableEntity(pk, "r", new Dictionary<string, object?> { ["Where"] = "production" }), Ct);

        Assert.Equal("staging", (await staging.Store.GetAsync(Table, pk, "r", Ct))!.GetString("Where"));
        Assert.Equal("production", (await _host.Store.GetAsync(Table, pk, "r", Ct))!.GetString("Where"));
    }

    [Fact]
    public async Task A_table_deleted_behind_the_bots_back_is_unavailability_not_a_missing_row()
    {
        const string doomed = "deletedlater";
        await _host.Store.EnsureTablesAsync([doomed], Ct);
        await new Azure.Data.Tables.TableServiceClient(azurite.ConnectionString).DeleteTableAsync(doomed, Ct);

        var read = await Assert.ThrowsAsync<StorageUnavailableException>(() => _host.Store.GetAsync(doomed, Partition(), "r", Ct));
        var query = await Assert.ThrowsAsync<StorageUnavailableException>(() => _host.Store.QueryAsync(doomed, Partition(), null, null, Ct).ToListAsync(Ct));

        Assert.All(new[] { read, query }, e => Assert.Contains("deleted since", e.Message));
    }

    [Fact]
    public async Task A_wrong_account_key_is_reported_as_refused_credentials_without_the_key()
    {
        const string wrongKey = "d3Jvbmcga2V5IHdyb25nIGtleSB3cm9uZyBrZXkgd3Jvbmc=";
        await using var host = AzureStoreHost.Create(azurite.ConnectionString.Replace(
            AzureTablesConnection.DevelopmentStorageKey, wrongKey, StringComparison.Ordinal));

        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => host.Store.GetAsync(Table, Partition(), "r", Ct));

        Assert.Contains("refused the bot's credentials", error.Message);
        Assert.Contains(azurite.Azurite.Endpoint, error.Message);
        Assert.DoesNotContain(wrongKey, error.Message);
    }

    private static string Partition() => $"tenant|{Guid.NewGuid():N}";
}
