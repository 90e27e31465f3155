using EmpowerBot.Storage;

namespace EmpowerBot.Tests.Storage;

/// <summary>Per-row conditions: what each operation kind demands of the row it addresses.</summary>
public abstract partial class TableStoreConformance
{
    [Fact]
    public async Task Inserting_an_existing_row_is_a_conflict_and_leaves_it_unchanged()
    {
        var pk = NewPartition();
        var etag = await Store.InsertAsync(TableA, Row(pk, "r", ("V", 1L)), Ct);

        var conflict = await Assert.ThrowsAsync<StorageConflictException>(() => Store.InsertAsync(TableA, Row(pk, "r", ("V", 2L)), Ct));

        Assert.Equal((0, ConflictReason.EntityExists), (conflict.OperationIndex, conflict.Reason));
        var row = (await Store.GetAsync(TableA, pk, "r", Ct))!;
        Assert.Equal((etag, 1L), (row.ETag, row.GetInt64("V")));
    }

    [Fact]
    public async Task Replace_with_a_stale_etag_is_a_conflict_and_changes_nothing()
    {
        var pk = NewPartition();
        var stale = await Store.InsertAsync(TableA, Row(pk, "r", ("V", 1L)), Ct);
        var current = await Store.ReplaceAsync(TableA, Row(pk, "r", ("V", 2L)), stale, Ct);

        var conflict = await Assert.ThrowsAsync<StorageConflictException>(() => Store.ReplaceAsync(TableA, Row(pk, "r", ("V", 3L)), stale, Ct));

        Assert.Equal((0, ConflictReason.PreconditionFailed), (conflict.OperationIndex, conflict.Reason));
        var row = (await Store.GetAsync(TableA, pk, "r", Ct))!;
        Assert.Equal((current, 2L), (row.ETag, row.GetInt64("V")));
    }

    [Fact]
    public async Task Delete_with_a_stale_etag_is_a_conflict_and_keeps_the_row()
    {
        var pk = NewPartition();
        var stale = await Store.InsertAsync(TableA, Row(pk, "r", ("V", 1L)), Ct);
        var current = await Store.UpsertAsync(TableA, Row(pk, "r", ("V", 2L)), Ct);

        var conflict = await Assert.ThrowsAsync<StorageConflictException>(() => Store.DeleteAsync(TableA, pk, "r", stale, Ct));

        Assert.Equal(ConflictReason.PreconditionFailed, conflict.Reason);
        Assert.Equal(current, (await Store.GetAsync(TableA, pk, "r", Ct))!.ETag);
    }

    [Fact]
    public async Task Replace_or_delete_of_a_missing_row_is_a_not_found_conflict()
    {
        var pk = NewPartition();

        foreach (var ifMatch in new[] { "W/\"1\"", TableOperation.AnyETag })
        {
            var replace = await Assert.ThrowsAsync<StorageConflictException>(() => Store.ReplaceAsync(TableA, Row(pk, "ghost"), ifMatch, Ct));
            var delete = await Assert.ThrowsAsync<StorageConflictException>(() => Store.DeleteAsync(TableA, pk, "ghost", ifMatch, Ct));
            Assert.Equal((ConflictReason.NotFound, ConflictReason.NotFound), (replace.Reason, delete.Reason));
        }
        Assert.Null(await Store.GetAsync(TableA, pk, "ghost", Ct));
    }

    [Fact]
    public async Task The_star_etag_replaces_or_deletes_whatever_row_exists()
    {
        var pk = NewPartition();
        await Store.InsertAsync(TableA, Row(pk, "r", ("V", 1L)), Ct);
        await Store.UpsertAsync(TableA, Row(pk, "r", ("V", 2L)), Ct);

        var etag = await Store.ReplaceAsync(TableA, Row(pk, "r", ("V", 3L)), TableOperation.AnyETag, Ct);
        var row = (await Store.GetAsync(TableA, pk, "r", Ct))!;
        Assert.Equal((etag, 3L), (row.ETag, row.GetInt64("V")));

        await Store.DeleteAsync(TableA, pk, "r", TableOperation.AnyETag, Ct);
        Assert.Null(await Store.GetAsync(TableA, pk, "r", Ct));
    }

    [Fact]
    public async Task Replace_swaps_the_whole_property_set_rather_than_merging()
    {
        var pk = NewPartition();
        var etag = await Store.InsertAsync(TableA, Row(pk, "r", ("Old", "x"), ("Kept", 1L)), Ct);

        await Store.ReplaceAsync(TableA, Row(pk, "r", ("Kept", 2L), ("New", true)), etag, Ct);

        var row = (await Store.GetAsync(TableA, pk, "r", Ct))!;
        Assert.Equal(["Kept", "New"], row.Properties.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(2L, row.GetInt64("Kept"));
    }

    [Fact]
    public async Task Upsert_inserts_a_missing_row_and_overwrites_an_existing_one()
    {
        var pk = NewPartition();

        var first = await Store.UpsertAsync(TableA, Row(pk, "r", ("V", 1L), ("Gone", "soon")), Ct);
        var second = await Store.UpsertAsync(TableA, Row(pk, "r", ("V", 2L)), Ct);

        var row = (await Store.GetAsync(TableA, pk, "r", Ct))!;
        Assert.NotEqual(first, second);
        Assert.Equal((second, 2L, 1), (row.ETag, row.GetInt64("V"), row.Properties.Count));
    }

    [Fact]
    public async Task Every_write_gets_a_fresh_etag_even_after_delete_and_reinsert()
    {
        var pk = NewPartition();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        for (var round = 0; round < 3; round++)
        {
            var inserted = await Store.InsertAsync(TableA, Row(pk, "r", ("V", 1L)), Ct);
            var replaced = await Store.ReplaceAsync(TableA, Row(pk, "r", ("V", 1L)), inserted, Ct);
            var upserted = await Store.UpsertAsync(TableA, Row(pk, "r", ("V", 1L)), Ct);
            Assert.True(seen.Add(inserted) && seen.Add(replaced) && seen.Add(upserted), $"An ETag was reused in round {round}.");
            await Store.DeleteAsync(TableA, pk, "r", upserted, Ct);
        }
    }
}
