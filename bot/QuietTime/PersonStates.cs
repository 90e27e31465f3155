using System.Collections.Concurrent;
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
    private const int MaxRemembered = 10_000;

    // Until when a turn of a person changes nothing in their state (see PersonState.TurnGrain), as this instance last
    // read it: such turns cost no storage read at all. Any write of the person's state here forgets it.
    private readonly ConcurrentDictionary<(string Tenant, string Person), DateTimeOffset> _turnsIdleUntil = new();

    /// <summary>
    /// True when a turn at <paramref name="now"/> would change nothing: the last state this instance read or wrote
    /// shows the person active less than <see cref="PersonState.TurnGrain"/> ago. A prompt that time alone makes due
    /// therefore waits for the next turn after the grain (at most a minute); signals are never skipped.
    /// </summary>
    public bool TurnChangesNothing(string tenant, string person, DateTimeOffset now) =>
        _turnsIdleUntil.TryGetValue((tenant, person), out var until) && now < until;

    /// <summary>Remembers, after a turn was recorded, until when further turns change nothing.</summary>
    public void RememberTurn(string tenant, string person, PersonState state, DateTimeOffset now)
    {
        if (state.ActiveSince is null || state.LastActive is not { } last || last > now) return;
        if (_turnsIdleUntil.Count >= MaxRemembered)
        {
            foreach (var (key, until) in _turnsIdleUntil)
            {
                if (until <= now) _turnsIdleUntil.TryRemove(key, out _);
            }
            if (_turnsIdleUntil.Count >= MaxRemembered) return;
        }
        _turnsIdleUntil[(tenant, person)] = last + PersonState.TurnGrain;
    }

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
                _turnsIdleUntil.TryRemove((tenant, person), out _);
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
