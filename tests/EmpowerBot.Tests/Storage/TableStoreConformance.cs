using EmpowerBot.Storage;

namespace EmpowerBot.Tests.Storage;

/// <summary>
/// The behaviour every <see cref="ITableStore"/> backend shares. A backend's test class derives from this one and
/// supplies a store; every test writes to fresh partitions, so a shared server (Azurite) can host them all.
/// This file covers reads, property types and queries; the partial files beside it cover conditions and batches.
/// </summary>
public abstract partial class TableStoreConformance : IAsyncLifetime
{
    protected const string TableA = "conformance";
    protected const string TableB = "conformancebis";

    // A hung store fails the test instead of hanging the run.
    private readonly CancellationTokenSource _timeout = new(TimeSpan.FromSeconds(60));
    private ITableStore? _store;

    protected ITableStore Store => _store ?? throw new InvalidOperationException("The store is created in InitializeAsync.");

    protected CancellationToken Ct => _timeout.Token;

    /// <summary>A new, empty store (or a shared one: tests never reuse a partition).</summary>
    protected abstract Task<ITableStore> CreateStoreAsync();

    public async Task InitializeAsync()
    {
        _store = await CreateStoreAsync();
        await _store.EnsureTablesAsync([TableA, TableB], Ct);
    }

    public virtual async Task DisposeAsync()
    {
        if (_store is IAsyncDisposable disposable)
        {
            await disposable.DisposeAsync();
        }
        _timeout.Dispose();
    }

    protected static string NewPartition() => Tables.Key("tenant", Guid.NewGuid().ToString("N"));

    protected static TableEntity Row(string partitionKey, string rowKey, params (string Name, object? Value)[] properties) =>
        new(partitionKey, rowKey, properties.ToDictionary(p => p.Name, p => p.Value));

    protected async Task<List<string>> RowKeysAsync(string table, string partitionKey, string? from = null, string? to = null) =>
        (await Store.QueryAsync(table, partitionKey, from, to, Ct).ToListAsync(Ct)).Select(r => r.RowKey).ToList();

    [Fact]
    public async Task A_point_read_returns_the_row_with_its_etag()
    {
        var pk = NewPartition();
        var etag = await Store.InsertAsync(TableA, Row(pk, "r1", ("Name", "Ann")), Ct);

        var row = await Store.GetAsync(TableA, pk, "r1", Ct);

        Assert.NotNull(row);
        Assert.Equal((pk, "r1", etag, "Ann"), (row.PartitionKey, row.RowKey, row.ETag, row.GetString("Name")));
    }

    [Fact]
    public async Task A_point_read_of_a_missing_row_returns_null()
    {
        var pk = NewPartition();
        await Store.InsertAsync(TableA, Row(pk, "present"), Ct);

        Assert.Null(await Store.GetAsync(TableA, pk, "absent", Ct));
        Assert.Null(await Store.GetAsync(TableA, NewPartition(), "present", Ct));
    }

    [Fact]
    public async Task Every_supported_property_type_round_trips_exactly()
    {
        var pk = NewPartition();
        var when = new DateTimeOffset(2025, 3, 9, 14, 30, 15, TimeSpan.FromHours(5.5)).AddTicks(1_234_567);
        var written = Row(pk, "types",
            ("Text", "héllo ✓ 𝄞 \"quoted\" \\ end"), ("Empty", ""), ("Long", long.MaxValue), ("Min", long.MinValue),
            ("Int", 42), ("Double", 0.1), ("Huge", double.MaxValue), ("Tiny", -2.5e-300), ("Yes", true), ("No", false), ("When", when));
        await Store.InsertAsync(TableA, written, Ct);

        var row = (await Store.GetAsync(TableA, pk, "types", Ct))!;

        Assert.Equal(written.Properties.Count, row.Properties.Count);
        Assert.Equal("héllo ✓ 𝄞 \"quoted\" \\ end", Assert.IsType<string>(row.Properties["Text"]));
        Assert.Equal("", Assert.IsType<string>(row.Properties["Empty"]));
        Assert.Equal(long.MaxValue, Assert.IsType<long>(row.Properties["Long"]));
        Assert.Equal(long.MinValue, Assert.IsType<long>(row.Properties["Min"]));
        Assert.Equal(42L, Assert.IsType<long>(row.Properties["Int"]));
        Assert.Equal(0.1, Assert.IsType<double>(row.Properties["Double"]));
        Assert.Equal(double.MaxValue, Assert.IsType<double>(row.Properties["Huge"]));
        Assert.Equal(-2.5e-300, Assert.IsType<double>(row.Properties["Tiny"]));
        Assert.True(Assert.IsType<bool>(row.Properties["Yes"]));
        Assert.False(Assert.IsType<bool>(row.Properties["No"]));
        var time = Assert.IsType<DateTimeOffset>(row.Properties["When"]);
        Assert.Equal((when.UtcTicks, TimeSpan.Zero), (time.UtcTicks, time.Offset));
    }

