using System.Globalization;
using EmpowerBot.Storage;

namespace EmpowerBot.Outbox;

/// <summary>
/// The layout of the outbox table. Partition = shard ("0".."N-1"); row key = "{due UTC ticks:D19}|{id}", so a
/// shard's due messages are one ascending range query ending at the first key past "now"; dead letters are
/// "dead|{id}" and the shard's count of them "count|dead", which sort after every digit and so stay outside that range.
/// </summary>
internal static class OutboxRows
{
    public const string DeadPrefix = "dead|";

    /// <summary>The shard's number of dead letters, kept with them (<see cref="DeadLetterCount"/>).</summary>
    public const string DeadCountRow = "count|dead";

    /// <summary>Exclusive upper bound of the dead letters' range: '}' follows '|'.</summary>
    public const string AfterDeadLetters = "dead}";
    public const string Kind = "kind", Payload = "payload", Attempts = "attempts", CreatedAt = "createdAt",
        FirstDue = "firstDue", LastError = "lastError", Leased = "leased", DeadAt = "deadAt", Count = "count";

    private const int TicksDigits = 19;
    private const int MaxErrorLength = 1024;

    /// <summary>
    /// FNV-1a over the id's UTF-16 code units: the same in every process and on every platform (unlike
    /// string.GetHashCode, which is randomised). Never change it: it decides where existing rows live.
    /// </summary>
    public static string Shard(string id, int shards)
    {
        var hash = 2166136261u;
        foreach (var c in id)
        {
            hash = (hash ^ c) * 16777619u;
        }
        return (hash % (uint)shards).ToString(CultureInfo.InvariantCulture);
    }

    public static string DueKey(DateTimeOffset due, string id) => Ticks(due) + "|" + id;

    public static string DeadKey(string id) => DeadPrefix + id;

    /// <summary>Exclusive upper bound of the due range: every key due at or before <paramref name="now"/> sorts below it.</summary>
    public static string DueRangeEnd(DateTimeOffset now) => Ticks(now.AddTicks(1));

    /// <summary>The due time and id of a pending row; false for a dead letter or a foreign row.</summary>
    public static bool TryParse(string rowKey, out DateTimeOffset due, out string id)
    {
        (due, id) = (default, "");
        if (rowKey.Length <= TicksDigits + 1 || rowKey[TicksDigits] != '|'
            || !long.TryParse(rowKey.AsSpan(0, TicksDigits), NumberStyles.None, CultureInfo.InvariantCulture, out var ticks)
            || ticks > DateTimeOffset.MaxValue.UtcTicks)
            return false;
        (due, id) = (new DateTimeOffset(ticks, TimeSpan.Zero), rowKey[(TicksDigits + 1)..]);
        return true;
    }

    public static TableEntity Pending(string shard, OutboxMessage message, DateTimeOffset now) =>
        new(shard, DueKey(message.Due, message.Id), new Dictionary<string, object?>
        {
            [Kind] = message.Kind,
            [Payload] = message.Payload,
            [Attempts] = 0L,
            [CreatedAt] = now,
            // Age is counted from here, not from the enqueue: a reminder scheduled a week ahead is not a week old when due.
            [FirstDue] = message.Due,
            [Leased] = false,
        });

    /// <summary>The same message under a new row key, with changed properties; everything else is kept.</summary>
    public static TableEntity Move(TableEntity row, string rowKey, params (string Name, object? Value)[] changes)
    {
        var properties = new Dictionary<string, object?>(row.Properties);
        foreach (var (name, value) in changes) properties[name] = value;
        return new TableEntity(row.PartitionKey, rowKey, properties);
    }

    public static OutboxMessage ToMessage(TableEntity row, DateTimeOffset due, string id) =>
        new(id, row.GetString(Kind) ?? "", row.GetString(Payload) ?? "", row.GetTime(FirstDue) ?? due);

    public static DateTimeOffset FirstDueOf(TableEntity row, DateTimeOffset fallback) => row.GetTime(FirstDue) ?? fallback;

    /// <summary>Errors are kept short: they are for an operator's eye, and a peer's error page can be large.</summary>
    public static string Truncate(string error) => error.Length <= MaxErrorLength ? error : error[..MaxErrorLength] + "…";

    private static string Ticks(DateTimeOffset t) => t.UtcTicks.ToString("D19", CultureInfo.InvariantCulture);
}
