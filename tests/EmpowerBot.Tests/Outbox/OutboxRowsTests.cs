using EmpowerBot.Outbox;

namespace EmpowerBot.Tests.Outbox;

/// <summary>The table layout the dispatcher's range query and several instances rely on.</summary>
public sealed class OutboxRowsTests
{
    [Theory]
    // FNV-1a values computed independently; a change here strands every message already stored.
    [InlineData("approval-42", 4, "3")]
    [InlineData("approval-42", 16, "7")]
    [InlineData("a", 4, "0")]
    [InlineData("note-1", 4, "3")]
    [InlineData("credit|c-9", 16, "7")]
    public void The_shard_is_a_stable_hash_of_the_id(string id, int shards, string shard)
    {
        Assert.Equal(shard, OutboxRows.Shard(id, shards));
    }

    [Fact]
    public void Due_rows_sort_by_due_time_and_the_due_range_ends_right_after_now()
    {
        var now = new DateTimeOffset(2026, 11, 22, 15, 0, 0, TimeSpan.Zero);
        var end = OutboxRows.DueRangeEnd(now);
        var keys = new[]
        {
            OutboxRows.DueKey(now.AddYears(-20), "old"),
            OutboxRows.DueKey(now.AddTicks(-1), "zzz"),
            OutboxRows.DueKey(now, "\uFFEEwide"),
        };

        Assert.Equal(keys, keys.Order(StringComparer.Ordinal));
        Assert.All(keys, k => Assert.True(string.CompareOrdinal(k, end) < 0, k));
        Assert.True(string.CompareOrdinal(OutboxRows.DueKey(now.AddTicks(1), "a"), end) >= 0);
        Assert.True(string.CompareOrdinal(OutboxRows.DeadKey("a"), end) > 0);
        Assert.True(string.CompareOrdinal(OutboxRows.DeadKey("a"), OutboxRows.DueKey(DateTimeOffset.MaxValue, "a")) > 0);
    }

    [Fact]
    public void A_row_key_reads_back_as_its_due_time_and_id()
    {
        var due = new DateTimeOffset(2026, 11, 22, 15, 0, 0, TimeSpan.FromHours(-5)).AddTicks(7);

        Assert.True(OutboxRows.TryParse(OutboxRows.DueKey(due, "approval|42"), out var parsed, out var id));
        Assert.Equal((due, "approval|42"), (parsed, id));
        Assert.False(OutboxRows.TryParse(OutboxRows.DeadKey("approval|42"), out _, out _));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has/slash")]
    [InlineData("has#hash")]
    [InlineData("has?question")]
    [InlineData("tab\there")]
    public void An_id_the_table_cannot_hold_is_refused_before_anything_is_written(string id)
    {
        Assert.Throws<ArgumentException>(() => new OutboxMessage(id, "k", "{}", DateTimeOffset.UnixEpoch).Validate());
    }

    [Fact]
    public void A_payload_serialises_with_camel_case_names()
    {
        var message = OutboxMessage.Create("m-1", "k", new { CreditId = "c-1", AmountMinor = 2500 }, DateTimeOffset.UnixEpoch);

        Assert.Equal("""{"creditId":"c-1","amountMinor":2500}""", message.Payload);
    }
}
