using EmpowerBot.Storage;

namespace EmpowerBot.QuietTime;

/// <summary>A state change as written: the state it was decided on, the state stored, and whether anything was written.</summary>
public sealed record StateChange(PersonState Before, PersonState After, bool Changed);

/// <summary>
/// Reads and changes a person's quiet-time state. A change is a pure function of the current state, written with the
/// ETag it was read at; on a conflict (another turn or signal of the same person) it is re-read and re-applied.
/// </summary>
public sealed class PersonStates(ITableStore store, ILogger<PersonStates> log)
{
    private const int MaxAttempts = 32;

    public async Task<PersonState> ReadAsync(string tenant, string person, CancellationToken ct) =>
        QuietTimeRows.ReadState(await store.GetAsync(Tables.QuietTime, QuietTimeRows.Person(tenant, person), QuietTimeRows.State, ct));

    /// <param name="change">Returns the state unchanged (the same instance) to write nothing.</param>
    /// <param name="alsoWrite">Further rows of the same partition written in the same batch as the new state.</param>
    public async Task<StateChange> UpdateAsync(string tenant, string person, Func<PersonState, PersonState> change, CancellationToken ct,
        Func<PersonState, PersonState, IEnumerable<TableOperation>>? alsoWrite = null)
    {
        var partition = QuietTimeRows.Person(tenant, person);
        for (var attempt = 1; ; attempt++)
        {
            var before = await ReadAsync(tenant, person, ct);
            var after = change(before);
            if (ReferenceEquals(after, before)) return new StateChange(before, before, false);
            var row = QuietTimeRows.WriteState(partition, after);
            var batch = new List<TableOperation> { before.ETag is null ? TableOperation.Insert(row) : TableOperation.Replace(row, before.ETag) };
            if (alsoWrite is not null) batch.AddRange(alsoWrite(before, after));
            try
            {
                var etags = await store.SubmitAsync(Tables.QuietTime, batch, ct);
                return new StateChange(before, after with { ETag = etags[0] }, true);
            }
            catch (StorageConflictException e) when (attempt < MaxAttempts && e.OperationIndex == 0)
            {
                log.LogDebug("Quiet-time state changed concurrently (attempt {Attempt}); re-reading", attempt);
                await Task.Delay(Random.Shared.Next(0, Math.Min(20, attempt * 2)), ct);
            }
        }
    }
}
