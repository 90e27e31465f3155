using EmpowerBot.Outbox;

namespace EmpowerBot.Conversation;

/// <summary>
/// Delivers queued notifications: finds the person's conversation (or opens one), sends through the channel that
/// owns it, and tells the sending feature where the message landed.
/// </summary>
public sealed class NotificationDelivery(
    PeopleDirectory people,
    IEnumerable<IProactiveChannel> channels,
    SentMessages sent,
    IEnumerable<IDeliveryGate> gates,
    ILogger<NotificationDelivery> log) : IOutboxHandler
{
    private readonly IReadOnlyList<IProactiveChannel> channels = channels.ToList();
    private readonly IReadOnlyList<IDeliveryGate> gates = gates.ToList();

    public string Kind => Notifier.Kind;

    public async Task<DeliveryOutcome> DeliverAsync(OutboxMessage message, int attempt, CancellationToken ct)
    {
        var notification = message.ReadPayload<Notification>();
        foreach (var gate in gates)
        {
            if (await gate.HoldUntilAsync(notification, ct) is { } until)
            {
                return DeliveryOutcome.Hold("held while the person is on a break", until);
            }
        }
        var reference = await people.FindReferenceAsync(notification.TenantId, notification.PersonKey, ct);
        string? refused = null;
        if (reference is null)
        {
            foreach (var candidate in channels)
            {
                try
                {
                    reference = await candidate.OpenAsync(notification.TenantId, notification.PersonKey, ct);
                }
                catch (PersonUnreachableException e)
                {
                    refused = e.Message;
                    continue;
                }
                if (reference is null) continue;
                await people.RememberAsync(notification.TenantId, notification.PersonKey, reference, ct);
                break;
            }
        }
        if (reference is null)
        {
            var reason = $"No conversation with {notification.PersonKey} and no channel can open one" + (refused is null ? "." : $": {refused}");
            await sent.OnUndeliverableAsync(notification, reason, ct);
            return DeliveryOutcome.Failed(reason);
        }
        var channel = channels.FirstOrDefault(c => c.Handles(reference.ChannelId));
        if (channel is null) return DeliveryOutcome.Failed($"No channel adapter for '{reference.ChannelId}'.");
        string? activityId;
        try
        {
            activityId = await channel.SendAsync(reference, notification.ToReply(), ct);
        }
        catch (ComeBackLaterException e)
        {
            return DeliveryOutcome.RetryLater(e.Message, e.After);
        }
        log.LogInformation("Notified {Person} on {Channel}", notification.PersonKey, reference.ChannelId);
        await sent.OnSentAsync(new SentMessage(notification, reference, activityId), ct);
        return DeliveryOutcome.Delivered;
    }
}

/// <summary>The channel asked to be called again later (a rate limit's Retry-After): the message waits in the outbox till then.</summary>
public sealed class ComeBackLaterException(TimeSpan after, string message, Exception? inner = null) : Exception(message, inner)
{
    public TimeSpan After { get; } = after;
}

/// <summary>Holds non-urgent notifications back, e.g. while a person is on a quiet-time break.</summary>
public interface IDeliveryGate
{
    /// <summary>How long to hold the notification, or null to deliver it now.</summary>
    Task<TimeSpan?> HoldUntilAsync(Notification notification, CancellationToken ct);
}

/// <summary>
/// A message the bot sent can no longer be updated: its conversation or the message itself is gone (the connector
/// answered 404 or 403, Slack "message_not_found"…). Trying again would fail the same way.
/// </summary>
public sealed class MessageGoneException(string message, Exception inner) : Exception(message, inner);

/// <summary>
/// The channel refuses to open a conversation with this person (Teams: the app is not installed for them, 403/404 on
/// create conversation). Trying again would fail the same way until someone installs it.
/// </summary>
public sealed class PersonUnreachableException(string message, Exception inner) : Exception(message, inner);
