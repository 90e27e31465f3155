using EmpowerBot.Storage;

namespace EmpowerBot.Outbox;

/// <summary>
/// The number of dead letters of one shard, in a row of that shard (<see cref="OutboxRows.DeadCountRow"/>), so
/// /healthz reads four small rows instead of every dead letter. A message that dies adds one in the batch that moves it
/// to the dead letters, conditional on the count's ETag; the sweep (<see cref="DeadLetterSweep"/>) deletes dead letters
/// past their retention and writes the count it finds, conditional on the ETag it read before counting, so a death
/// between the two is never lost: the write fails and the sweep counts again. A shard stored before the count existed
/// has no count row until its first sweep, which runs when the dispatcher starts.
/// </summary>
internal static class DeadLetterCount
{
    public static long Read(TableEntity row) => Math.Max(0, row.GetInt64(OutboxRows.Count));

    /// <summary>The count written as <paramref name="count"/>: replaced under the ETag it was read with, or inserted when there was none.</summary>
    public static TableOperation Save(string shard, long count, TableEntity? read)
    {
        var row = new TableEntity(shard, OutboxRows.DeadCountRow, new Dictionary<string, object?> { [OutboxRows.Count] = count });
        return read is null ? TableOperation.Insert(row) : TableOperation.Replace(row, read.ETag!);
    }
}
