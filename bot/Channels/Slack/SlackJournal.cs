using System.Security.Cryptography;
using System.Text;
using EmpowerBot.Outbox;

namespace EmpowerBot.Channels.Slack;

/// <summary>
/// Makes an acknowledged Slack request survive a crash. Slack hears "200" within its three seconds and does not send
/// the request again, so before answering, the request is also written to the outbox, due a few minutes later; the
/// worker removes that entry once it has run the request. An entry still there when it falls due belongs to a request
/// that no worker finished (the instance stopped or crashed with it queued or running): it is run then. A credit in
/// it is applied at most once all the same (the ledger's idempotency key is the request's event or trigger id); a
/// reply may be sent twice when an instance stopped between answering and removing the entry.
/// </summary>
public sealed class SlackJournal(OutboxWriter outbox, SlackInbox inbox, SlackTurns turns, TimeProvider clock, ILogger<SlackJournal> log)
    : IOutboxHandler
{
    public const string MessageKind = "slack.replay";

    /// <summary>Long enough for any request to be run by the worker that took it; short enough for a person to wait.</summary>
    public static readonly TimeSpan ReplayAfter = TimeSpan.FromMinutes(2);

    public string Kind => MessageKind;

    /// <summary>The request as queued: with the time its journal entry falls due.</summary>
    public SlackInbound Stamp(SlackInbound inbound) => inbound with { ReplayDue = clock.GetUtcNow() + ReplayAfter };

    /// <summary>Writes the journal entry of a queued request; durable when this returns.</summary>
    public Task RecordAsync(SlackInbound inbound, CancellationToken ct) =>
        outbox.EnqueueAsync(OutboxMessage.Create(Id(inbound), MessageKind, inbound, inbound.ReplayDue!.Value), ct);

    /// <summary>The worker finished the request: its journal entry is removed (or, if it is being replayed, left be).</summary>
    public async Task DoneAsync(SlackInbound inbound, CancellationToken ct)
    {
        if (inbound.ReplayDue is not { } due) return;
        try
        {
            await outbox.CancelAsync(Id(inbound), due, ct);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The entry stays and falls due; this instance still remembers the request as run, so it is dropped then.
            log.LogWarning(e, "Could not remove the journal entry of Slack {Kind} {ActivityId}", inbound.Kind, inbound.ActivityId);
        }
    }

    public async Task<DeliveryOutcome> DeliverAsync(OutboxMessage message, int attempt, CancellationToken ct)
    {
        var inbound = message.ReadPayload<SlackInbound>();
        if (inbox.IsPending(inbound.ActivityId)) return DeliveryOutcome.Hold("still queued or running here", ReplayAfter);
        if (inbox.HasSeen(inbound.ActivityId)) return DeliveryOutcome.Drop("already run by this instance");
        log.LogWarning("Running Slack {Kind} {ActivityId} of {Person}, acknowledged before a stop but never run", inbound.Kind, inbound.ActivityId,
            inbound.PersonKey);
        // Its trigger id expired minutes ago: Slack refuses views.open, so a form comes as a message with a button.
        await turns.RunAsync(inbound with { ReplayDue = null }, ct);
        return DeliveryOutcome.Delivered;
    }

    /// <summary>Outbox ids hold only characters table keys allow: the request id, hashed.</summary>
    private static string Id(SlackInbound inbound) =>
        "slack-replay-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(inbound.ActivityId)))[..32];
}
