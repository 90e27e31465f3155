using EmpowerBot.Storage;

namespace EmpowerBot.Tests.Storage;

/// <summary>The table service's limits on keys and entities, enforced alike by every backend.</summary>
public abstract partial class TableStoreConformance
{
    [Fact]
    public async Task A_key_of_512_characters_is_stored_and_one_of_513_is_refused()
    {
        var pk = NewPartition();
        var longest = new string('k', 512);

        await Store.InsertAsync(TableA, Row(pk, longest), Ct);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertAsync(TableA, Row(pk, longest + "k"), Ct));

        Assert.Equal([longest], await RowKeysAsync(TableA, pk));
    }

    [Theory]
    [InlineData("has space")]
    [InlineData("with-dash")]
    [InlineData("1st")]
    [InlineData("odata.type")]
    [InlineData("a@b")]
    [InlineData("PartitionKey")]
    [InlineData("Timestamp")]
    [InlineData("")]
    public async Task A_property_name_the_service_refuses_is_refused(string name)
    {
        var pk = NewPartition();

        await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertAsync(TableA, Row(pk, "r", (name, "x")), Ct));

        Assert.Null(await Store.GetAsync(TableA, pk, "r", Ct));
    }

    [Fact]
    public async Task An_entity_holds_252_properties_but_not_253()
    {
        var pk = NewPartition();
        (string, object?)[] Properties(int count) => [.. Enumerable.Range(0, count).Select(i => ($"p{i}", (object?)(long)i))];

        await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertAsync(TableA, Row(pk, "r", Properties(253)), Ct));
        await Store.InsertAsync(TableA, Row(pk, "r", Properties(252)), Ct);

        Assert.Equal(252, (await Store.GetAsync(TableA, pk, "r", Ct))!.Properties.Count);
    }

    [Fact]
    public async Task A_string_of_32768_characters_is_stored_and_a_longer_one_refused()
    {
        var pk = NewPartition();
        var longest = string.Concat(Enumerable.Repeat("é✓ab", 32 * 1024 / 4));

        await Store.InsertAsync(TableA, Row(pk, "r", ("Text", longest)), Ct);
        await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertAsync(TableA, Row(pk, "s", ("Text", longest + "x")), Ct));

        Assert.Equal(longest, (await Store.GetAsync(TableA, pk, "r", Ct))!.GetString("Text"));
        Assert.Null(await Store.GetAsync(TableA, pk, "s", Ct));
    }

    [Fact]
    public async Task An_entity_over_one_mebibyte_is_refused_even_within_a_batch()
    {
        var pk = NewPartition();
        var big = Row(pk, "big", [.. Enumerable.Range(0, 17).Select(i => ($"T{i}", (object?)new string('x', 32 * 1024)))]);

        await Assert.ThrowsAsync<ArgumentException>(() => Store.SubmitAsync(TableA, [TableOperation.Insert(Row(pk, "small")), TableOperation.Insert(big)], Ct));

        Assert.Empty(await RowKeysAsync(TableA, pk));
    }

    [Fact]
    public async Task A_time_before_1601_is_refused()
    {
        var pk = NewPartition();

        await Assert.ThrowsAsync<ArgumentException>(() => Store.InsertAsync(TableA, Row(pk, "r", ("At", new DateTimeOffset(1600, 12, 31, 23, 59, 59, TimeSpan.Zero))), Ct));
        await Store.InsertAsync(TableA, Row(pk, "r", ("At", new DateTimeOffset(1601, 1, 1, 0, 0, 0, TimeSpan.Zero))), Ct);

        Assert.Equal(new DateTimeOffset(1601, 1, 1, 0, 0, 0, TimeSpan.Zero), (await Store.GetAsync(TableA, pk, "r", Ct))!.GetTime("At"));
    }
}
