using EmpowerBot.Conversation;
using EmpowerBot.Storage;

namespace EmpowerBot.QuietTime;

/// <summary>How many of a team's reps are on a break, how many may be, and when the next one is due back.</summary>
public sealed record CoverageStatus(int OnBreak, int Capacity, int TeamSize, DateTimeOffset? NextFree)
{
    public bool HasRoom => OnBreak < Capacity;
}

/// <summary>
/// Keeps the queue covered: at most <see cref="QuietTimeOptions.MaxShareOnBreak"/> of a team's reps on a break at once.
/// The team partition's "coverage" row counts them; taking a slot is one batch (coverage with its ETag + the slot row +
/// the day's tally), so concurrent starts cannot overfill the team: a conflict re-reads and re-decides. Slot rows name
/// the break, never the person. Breaks of managers take no slot: they do not cover the queue.
/// </summary>
public sealed class Coverage(ITableStore store, Roster roster, TimeProvider clock, ILogger<Coverage> log)
{
    private const int MaxAttempts = 64;

    /// <summary>A slot this long past its end is freed by the next reader: its end message was lost to a crash before it was queued.</summary>
    private static readonly TimeSpan StaleAfter = TimeSpan.FromMinutes(10);

    public static int RosterReps(Team team) => team.Members.Count(m => m.Role == Role.Rep);

    /// <summary>
    /// The team as it is: its roster's reps, plus, for the default team, everyone in the tenant who wrote to the bot from
    /// no roster (their people row; they joined it as reps). Only counted: no name leaves this method.
    /// </summary>
    public async Task<int> TeamSizeAsync(string tenant, Team team, CancellationToken ct)
    {
        var size = RosterReps(team);
        if (roster.DefaultTeam is not { } joinable || !string.Equals(joinable.Id, team.Id, StringComparison.OrdinalIgnoreCase)) return size;
        await foreach (var person in store.QueryAsync(Tables.People, tenant, null, null, ct))
        {
            if (roster.FindMember(tenant, person.RowKey) is null) size++;
        }
        return size;
    }

    /// <summary>The share, rounded down, but never zero: a team of two still gets its breaks.</summary>
    public static int Capacity(int teamSize, double share) => Math.Max(1, (int)Math.Floor(teamSize * share + 1e-9));

    /// <summary>The team's status now; a slot long past its end is freed on the way.</summary>
    public async Task<CoverageStatus> ReadAsync(string tenant, Team team, double share, CancellationToken ct)
    {
        var partition = QuietTimeRows.Team(tenant, team.Id);
        for (var attempt = 1; ; attempt++)
        {
            var (coverage, slots, status) = await LoadAsync(tenant, partition, team, share, ct);
            if (status.HasRoom || !await FreedStaleAsync(partition, coverage, slots, status, attempt, ct)) return status;
        }
    }

    /// <summary>Takes a slot for the break; null when taken, else the full team's status.</summary>
    public async Task<CoverageStatus?> TryTakeAsync(string tenant, Team team, double share, string breakId, DateTimeOffset until,
        bool fromPrompt, string localDay, CancellationToken ct)
    {
        var partition = QuietTimeRows.Team(tenant, team.Id);
        for (var attempt = 1; ; attempt++)
        {
            var (coverage, slots, status) = await LoadAsync(tenant, partition, team, share, ct);
            if (!status.HasRoom)
            {
                if (await FreedStaleAsync(partition, coverage, slots, status, attempt, ct)) continue;
                return status;
            }
            TableOperation[] batch =
            [
                CountRow(partition, coverage, status.OnBreak + 1),
                TableOperation.Insert(new TableEntity(partition, QuietTimeRows.SlotPrefix + breakId, new Dictionary<string, object?> { ["until"] = until })),
                await TallyAsync(partition, localDay, breaks: 1, accepted: fromPrompt ? 1 : 0, sent: 0, ct),
            ];
            if (await TrySubmitAsync(batch, attempt, ct)) return null;
        }
    }

    private async Task<(TableEntity? Coverage, List<TableEntity> Slots, CoverageStatus Status)> LoadAsync(string tenant, string partition, Team team,
        double share, CancellationToken ct)
    {
        var coverage = await store.GetAsync(Tables.QuietTime, partition, QuietTimeRows.Coverage, ct);
        var slots = await store.QueryPrefixAsync(Tables.QuietTime, partition, QuietTimeRows.SlotPrefix, ct).ToListAsync(ct);
        var size = await TeamSizeAsync(tenant, team, ct);
        var next = slots.Select(s => s.GetTime("until")).Where(t => t is not null).Min();
        return (coverage, slots, new CoverageStatus((int)(coverage?.GetInt64("onBreak") ?? 0), Capacity(size, share), size, next));
    }

