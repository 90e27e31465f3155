using EmpowerBot.Storage;

namespace EmpowerBot.Tests.Storage;

/// <summary>Atomic batches, malformed batches, and writers racing each other.</summary>
public abstract partial class TableStoreConformance
{
    [Fact]
    public async Task A_batch_returns_etags_in_operation_order_with_null_for_deletes()
    {
        var pk = NewPartition();
        var old = await Store.InsertAsync(TableA, Row(pk, "old"), Ct);
        var kept = await Store.InsertAsync(TableA, Row(pk, "kept", ("V", 1L)), Ct);

        var etags = await Store.SubmitAsync(TableA,
            [TableOperation.Insert(Row(pk, "new")), TableOperation.Delete(pk, "old", old), TableOperation.Replace(Row(pk, "kept", ("V", 2L)), kept)], Ct);

        Assert.Equal(3, etags.Count);
        Assert.Null(etags[1]);
        Assert.Equal(etags[0], (await Store.GetAsync(TableA, pk, "new", Ct))!.ETag);
        Assert.Equal(etags[2], (await Store.GetAsync(TableA, pk, "kept", Ct))!.ETag);
        Assert.Null(await Store.GetAsync(TableA, pk, "old", Ct));
    }

    [Fact]
    public async Task A_batch_rolls_back_entirely_when_one_condition_fails()
    {
        // The shape of a credit: balance replaced under its ETag, a credit row, and an idempotency row that already exists.
        var pk = NewPartition();
        var balance = await Store.InsertAsync(TableA, Row(pk, "balance", ("Spent", 100L)), Ct);
        await Store.InsertAsync(TableA, Row(pk, "idem|a1", ("Credit", "c0")), Ct);
        await Store.InsertAsync(TableA, Row(pk, "note", ("Text", "before")), Ct);
        var before = await Store.QueryAsync(TableA, pk, null, null, Ct).ToListAsync(Ct);

        var conflict = await Assert.ThrowsAsync<StorageConflictException>(() => Store.SubmitAsync(TableA,
        [
            TableOperation.Replace(Row(pk, "balance", ("Spent", 150L)), balance),
            TableOperation.Insert(Row(pk, "credit|c1", ("Amount", 50L))),
            TableOperation.Delete(pk, "note", TableOperation.AnyETag),
            TableOperation.Upsert(Row(pk, "audit", ("Text", "x"))),
            TableOperation.Insert(Row(pk, "idem|a1", ("Credit", "c1"))),
        ], Ct));

        Assert.Equal((4, ConflictReason.EntityExists), (conflict.OperationIndex, conflict.Reason));
        var after = await Store.QueryAsync(TableA, pk, null, null, Ct).ToListAsync(Ct);
        Assert.Equal(before.Select(Describe), after.Select(Describe));
    }

    [Fact]
    public async Task A_batch_across_partitions_is_refused_and_writes_nothing()
    {
        var (pk, other) = (NewPartition(), NewPartition());

        await Assert.ThrowsAsync<ArgumentException>(() => Store.SubmitAsync(TableA,
            [TableOperation.Insert(Row(pk, "a")), TableOperation.Insert(Row(other, "b"))], Ct));

        Assert.Empty(await RowKeysAsync(TableA, pk));
        Assert.Empty(await RowKeysAsync(TableA, other));
    }

    [Fact]
    public async Task A_batch_naming_a_row_twice_is_refused_and_writes_nothing()
    {
        var pk = NewPartition();

        await Assert.ThrowsAsync<ArgumentException>(() => Store.SubmitAsync(TableA,
            [TableOperation.Insert(Row(pk, "a")), TableOperation.Insert(Row(pk, "b")), TableOperation.Upsert(Row(pk, "a"))], Ct));

        Assert.Empty(await RowKeysAsync(TableA, pk));
    }

