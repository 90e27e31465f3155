using System.Collections.Concurrent;
using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using EmpowerBot.Outbox;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Insights;

/// <summary>Names one executive's digest in the outbox, with the zone it is scheduled in.</summary>
public sealed record ExecutiveDigestRef(string TenantId, string PersonKey, string Zone);

/// <summary>
/// The executive's weekly digest, on the managers' day and time (Insights:DigestDay, DigestTime) in the executive's own
/// zone: the `org` view with what has been escalated to them. Like the managers' digest, each one schedules the next
/// through the outbox, and the executive's turns make sure the chain exists.
/// </summary>
public sealed class ExecutiveDigest(OrgInsights insights, Roster roster, Notifier notifier, OutboxWriter outbox, WeeklyDigest weekly,
    IOptions<InsightsOptions> options, TimeProvider clock, ILogger<ExecutiveDigest> log) : ITurnObserver, IOutboxHandler
{
    public const string MessageKind = "insights.orgdigest";
    private readonly ConcurrentDictionary<(string, string), DateTimeOffset> scheduled = new();

    public string Kind => MessageKind;

    public async Task OnTurnAsync(TurnContext context, TurnResult result, CancellationToken ct)
    {
        var person = context.Person;
        if (!options.Value.DigestEnabled || !roster.IsExecutive(person)) return;
        var next = weekly.Next(person.ReadingZone, clock.GetUtcNow());
        if (scheduled.TryGetValue((person.TenantId, person.Key.ToLowerInvariant()), out var known) && known == next) return;
        await ScheduleAsync(new ExecutiveDigestRef(person.TenantId, person.Key, person.ReadingZone.Id), next, ct);
    }

    public async Task<DeliveryOutcome> DeliverAsync(OutboxMessage message, int attempt, CancellationToken ct)
    {
        var digest = message.ReadPayload<ExecutiveDigestRef>();
        var person = roster.Resolve(digest.TenantId, digest.PersonKey, null);
        if (!options.Value.DigestEnabled || !roster.IsExecutive(person)) return DeliveryOutcome.Drop("digests are off, or the person is no longer an executive");
        var zone = TimeZoneInfo.TryFindSystemTimeZoneById(digest.Zone, out var found) ? found : TimeZoneInfo.Utc;
        var report = await insights.ForAsync(digest.TenantId, ct);
        var card = OrgCards.Build(report, Period.Containing(message.Due, zone).Label,
            "Your weekly digest: every team's month so far, and what has been escalated to you.");
        var date = TimeZoneInfo.ConvertTime(message.Due, zone).ToString("yyyyMMdd", System.Globalization.CultureInfo.InvariantCulture);
        await notifier.SendAsync($"orgdigest-{digest.TenantId}-{digest.PersonKey}-{date}", Notification.Of(digest.TenantId, digest.PersonKey, new Reply(null, card)), ct, message.Due);
        await ScheduleAsync(digest, weekly.Next(zone, message.Due), ct);
        log.LogInformation("Executive digest sent to {Person} ({Escalated} escalated)", digest.PersonKey, report.Escalated.Count);
        return DeliveryOutcome.Delivered;
    }

    private async Task ScheduleAsync(ExecutiveDigestRef digest, DateTimeOffset at, CancellationToken ct)
    {
        await outbox.EnqueueAsync(OutboxMessage.Create($"orgdigest-{digest.TenantId}-{digest.PersonKey}-{at.UtcTicks}", MessageKind, digest, at), ct);
        scheduled[(digest.TenantId, digest.PersonKey.ToLowerInvariant())] = at;
    }
}
