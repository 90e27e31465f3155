using System.Collections.Concurrent;
using Cronos;
using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using EmpowerBot.Outbox;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Insights;

/// <summary>Names one team's digest in the outbox.</summary>
public sealed record DigestRef(string TenantId, string TeamId);

/// <summary>
/// The weekly digest: the team view, sent unprompted to every manager of the team (held during their quiet-time
/// breaks, like every non-urgent message). Each digest schedules the next one through the outbox, so the chain
/// survives restarts; a manager's turn makes sure the chain exists (new teams, first start).
/// </summary>
public sealed class WeeklyDigest(
    TeamInsights insights,
    Roster roster,
    Notifier notifier,
    OutboxWriter outbox,
    IOptions<InsightsOptions> options,
    TimeProvider clock,
    ILogger<WeeklyDigest> log) : ITurnObserver, IOutboxHandler
{
    public const string MessageKind = "insights.digest";
    private readonly ConcurrentDictionary<(string, string), DateTimeOffset> scheduled = new();
    private readonly Lazy<CronExpression> schedule = new(() => Weekly(options.Value));

    public string Kind => MessageKind;

    public async Task OnTurnAsync(TurnContext context, TurnResult result, CancellationToken ct)
    {
        if (!options.Value.DigestEnabled || !context.Person.IsManager || context.Person.Team is not { } team) return;
        var next = Next(team, clock.GetUtcNow());
        if (scheduled.TryGetValue((context.Person.TenantId, team.Id), out var known) && known == next) return;
        await ScheduleAsync(new DigestRef(context.Person.TenantId, team.Id), next, ct);
    }

    public async Task<DeliveryOutcome> DeliverAsync(OutboxMessage message, int attempt, CancellationToken ct)
    {
        var digest = message.ReadPayload<DigestRef>();
        var team = roster.FindTeam(digest.TenantId, digest.TeamId);
        if (team is null || !options.Value.DigestEnabled) return DeliveryOutcome.Drop("team or digest no longer configured");
        var report = await insights.ForAsync(digest.TenantId, team, Period.Containing(message.Due, team.TimeZone), ct);
        var card = TeamCards.Build(report, "Your weekly digest: the month so far.");
        var date = TimeZoneInfo.ConvertTime(message.Due, team.TimeZone).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        foreach (var manager in team.Managers)
        {
            await notifier.SendAsync($"digest-{digest.TenantId}-{team.Id}-{date}-{manager.PersonKey}",
                Notification.Of(digest.TenantId, manager.PersonKey, new Reply(null, card)), ct, message.Due);
        }
        await ScheduleAsync(digest, Next(team, message.Due), ct);
        log.LogInformation("Weekly digest of team {Team} sent to {Count} manager(s)", team.Id, team.Managers.Count());
        return DeliveryOutcome.Delivered;
    }

    /// <summary>
    /// The next digest time strictly after <paramref name="after"/>: the configured day and time in the team's zone. Cronos
    /// resolves the clock changes: a time inside a spring-forward gap runs at the first instant after it, and a time that
    /// happens twice in the autumn runs at its first occurrence only, so each week has exactly one digest.
    /// </summary>
    public DateTimeOffset Next(Team team, DateTimeOffset after) => Next(team.TimeZone, after);

    /// <summary>The same, in <paramref name="zone"/> (the executive's digest, in their own zone).</summary>
    public DateTimeOffset Next(TimeZoneInfo zone, DateTimeOffset after) =>
        schedule.Value.GetNextOccurrence(after, zone)
        ?? throw new InvalidOperationException("A weekly schedule always has a next occurrence.");

    private static CronExpression Weekly(InsightsOptions o) => CronExpression.Parse(
        $"{o.DigestTime.Seconds} {o.DigestTime.Minutes} {o.DigestTime.Hours} * * {(int)o.DigestDay}", CronFormat.IncludeSeconds);

    private async Task ScheduleAsync(DigestRef digest, DateTimeOffset at, CancellationToken ct)
    {
        var id = $"digest-{digest.TenantId}-{digest.TeamId}-{at.UtcTicks}";
        await outbox.EnqueueAsync(OutboxMessage.Create(id, MessageKind, digest, at), ct);
        scheduled[(digest.TenantId, digest.TeamId)] = at;
    }
}