    [Fact]
    public async Task Null_properties_are_not_stored()
    {
        var pk = NewPartition();
        await Store.InsertAsync(TableA, Row(pk, "r", ("Kept", 1L), ("Dropped", null)), Ct);

        var row = (await Store.GetAsync(TableA, pk, "r", Ct))!;

        Assert.Equal(["Kept"], row.Properties.Keys);
    }

    [Fact]
    public async Task An_unsupported_property_type_is_refused_and_nothing_is_written()
    {
        var pk = NewPartition();

        await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertAsync(TableA, Row(pk, "r", ("Amount", 1.5m)), Ct));

        Assert.Null(await Store.GetAsync(TableA, pk, "r", Ct));
    }

    [Fact]
    public async Task Text_with_a_lone_surrogate_is_refused_in_keys_and_values()
    {
        var pk = NewPartition();

        await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertAsync(TableA, Row(pk, "r\ud800"), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertAsync(TableA, Row(pk, "r", ("Text", "a\udc00b")), Ct));

        Assert.Empty(await RowKeysAsync(TableA, pk));
    }

    [Fact]
    public async Task A_partition_query_returns_rows_in_ordinal_row_key_order()
    {
        var pk = NewPartition();
        string[] keys = ["b", "a", "B", "a|2", "a|10", "é", "~", "A", "a0"];
        foreach (var key in keys)
        {
            await Store.InsertAsync(TableA, Row(pk, key), Ct);
        }

        Assert.Equal(keys.Order(StringComparer.Ordinal), await RowKeysAsync(TableA, pk));
    }

    [Fact]
    public async Task Query_bounds_include_the_lower_key_and_exclude_the_upper_one()
    {
        var pk = NewPartition();
        foreach (var key in new[] { "k1", "k2", "k3", "k4", "k5" })
        {
            await Store.InsertAsync(TableA, Row(pk, key), Ct);
        }

        Assert.Equal(["k2", "k3"], await RowKeysAsync(TableA, pk, "k2", "k4"));
        Assert.Equal(["k2", "k3", "k4", "k5"], await RowKeysAsync(TableA, pk, "k2", null));
        Assert.Equal(["k1", "k2"], await RowKeysAsync(TableA, pk, null, "k3"));
        Assert.Equal(["k1", "k2", "k3", "k4", "k5"], await RowKeysAsync(TableA, pk, "k0", "k9"));
        Assert.Empty(await RowKeysAsync(TableA, pk, "k4", "k2"));
    }

    [Fact]
    public async Task A_prefix_query_returns_exactly_the_rows_that_start_with_the_prefix()
    {
        var pk = NewPartition();
        foreach (var key in new[] { "balance", "credi", "credit|1", "credit|2", "credit|2|x", "creditz", "credit}" })
        {
            await Store.InsertAsync(TableA, Row(pk, key), Ct);
        }

        var rows = await Store.QueryPrefixAsync(TableA, pk, "credit|", Ct).ToListAsync(Ct);

        Assert.Equal(["credit|1", "credit|2", "credit|2|x"], rows.Select(r => r.RowKey));
    }

    [Fact]
    public async Task Partitions_and_tables_do_not_mix()
    {
        var pk = NewPartition();
        var longerPk = pk + "x";
        await Store.InsertAsync(TableA, Row(pk, "r", ("Where", "A")), Ct);
        await Store.InsertAsync(TableA, Row(longerPk, "r", ("Where", "A+x")), Ct);
        await Store.InsertAsync(TableB, Row(pk, "r", ("Where", "B")), Ct);

        Assert.Equal("A", (await Store.GetAsync(TableA, pk, "r", Ct))!.GetString("Where"));
        Assert.Equal("A+x", (await Store.GetAsync(TableA, longerPk, "r", Ct))!.GetString("Where"));
        Assert.Equal("B", (await Store.GetAsync(TableB, pk, "r", Ct))!.GetString("Where"));
        Assert.Single(await Store.QueryAsync(TableA, pk, null, null, Ct).ToListAsync(Ct));
        Assert.Equal("B", Assert.Single(await Store.QueryAsync(TableB, pk, null, null, Ct).ToListAsync(Ct)).GetString("Where"));
        Assert.Null(await Store.GetAsync(TableB, longerPk, "r", Ct));
    }
}
