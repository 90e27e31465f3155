using System.Security.Cryptography;
using System.Text;
using EmpowerBot.Conversation;
using EmpowerBot.Outbox;

namespace EmpowerBot.QuietTime;

/// <summary>An offer the person is waiting for, as its outbox message carries it: after a snooze, or when a slot frees.</summary>
public sealed record Recheck(string TenantId, string PersonKey, string TeamId, bool Snooze)
{
    public bool StillWanted(PersonState s, DateTimeOffset now) =>
        Snooze ? s.SnoozedUntil is { } until && until <= now : s.WaitingSince is not null;
}

/// <summary>
/// Records what a person is doing and offers a break when their team's rule says so: through <see cref="Notifier"/>
/// (non-urgent), or, when the team is at its break limit, a "you're next" note and a re-check through the outbox.
/// A prompt is marked in the person's state (with its ETag) before it is sent, so two signals never prompt twice.
/// </summary>
public sealed class Prompter(PersonStates states, Coverage coverage, PromptPolicies policies, Notifier notifier, OutboxWriter outbox,
    Roster roster, TimeProvider clock, ILogger<Prompter> log)
{
    public const string RecheckKind = "quiettime.recheck";
    public const string SnoozeDue = "Here's the break you put off a little while ago.";

    public async Task RecordAsync(Person person, IReadOnlyList<SignalKind> signals, CancellationToken ct)
    {
        // Managers take breaks when they like: the prompts, and so the tracking, are for the people who keep the queue moving.
        if (person.Team is not { } team || person.Role != Role.Rep) return;
        var now = clock.GetUtcNow();
        var onlyTurn = signals is [SignalKind.Turn];
        if (onlyTurn && states.TurnChangesNothing(person.TenantId, person.Key, now)) return;
        var policy = policies.For(team);
        var recorded = await states.UpdateAsync(person.TenantId, person.Key, s => signals.Aggregate(s, (a, k) => a.With(k, now, policy.Options)), ct);
        if (onlyTurn) states.RememberTurn(person.TenantId, person.Key, recorded.After, now);
        if (!policy.Decide(recorded.After, now, team.TimeZone).Prompt) return;

        var room = await coverage.ReadAsync(person.TenantId, team, policy.Options.MaxShareOnBreak, ct);
        var day = PromptPolicy.LocalDay(now, team.TimeZone);
        string? reason = null;
        // Decided again on the state being written: of two signals that both tipped the rule, one prompts.
        var marked = await states.UpdateAsync(person.TenantId, person.Key, s =>
        {
            var decision = policy.Decide(s, now, team.TimeZone);
            if (!decision.Prompt) return s;
            reason = decision.Reason!;
            return room.HasRoom ? s.Prompted(now, day) : s.Waiting(now);
        }, ct);
        if (!marked.Changed) return;
        if (room.HasRoom)
            await SendPromptAsync(person.TenantId, person.Key, team.Id, BreakCards.Prompt(reason!, policy.Options), day, now, ct);
        else
            await WaitForSlotAsync(person.TenantId, person.Key, team.Id, room, BreakCards.YoureNext(reason!, room), now, ct);
    }

    /// <summary>"In 15 min": the offer comes back after the team's snooze time. Returns when.</summary>
    public async Task<DateTimeOffset> SnoozeAsync(Person person, Team team, CancellationToken ct)
    {
        var until = clock.GetUtcNow().AddMinutes(policies.For(team).Options.SnoozeMinutes);
        await states.UpdateAsync(person.TenantId, person.Key, s => s.Snoozed(until), ct);
        await ScheduleAsync(new Recheck(person.TenantId, person.Key, team.Id, Snooze: true), until, ct);
        return until;
    }

    /// <summary>"Not today": no more offers until the next local day.</summary>
    public Task DeclineAsync(Person person, Team team, CancellationToken ct) =>
        states.UpdateAsync(person.TenantId, person.Key, s => s.Declined(PromptPolicy.LocalDay(clock.GetUtcNow(), team.TimeZone)), ct);

    /// <summary>The team is full: the person is next, and is offered a break when a slot frees.</summary>
    public async Task QueueAsync(Person person, Team team, CoverageStatus full, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        await states.UpdateAsync(person.TenantId, person.Key, s => s.Waiting(now), ct);
        await WaitForSlotAsync(person.TenantId, person.Key, team.Id, full, note: null, now, ct);
    }

    /// <summary>Delivers a due re-check: offers the break if it is still wanted, the guards allow it and there is room.</summary>
    public async Task<DeliveryOutcome> RecheckAsync(Recheck r, CancellationToken ct)
    {
        if (roster.FindTeam(r.TenantId, r.TeamId) is not { } team) return DeliveryOutcome.Drop("the team is no longer on the roster");
        var policy = policies.For(team);
        var now = clock.GetUtcNow();
        var s = await states.ReadAsync(r.TenantId, r.PersonKey, ct);
        if (!r.StillWanted(s, now)) return DeliveryOutcome.Drop("the offer is no longer wanted");
        var guard = policy.DecideFollowUp(s, now, team.TimeZone);
        if (guard != Guard.None)
        {
            await states.UpdateAsync(r.TenantId, r.PersonKey, x => r.StillWanted(x, now) ? x with { SnoozedUntil = null, WaitingSince = null } : x, ct);
            return DeliveryOutcome.Drop($"no offer now ({guard})");
        }
        var room = await coverage.ReadAsync(r.TenantId, team, policy.Options.MaxShareOnBreak, ct);
        if (!room.HasRoom)
        {
            await states.UpdateAsync(r.TenantId, r.PersonKey, x => r.StillWanted(x, now) ? x.Waiting(now) : x, ct);
            await WaitForSlotAsync(r.TenantId, r.PersonKey, team.Id, room, r.Snooze ? BreakCards.YoureNext(SnoozeDue, room) : null, now, ct);
            return DeliveryOutcome.Delivered;
        }
        var day = PromptPolicy.LocalDay(now, team.TimeZone);
        var marked = await states.UpdateAsync(r.TenantId, r.PersonKey, x => r.StillWanted(x, now) ? x.Prompted(now, day) : x, ct);
        if (!marked.Changed) return DeliveryOutcome.Drop("the offer was made or withdrawn meanwhile");
        await SendPromptAsync(r.TenantId, r.PersonKey, team.Id, BreakCards.Prompt(r.Snooze ? SnoozeDue : BreakCards.SlotFree, policy.Options), day, now, ct);
        return DeliveryOutcome.Delivered;
    }

    private async Task SendPromptAsync(string tenant, string person, string teamId, Reply prompt, string day, DateTimeOffset now, CancellationToken ct)
    {
        await notifier.SendAsync($"qt-prompt-{Opaque(tenant, person)}-{now.UtcTicks}", Notification.Of(tenant, person, prompt), ct);
        await coverage.CountPromptAsync(tenant, teamId, day, ct);
        log.LogInformation("Quiet break offered in team {Team}", teamId);
    }

    private async Task WaitForSlotAsync(string tenant, string person, string teamId, CoverageStatus full, string? note, DateTimeOffset now,
        CancellationToken ct)
    {
        if (note is not null)
        {
            await notifier.SendAsync($"qt-next-{Opaque(tenant, person)}-{now.UtcTicks}", Notification.Of(tenant, person, Reply.Say(note)), ct);
        }
        // A little after the first break due to end, so its end message has freed the slot by then.
        var due = (full.NextFree is { } next && next > now ? next : now) + TimeSpan.FromSeconds(15);
        await ScheduleAsync(new Recheck(tenant, person, teamId, Snooze: false), due, ct);
    }

    private Task ScheduleAsync(Recheck r, DateTimeOffset due, CancellationToken ct) =>
        outbox.EnqueueAsync(OutboxMessage.Create($"qt-recheck-{Opaque(r.TenantId, r.PersonKey)}-{due.UtcTicks}", RecheckKind, r, due), ct);

    /// <summary>Outbox ids name no one (and hold only characters table keys allow).</summary>
    private static string Opaque(string tenant, string person) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(tenant + "|" + person)))[..16];
}