    [Fact]
    public async Task An_empty_batch_is_refused()
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.SubmitAsync(TableA, [], Ct));
    }

    [Fact]
    public async Task A_batch_of_100_operations_commits_and_one_of_101_is_refused()
    {
        var pk = NewPartition();
        TableOperation[] Inserts(string prefix, int count) =>
            [.. Enumerable.Range(0, count).Select(i => TableOperation.Insert(Row(pk, $"{prefix}{i:D3}")))];

        await Assert.ThrowsAsync<ArgumentException>(() => Store.SubmitAsync(TableA, Inserts("x", 101), Ct));
        Assert.Equal(100, (await Store.SubmitAsync(TableA, Inserts("y", 100), Ct)).Count);

        Assert.Equal(100, (await RowKeysAsync(TableA, pk)).Count);
    }

    [Theory]
    [InlineData("ab")]
    [InlineData("Budgets")]
    [InlineData("1budgets")]
    [InlineData("budget-s")]
    [InlineData("a123456789012345678901234567890123456789012345678901234567890123")]
    public async Task A_table_name_outside_the_service_rules_is_refused(string table)
    {
        await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertAsync(table, Row(NewPartition(), "r"), Ct));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("a\\b")]
    [InlineData("a#b")]
    [InlineData("a?b")]
    [InlineData("a\tb")]
    public async Task A_key_with_a_character_the_service_forbids_is_refused(string key)
    {
        var pk = NewPartition();

        await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertAsync(TableA, Row(pk, key), Ct));
        await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertAsync(TableA, Row(key, "r"), Ct));
    }

    [Fact]
    public async Task Sixteen_writers_incrementing_one_counter_with_etag_retries_count_exactly_800()
    {
        var pk = NewPartition();
        await Store.InsertAsync(TableA, Row(pk, "counter", ("Count", 0L)), Ct);

        async Task IncrementFiftyTimes()
        {
            for (var i = 0; i < 50; i++)
            {
                while (true)
                {
                    var row = (await Store.GetAsync(TableA, pk, "counter", Ct))!;
                    try
                    {
                        await Store.ReplaceAsync(TableA, Row(pk, "counter", ("Count", row.GetInt64("Count") + 1)), row.ETag!, Ct);
                        break;
                    }
                    catch (StorageConflictException conflict) when (conflict.Reason == ConflictReason.PreconditionFailed)
                    {
                        // Someone else won this round: re-read and try again, as the domain does.
                    }
                }
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 16).Select(_ => Task.Run(IncrementFiftyTimes)));

        Assert.Equal(800L, (await Store.GetAsync(TableA, pk, "counter", Ct))!.GetInt64("Count"));
    }

    [Fact]
    public async Task Many_concurrent_independent_batches_all_land()
    {
        var run = NewPartition();
        async Task<(string Pk, IReadOnlyList<string?> ETags)[]> Writer(int writer)
        {
            var results = new List<(string, IReadOnlyList<string?>)>();
            for (var i = 0; i < 25; i++)
            {
                var pk = $"{run}|{writer}|{i}";
                results.Add((pk, await Store.SubmitAsync(TableA,
                    [TableOperation.Insert(Row(pk, "a", ("W", (long)writer))), TableOperation.Upsert(Row(pk, "b")), TableOperation.Insert(Row(pk, "c"))], Ct)));
            }
            return [.. results];
        }

        var all = (await Task.WhenAll(Enumerable.Range(0, 32).Select(w => Task.Run(() => Writer(w))))).SelectMany(r => r).ToList();

        Assert.Equal(800, all.Count);
        foreach (var (pk, etags) in all)
        {
            var rows = await Store.QueryAsync(TableA, pk, null, null, Ct).ToListAsync(Ct);
            Assert.Equal(["a", "b", "c"], rows.Select(r => r.RowKey));
            Assert.Equal(etags, rows.Select(r => r.ETag));
        }
    }

    private static string Describe(TableEntity row) =>
        $"{row.RowKey} {row.ETag} " + string.Join(",", row.Properties.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}"));
}
