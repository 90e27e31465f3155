using EmpowerBot.Conversation;
using EmpowerBot.Outbox;
using EmpowerBot.Storage;

namespace EmpowerBot.QuietTime;

/// <summary>What asking for a break led to.</summary>
public abstract record BreakOutcome
{
    public sealed record Started(BreakEnd Break) : BreakOutcome;

    public sealed record AlreadyOnBreak(DateTimeOffset Until) : BreakOutcome;

    public sealed record TeamFull(CoverageStatus Coverage) : BreakOutcome;

    public sealed record NoTeam : BreakOutcome;
}

/// <summary>A break in progress, as its end message carries it through the outbox (so a restart loses nothing).</summary>
public sealed record BreakEnd(string TenantId, string PersonKey, string TeamId, string BreakId, DateTimeOffset Start, DateTimeOffset Until,
    int Minutes, string FirstName, string EndsAt);

/// <summary>
/// Starts and ends breaks. Start: a coverage slot (reps only), then the end message in the outbox (due when the break
/// ends), then the person's state and break-log row in one batch; anything that fails after the slot is taken gives
/// it back. End: frees the slot, ends the state, and says welcome back once, whichever instance or attempt gets there.
/// </summary>
public sealed class Breaks(PersonStates states, Coverage coverage, PromptPolicies policies, OutboxWriter outbox, Notifier notifier,
    ITableStore store, TimeProvider clock, ILogger<Breaks> log)
{
    public const string EndKind = "quiettime.break-end";
    private readonly StripedLock turns = new();

    public async Task<BreakOutcome> StartAsync(Person person, int minutes, bool fromPrompt, CancellationToken ct)
    {
        if (person.Team is not { } team) return new BreakOutcome.NoTeam();
        // A double click on "Start break" takes turns here instead of racing for two slots.
        return await turns.RunAsync(person.TenantId + "|" + person.Key, () => StartInTurnAsync(person, team, minutes, fromPrompt, ct), ct);
    }

    private async Task<BreakOutcome> StartInTurnAsync(Person person, Team team, int minutes, bool fromPrompt, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var current = await states.ReadAsync(person.TenantId, person.Key, ct);
        if (current.IsOnBreak(now)) return new BreakOutcome.AlreadyOnBreak(current.BreakUntil!.Value);
        var until = now.AddMinutes(minutes);
        var end = new BreakEnd(person.TenantId, person.Key, team.Id, Guid.NewGuid().ToString("N"), now, until, minutes,
            person.Name.Split(' ', 2)[0], ZonedTime.Time(until, person.ReadingZone));
        if (person.Role == Role.Rep && await coverage.TryTakeAsync(person.TenantId, team, policies.For(team).Options.MaxShareOnBreak, end.BreakId,
                until, fromPrompt, PromptPolicy.LocalDay(now, team.TimeZone), ct) is { } full)
        {
            return new BreakOutcome.TeamFull(full);
        }
        var partition = QuietTimeRows.Person(person.TenantId, person.Key);
        StateChange change;
        try
        {
            await outbox.EnqueueAsync(OutboxMessage.Create(EndMessageId(end.BreakId), EndKind, end, until), ct);
            change = await states.UpdateAsync(person.TenantId, person.Key, s => s.IsOnBreak(now) ? s : s.OnBreak(end.BreakId, now, until, fromPrompt), ct,
                (_, _) => [TableOperation.Upsert(QuietTimeRows.WriteBreak(partition, now, until, fromPrompt, ended: null, welcomed: false))]);
        }
        catch
        {
            await GiveBackAsync(end);
            throw;
        }
        if (!change.Changed)
        {
            await GiveBackAsync(end);
            return new BreakOutcome.AlreadyOnBreak(change.Before.BreakUntil!.Value);
        }
        log.LogInformation("Quiet break started in team {Team}", team.Id);
        log.LogDebug("Quiet break {BreakId} of {Person} runs {Minutes} minutes", end.BreakId, person.Key, minutes);
        await PruneAsync(partition, policies.For(team).Options.BreakLogRetention, now, ct);
        return new BreakOutcome.Started(end);
    }

    /// <summary>"I'm back": ends the person's break now, with no welcome-back message (they are here). False when not on a break.</summary>
    public async Task<bool> EndEarlyAsync(Person person, CancellationToken ct)
    {
        var s = await states.ReadAsync(person.TenantId, person.Key, ct);
        if (!s.IsOnBreak(clock.GetUtcNow()) || person.Team is null) return false;
        var end = new BreakEnd(person.TenantId, person.Key, person.Team.Id, s.BreakId!, s.BreakStart!.Value, s.BreakUntil!.Value, 0, "", "");
        return await EndAsync(end, early: true, ct);
    }

    /// <summary>Ends the break if it is still on; safe to run again (a redelivered end message changes nothing and welcomes once).</summary>
    public async Task<bool> EndAsync(BreakEnd end, bool early, CancellationToken ct)
    {
        await coverage.FreeAsync(end.TenantId, end.TeamId, end.BreakId, ct);
        var now = clock.GetUtcNow();
        var partition = QuietTimeRows.Person(end.TenantId, end.PersonKey);
        var change = await states.UpdateAsync(end.TenantId, end.PersonKey, s => s.BreakId == end.BreakId ? s.BreakEnded(now) : s, ct,
            (before, _) => [TableOperation.Upsert(QuietTimeRows.WriteBreak(partition, end.Start, end.Until, before.BreakFromPrompt, now, welcomed: early))]);
        if (early)
        {
            await outbox.CancelAsync(EndMessageId(end.BreakId), end.Until, ct);
            return change.Changed;
        }
        // Welcome back unless it was sent already or not wanted (an early end): the log row remembers which.
        var row = await store.GetAsync(Tables.QuietTime, partition, QuietTimeRows.Break(end.Start), ct);
        if (row is null || row.GetBool("welcomed")) return change.Changed;
        var welcome = BreakCards.WelcomeBack(end);
        await notifier.SendAsync("qt-welcome-" + end.BreakId, Notification.Of(end.TenantId, end.PersonKey, welcome), ct, due: end.Until);
        var marked = new Dictionary<string, object?>(row.Properties) { ["welcomed"] = true };
        try
        {
            await store.ReplaceAsync(Tables.QuietTime, row with { Properties = marked }, row.ETag!, ct);
        }
        catch (StorageConflictException)
        {
            // Another delivery of the same end message marked it first.
        }
        return change.Changed;
    }

    public static string EndMessageId(string breakId) => "qt-end-" + breakId;

    private async Task GiveBackAsync(BreakEnd end)
    {
        try
        {
            await coverage.FreeAsync(end.TenantId, end.TeamId, end.BreakId, CancellationToken.None);
            await outbox.CancelAsync(EndMessageId(end.BreakId), end.Until, CancellationToken.None);
        }
        catch (Exception e) when (e is StorageUnavailableException or StorageConflictException)
        {
            // The end message, if it was queued, frees the slot when the break would have ended; else the next reader does.
            log.LogWarning(e, "Could not give back the coverage slot of break {BreakId} at once", end.BreakId);
        }
    }

    /// <summary>The person's own break log keeps only what the retention allows.</summary>
    private async Task PruneAsync(string partition, TimeSpan retention, DateTimeOffset now, CancellationToken ct)
    {
        var old = await store.QueryAsync(Tables.QuietTime, partition, QuietTimeRows.BreakPrefix, QuietTimeRows.Break(now - retention), ct).ToListAsync(ct);
        if (old.Count == 0) return;
        try
        {
            await store.SubmitAsync(Tables.QuietTime, old.Take(50).Select(r => TableOperation.Delete(partition, r.RowKey, r.ETag!)).ToList(), ct);
        }
        catch (StorageConflictException)
        {
            // Another start pruned them first.
        }
    }
}