    /// <summary>Frees slots whose breaks ended long ago; true when it wrote (or lost a race), so the caller reads again.</summary>
    private async Task<bool> FreedStaleAsync(string partition, TableEntity? coverage, List<TableEntity> slots, CoverageStatus status, int attempt,
        CancellationToken ct)
    {
        var stale = slots.Where(s => s.GetTime("until") < clock.GetUtcNow() - StaleAfter).Take(10).ToList();
        if (stale.Count == 0) return false;
        var batch = stale.Select(s => TableOperation.Delete(partition, s.RowKey, s.ETag!)).Append(CountRow(partition, coverage, Math.Max(0, status.OnBreak - stale.Count)));
        if (await TrySubmitAsync(batch.ToList(), attempt, ct))
            log.LogWarning("Freed {Count} quiet-time slots in {Partition} whose breaks ended long ago", stale.Count, partition);
        return true;
    }

    /// <summary>Frees the break's slot; does nothing when it is already free (delivery is at least once).</summary>
    public async Task FreeAsync(string tenant, string teamId, string breakId, CancellationToken ct)
    {
        var partition = QuietTimeRows.Team(tenant, teamId);
        for (var attempt = 1; ; attempt++)
        {
            if (await store.GetAsync(Tables.QuietTime, partition, QuietTimeRows.SlotPrefix + breakId, ct) is not { } slot) return;
            var coverage = await store.GetAsync(Tables.QuietTime, partition, QuietTimeRows.Coverage, ct);
            var onBreak = (int)(coverage?.GetInt64("onBreak") ?? 1);
            TableOperation[] batch = [TableOperation.Delete(partition, slot.RowKey, slot.ETag!), CountRow(partition, coverage, Math.Max(0, onBreak - 1))];
            if (await TrySubmitAsync(batch, attempt, ct)) return;
        }
    }

    /// <summary>Counts a prompt in the team's tally for the day (a team figure only: whose prompt it was is not kept).</summary>
    public async Task CountPromptAsync(string tenant, string teamId, string localDay, CancellationToken ct)
    {
        var partition = QuietTimeRows.Team(tenant, teamId);
        for (var attempt = 1; ; attempt++)
        {
            if (await TrySubmitAsync([await TallyAsync(partition, localDay, breaks: 0, accepted: 0, sent: 1, ct)], attempt, ct)) return;
        }
    }

    private async Task<bool> TrySubmitAsync(IReadOnlyList<TableOperation> batch, int attempt, CancellationToken ct)
    {
        try
        {
            await store.SubmitAsync(Tables.QuietTime, batch, ct);
            return true;
        }
        catch (StorageConflictException) when (attempt < MaxAttempts)
        {
            await Task.Delay(Random.Shared.Next(0, Math.Min(20, attempt * 2)), ct);
            return false;
        }
    }

    private async Task<TableOperation> TallyAsync(string partition, string localDay, int breaks, int accepted, int sent, CancellationToken ct)
    {
        var row = await store.GetAsync(Tables.QuietTime, partition, QuietTimeRows.Tally(localDay), ct);
        var entity = new TableEntity(partition, QuietTimeRows.Tally(localDay), new Dictionary<string, object?>
        {
            ["breaksTaken"] = (row?.GetInt64("breaksTaken") ?? 0) + breaks,
            ["promptsAccepted"] = (row?.GetInt64("promptsAccepted") ?? 0) + accepted,
            ["promptsSent"] = (row?.GetInt64("promptsSent") ?? 0) + sent,
        });
        return row is null ? TableOperation.Insert(entity) : TableOperation.Replace(entity, row.ETag!);
    }

    private static TableOperation CountRow(string partition, TableEntity? coverage, int onBreak)
    {
        var entity = new TableEntity(partition, QuietTimeRows.Coverage, new Dictionary<string, object?> { ["onBreak"] = (long)onBreak });
        return coverage is null ? TableOperation.Insert(entity) : TableOperation.Replace(entity, coverage.ETag!);
    }
}
